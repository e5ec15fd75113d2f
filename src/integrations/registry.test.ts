import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError } from '../core/errors.js';
import { actitoIntegration } from './actito/index.js';
import { getIntegration, hasIntegration, listCatalog } from './registry.js';

describe('integration registry', () => {
  it('finds the Actito definition by its vendor key', () => {
    const definition = getIntegration('actito');

    assert.equal(definition, actitoIntegration);
    assert.equal(hasIntegration('actito'), true);
  });

  it('throws a ConfigError naming an unknown vendor', () => {
    assert.throws(
      () => getIntegration('mailchimp'),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.code, 'INVALID_CONFIG');
        assert.match(error.message, /unknown integration vendor "mailchimp"/);
        return true;
      },
    );
    assert.equal(hasIntegration('mailchimp'), false);
  });

  it('lists the catalog entry of every integration', () => {
    const vendors = listCatalog().map((entry) => entry.vendor);

    assert.deepEqual(vendors, ['actito']);
  });
});
