import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { actitoIntegration } from './index.js';

const { catalog } = actitoIntegration;

function field(key: string) {
  const found = catalog.fields.find((f) => f.key === key);
  assert.ok(found, `field ${key}`);
  return found;
}

describe('Actito catalog entry', () => {
  it('lists the seed fields in order, secrets flagged, advanced options last', () => {
    const summary = catalog.fields.map((f) => [f.key, f.type, f.required, f.advanced === true]);

    assert.deepEqual(summary, [
      ['entity', 'string', true, false],
      ['profile_table', 'string', true, false],
      ['api_key', 'secret', true, false],
      ['access_token', 'secret', false, false],
      ['api_host', 'url', false, false],
      ['path_style', 'select', false, true],
      ['body_format', 'select', false, true],
      ['timeout_ms', 'string', false, true],
    ]);
    assert.deepEqual(actitoIntegration.secretFields, ['api_key', 'access_token']);
  });

  it('says the table is case-sensitive and the access token is for previews only', () => {
    assert.match(field('profile_table').help, /case-sensitive/);
    assert.match(field('access_token').help, /preview/);
    assert.match(field('access_token').help, /expires after 15 minutes/);
    assert.match(field('access_token').help, /Leave blank in production/);
  });

  it('offers the Actito hosts with api.actito.com as the default', () => {
    const apiHost = field('api_host');

    assert.equal(apiHost.default, 'https://api.actito.com');
    assert.deepEqual(
      apiHost.options?.map((o) => o.value),
      [
        'https://api.actito.com',
        'https://api1.actito.com',
        'https://api3.actito.com',
        'https://api-pre1.actito.com',
      ],
    );
  });

  it('defaults to the documented paths, the flat body and a ten-second timeout', () => {
    assert.equal(field('path_style').default, 'documented');
    assert.equal(field('body_format').default, 'flat');
    assert.equal(field('timeout_ms').default, '10000');
  });

  it('ships the validated Default preset and proposes the marketing consent category', () => {
    const [preset] = catalog.presets;

    assert.equal(catalog.presets.length, 1);
    assert.equal(preset?.id, 'default');
    assert.equal(preset?.name, 'Default');
    assert.equal(preset?.mappings.key.target, 'email');
    assert.deepEqual(catalog.defaultConsentCategories, ['marketing']);
  });

  it('parses the defaults it advertises', () => {
    const defaults = Object.fromEntries(
      catalog.fields.filter((f) => f.default !== undefined).map((f) => [f.key, f.default]),
    );

    const config = actitoIntegration.parseConfig({
      ...defaults,
      entity: 'demo',
      profile_table: 'Profiles',
      api_key: 'key-123456',
    });

    assert.equal(config.apiHost, 'https://api.actito.com');
    assert.equal(config.timeoutMs, 10_000);
  });
});
