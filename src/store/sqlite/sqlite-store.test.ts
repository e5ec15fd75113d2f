import { readdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';

import { SecretBox } from '../secret-box.js';
import type { IntegrationRecord, Pipeline } from '../types.js';
import { openSqliteStore } from './sqlite-store.js';

const HMAC_SECRET = 'hmac-secret-7f3a9c2e51';
const API_KEY = 'actito-api-key-d41d8cd98f00';

const root = mkdtempSync(join(tmpdir(), 'signal-store-'));
let nextDatabase = 0;

// These tests exercise the key file beside the database, not a key from the environment.
before(() => delete process.env.SIGNAL_ENCRYPTION_KEY);
after(() => rmSync(root, { recursive: true, force: true }));

/** A database path in a folder of its own (the key file goes beside it). */
function freshPath(): string {
  nextDatabase += 1;
  return join(root, `db-${nextDatabase}`, 'signal.db');
}

function pipeline(overrides: Partial<Pipeline> = {}): Pipeline {
  return {
    id: 'pl-1',
    name: 'Website',
    key: 'dk_website',
    hmacSecret: HMAC_SECRET,
    allowedOrigins: ['https://shop.example'],
    integrationIds: ['int-1'],
    rateLimitPerSecond: 50,
    enabled: true,
    ...overrides,
  };
}

function integration(overrides: Partial<IntegrationRecord> = {}): IntegrationRecord {
  return {
    id: 'int-1',
    vendor: 'actito',
    name: 'Actito',
    presetId: 'default',
    config: { licence: 'demo', apiKey: API_KEY },
    consentCategories: ['marketing'],
    enabled: true,
    delivery: {
      concurrency: 5,
      callsPerMinute: 100,
      skipUnchanged: true,
      unchangedMaxAgeMs: 86_400_000,
      propagateOptOut: false,
    },
    ...overrides,
  };
}

/** Every text or blob value of every user table, read with a connection of our own. */
function allStoredValues(path: string): string[] {
  const db = new BetterSqlite3(path, { readonly: true });
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .all() as { name: string }[];
  const values = tables.flatMap(({ name }) =>
    (db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]).flatMap((row) =>
      Object.values(row).map((value) =>
        Buffer.isBuffer(value) ? value.toString('latin1') : String(value),
      ),
    ),
  );
  db.close();
  return values;
}

describe('openSqliteStore', () => {
  it('applies the migrations once, however often the file is opened', async () => {
    const path = freshPath();

    await (await openSqliteStore({ path })).close();
    await (await openSqliteStore({ path })).close();

    const db = new BetterSqlite3(path, { readonly: true });
    const versions = db.prepare('SELECT version FROM schema_migrations').all();
    db.close();
    const files = readdirSync(new URL('./migrations/', import.meta.url)).filter((f) =>
      f.endsWith('.sql'),
    );
    assert.deepEqual(
      versions,
      files.map((file) => ({ version: Number.parseInt(file, 10) })),
    );
  });

  it('keeps configuration and events when the file is reopened', async () => {
    const path = freshPath();
    const first = await openSqliteStore({ path });
    await first.upsertPipeline(pipeline());
    await first.upsertIntegration(integration());
    await first.appendEvents([
      {
        pipelineId: 'pl-1',
        event: {
          type: 'track',
          event: 'Viewed',
          properties: {},
          traits: {},
          context: {},
          timestamp: '2024-05-01T10:00:00.000Z',
          messageId: 'msg-1',
          receivedAt: '2024-05-01T10:00:00.100Z',
        },
      },
    ]);
    await first.close();

    const second = await openSqliteStore({ path });
    const pipelines = await second.listPipelines();
    const integrations = await second.listIntegrations();
    const events = await second.readEvents(0, 10);
    await second.close();

    assert.deepEqual(pipelines, [pipeline()]);
    assert.deepEqual(integrations, [integration()]);
    assert.deepEqual(
      events.map(({ event }) => event.messageId),
      ['msg-1'],
    );
  });

  it('creates an encryption key file beside the database', async () => {
    const path = freshPath();

    await (await openSqliteStore({ path })).close();

    assert.equal(existsSync(join(path, '..', 'encryption.key')), true);
  });
});

