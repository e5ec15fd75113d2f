import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { loadConfigFile, type SignalConfig } from './config-file.js';
import { provision } from './provision.js';
import { TEST_ENV, validConfigFile, writeTempConfig } from './test-files.js';

function loadValid(env: Record<string, string> = TEST_ENV): SignalConfig {
  return loadConfigFile(writeTempConfig(validConfigFile()), env);
}

async function snapshot(store: Store): Promise<unknown> {
  return {
    pipelines: await store.listPipelines(),
    integrations: await store.listIntegrations(),
    consent: await store.getConsentSettings(),
  };
}

describe('provision', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signal-provision-'));
    store = await openSqliteStore({ path: join(dir, 'signal.db') });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates every record of a new configuration', async () => {
    const config = loadValid();

    const report = await provision(store, config);

    assert.deepEqual(report, {
      pipelines: { created: ['web'], updated: [], unchanged: [] },
      integrations: { created: ['actito'], updated: [], unchanged: [] },
      consent: 'updated',
    });
    assert.deepEqual(await store.listPipelines(), config.pipelines);
    assert.deepEqual(await store.listIntegrations(), config.integrations);
    assert.deepEqual(await store.getConsentSettings(), config.consent);
  });

  it('changes nothing when the same configuration is applied twice', async () => {
    await provision(store, loadValid());
    const before = await snapshot(store);

    const report = await provision(store, loadValid());

    assert.deepEqual(report, {
      pipelines: { created: [], updated: [], unchanged: ['web'] },
      integrations: { created: [], updated: [], unchanged: ['actito'] },
      consent: 'unchanged',
    });
    assert.deepEqual(await snapshot(store), before);
  });

  it('counts a changed api_key as an update and never reports its value', async () => {
    await provision(store, loadValid());
    const rotated = 'actito-rotated-key-43';

    const report = await provision(store, loadValid({ ...TEST_ENV, ACTITO_API_KEY: rotated }));

    assert.deepEqual(report.integrations, { created: [], updated: ['actito'], unchanged: [] });
    assert.deepEqual(report.pipelines, { created: [], updated: [], unchanged: ['web'] });
    assert.ok(!JSON.stringify(report).includes(rotated));
    const [stored] = await store.listIntegrations();
    assert.equal(stored?.config.api_key, rotated);
  });

  it('counts a changed HMAC secret as an update of the pipeline', async () => {
    await provision(store, loadValid());

    const report = await provision(
      store,
      loadValid({ ...TEST_ENV, WEB_HMAC: 'another-hmac-secret-9876543210' }),
    );

    assert.deepEqual(report.pipelines, { created: [], updated: ['web'], unchanged: [] });
  });

  it('leaves the stored consent settings alone when the configuration has none', async () => {
    await store.putConsentSettings({ default: 'granted', mapping: { C0002: 'analytics' } });
    const { consent: _ignored, ...withoutConsent } = loadValid();

    const report = await provision(store, withoutConsent);

    assert.equal(report.consent, 'not-configured');
    assert.deepEqual(await store.getConsentSettings(), {
      default: 'granted',
      mapping: { C0002: 'analytics' },
    });
  });

  it('refuses a key held by another stored pipeline before writing anything', async () => {
    const config = loadValid();
    await store.upsertPipeline({ ...config.pipelines[0]!, id: 'legacy' });

    const attempt = provision(store, config);

    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        'pipeline "web": its key is already used by the stored pipeline "legacy"',
      );
      return true;
    });
    assert.deepEqual(await store.listIntegrations(), []);
  });
});
