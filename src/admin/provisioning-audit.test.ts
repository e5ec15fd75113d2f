/**
 * Configuration applied from the file at start shows in the audit log as `config-file`, and
 * integrations get revisions, so the history is complete however a change was made.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { provision } from '../config/provision.js';
import type { SignalConfig } from '../config/config-file.js';
import { DEFAULT_DELIVERY_SETTINGS } from '../deliver/delivery-defaults.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { recordProvisioning } from './provisioning-audit.js';

function config(apiKey: string): SignalConfig {
  return {
    pipelines: [
      {
        id: 'web',
        name: 'Web',
        key: 'dk_file_pipeline_1',
        allowedOrigins: ['*'],
        integrationIds: ['actito'],
        rateLimitPerSecond: 1000,
        enabled: true,
      },
    ],
    integrations: [
      {
        id: 'actito',
        vendor: 'actito',
        name: 'Actito',
        presetId: 'default',
        config: { entity: 'demo', profile_table: 'Profiles', api_key: apiKey },
        consentCategories: ['marketing'],
        enabled: true,
        delivery: { ...DEFAULT_DELIVERY_SETTINGS },
      },
    ],
    consent: { default: 'denied', mapping: { C0004: 'marketing' } },
  };
}

describe('recordProvisioning', () => {
  it('records each change of the file as config-file, secrets without values', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'signal-provision-audit-'));
    const store = await openSqliteStore({ path: join(folder, 'signal.db') });

    await recordProvisioning(store, await provision(store, config('ak_file_KEY_1')));
    await recordProvisioning(store, await provision(store, config('ak_file_KEY_1')));
    await recordProvisioning(store, await provision(store, config('ak_file_KEY_2')));

    const audit = await store.listAudit({ limit: 50 });
    const revisions = await store.listIntegrationRevisions('actito');
    assert.ok(audit.every((entry) => entry.actor === 'config-file'));
    assert.deepEqual(audit.map((entry) => entry.action).reverse(), [
      'integration.created',
      'pipeline.created',
      'consent.updated',
      'integration.updated',
    ]);
    assert.deepEqual(revisions[0]!.changes, [{ field: 'config.api_key', change: 'changed' }]);
    assert.equal(revisions.length, 2, 'an unchanged file adds no revision');
    assert.ok(!JSON.stringify(audit).includes('ak_file_KEY'));
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });
});