describe('SqliteStore configuration', () => {
  it('lists upserted pipelines and finds one by its key', async () => {
    const store = await openSqliteStore({ path: freshPath() });
    await store.upsertPipeline(pipeline({ id: 'pl-2', key: 'dk_server', hmacSecret: undefined }));
    await store.upsertPipeline(pipeline());

    const listed = await store.listPipelines();
    const found = await store.findPipelineByKey('dk_website');
    const missing = await store.findPipelineByKey('dk_unknown');
    await store.close();

    assert.deepEqual(
      listed.map(({ id }) => id),
      ['pl-1', 'pl-2'],
    );
    assert.deepEqual(found, pipeline());
    assert.equal(listed[1]?.hmacSecret, undefined);
    assert.equal(missing, undefined);
  });

  it('replaces a pipeline upserted again with the same id', async () => {
    const store = await openSqliteStore({ path: freshPath() });
    await store.upsertPipeline(pipeline());

    const { hmacSecret: _dropped, ...renamed } = pipeline({ key: 'dk_renamed', name: 'Shop' });
    await store.upsertPipeline(renamed);
    const listed = await store.listPipelines();
    const byOldKey = await store.findPipelineByKey('dk_website');
    await store.close();

    assert.deepEqual(listed, [renamed]);
    assert.equal(byOldKey, undefined);
  });

  it('lists upserted integrations with their configuration in clear', async () => {
    const store = await openSqliteStore({ path: freshPath() });
    await store.upsertIntegration(integration({ id: 'int-2', config: { apiKey: 'other' } }));
    await store.upsertIntegration(integration());
    await store.upsertIntegration(integration({ name: 'Actito (renamed)' }));

    const listed = await store.listIntegrations();
    await store.close();

    assert.deepEqual(listed, [
      integration({ name: 'Actito (renamed)' }),
      integration({ id: 'int-2', config: { apiKey: 'other' } }),
    ]);
  });

  it('returns the default consent settings until some are saved', async () => {
    const store = await openSqliteStore({ path: freshPath() });

    const before = await store.getConsentSettings();
    await store.putConsentSettings({ default: 'granted', mapping: { C0004: 'marketing' } });
    const saved = await store.getConsentSettings();
    await store.close();

    assert.deepEqual(before, { default: 'denied', mapping: {} });
    assert.deepEqual(saved, { default: 'granted', mapping: { C0004: 'marketing' } });
  });
});

describe('SqliteStore secrets at rest', () => {
  it('stores no HMAC secret or integration setting in clear in any column', async () => {
    const path = freshPath();
    const store = await openSqliteStore({ path });
    await store.upsertPipeline(pipeline());
    await store.upsertIntegration(integration());
    await store.close();

    const values = allStoredValues(path);

    assert.ok(values.length > 0);
    for (const value of values) {
      assert.equal(value.includes(HMAC_SECRET), false);
      assert.equal(value.includes(API_KEY), false);
    }
  });

  it('leaves no secret in the bytes of the database file once it is closed', async () => {
    const path = freshPath();
    const store = await openSqliteStore({ path });
    await store.upsertPipeline(pipeline());
    await store.upsertIntegration(integration());
    await store.upsertIntegration(integration({ config: { apiKey: 'rotated' } }));
    await store.close();

    const files = [path, `${path}-wal`].filter((file) => existsSync(file));
    const bytes = Buffer.concat(files.map((file) => readFileSync(file)));

    assert.ok(bytes.includes(Buffer.from('dk_website')), 'the scan reads the stored rows');
    assert.equal(bytes.includes(Buffer.from(HMAC_SECRET)), false);
    assert.equal(bytes.includes(Buffer.from(API_KEY)), false);
  });

  it('fails with a clear error when the secrets were saved with another key', async () => {
    const path = freshPath();
    const writer = await openSqliteStore({ path });
    await writer.upsertPipeline(pipeline());
    await writer.upsertIntegration(integration());
    await writer.close();

    const reader = await openSqliteStore({ path, secretBox: new SecretBox(randomBytes(32)) });
    const expected = {
      name: 'ConfigError',
      code: 'INVALID_CONFIG',
      message: /encryption key is not the one they were saved with/,
    };

    await assert.rejects(reader.listIntegrations(), expected);
    await assert.rejects(reader.listPipelines(), expected);
    await assert.rejects(reader.findPipelineByKey('dk_website'), expected);
    await reader.close();
  });
});
