import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError } from '../core/errors.js';
import { DEFAULT_DELIVERY_SETTINGS } from '../deliver/delivery-defaults.js';
import { silentLogger } from '../observability/logger.js';
import type { IntegrationRecord } from '../store/types.js';
import { activateIntegration, ActiveIntegrations } from './active-integrations.js';

function record(overrides: Partial<IntegrationRecord> = {}): IntegrationRecord {
  return {
    id: 'int-1',
    vendor: 'actito',
    name: 'Actito',
    presetId: 'default',
    config: { entity: 'demo', profile_table: 'Profiles', api_key: 'key-0123456789' },
    consentCategories: ['marketing'],
    enabled: true,
    delivery: { ...DEFAULT_DELIVERY_SETTINGS },
    ...overrides,
  };
}

describe('activateIntegration', () => {
  it('uses the preset mappings when the record has none of its own', () => {
    const active = activateIntegration(record());

    assert.equal(active.mappings.key.target, 'email');
  });

  it('throws a ConfigError for an unknown preset and no mappings of its own', () => {
    assert.throws(
      () => activateIntegration(record({ presetId: 'nope' })),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.code, 'INVALID_CONFIG');
        assert.equal(error.message, 'unknown preset "nope" and no mappings of its own');
        return true;
      },
    );
  });
});

describe('ActiveIntegrations', () => {
  it('keeps a record it cannot run out, with the reason, and runs the others', async () => {
    const records = [record(), record({ id: 'int-2', presetId: 'nope' })];
    const integrations = new ActiveIntegrations(
      { listIntegrations: () => Promise.resolve(records) },
      silentLogger(),
    );

    await integrations.reload();

    assert.deepEqual(
      integrations.list().map((a) => a.record.id),
      ['int-1'],
    );
    assert.equal(integrations.problem('int-2'), 'unknown preset "nope" and no mappings of its own');
  });
});
