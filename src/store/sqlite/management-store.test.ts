/**
 * The management half of the SQLite store: users, sessions, integration revisions, the audit
 * log, discarding dead letters and delivery health, on real database files.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_DELIVERY_SETTINGS } from '../../deliver/delivery-defaults.js';
import { SecretBox } from '../secret-box.js';
import type { Store } from '../store.js';
import type { AdminUser, DeliveryFailure, IntegrationRecord } from '../types.js';
import { openSqliteStore } from './sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'signal-management-'));
const secretBox = new SecretBox(randomBytes(32));
let databases = 0;

after(() => rmSync(root, { recursive: true, force: true }));

async function freshStore(): Promise<{ store: Store; path: string }> {
  databases += 1;
  const path = join(root, `db-${databases}.db`);
  return { store: await openSqliteStore({ path, secretBox }), path };
}

const USER: AdminUser = {
  id: 'usr_1',
  email: 'ada@example.com',
  role: 'admin',
  passwordHash: 'scrypt$1$1$1$salt$hash',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

const INTEGRATION: IntegrationRecord = {
  id: 'actito',
  vendor: 'actito',
  name: 'Actito',
  presetId: 'default',
  config: { entity: 'demo', profile_table: 'Profiles', api_key: 'ak_live_AT_REST_42' },
  consentCategories: ['marketing'],
  enabled: true,
  delivery: { ...DEFAULT_DELIVERY_SETTINGS },
};

const REJECTED: DeliveryFailure = { code: 'VENDOR_REJECTED_PAYLOAD', message: 'no' };

async function deadLetter(store: Store, profileKey: string): Promise<void> {
  await store.commitProcessing({
    cursor: 0,
    seen: [],
    profiles: [],
    mergedProfileIds: [],
    intents: [
      {
        integrationId: 'actito',
        profileKey,
        attributes: { email: profileKey },
        messageId: `m-${profileKey}`,
        unchangedMaxAgeMs: null,
      },
    ],
    drops: [],
    at: new Date().toISOString(),
  });
  const [claimed] = await store.claimDeliveries('actito', 1, 60_000);
  const attempt = {
    deliveryId: claimed!.id,
    integrationId: 'actito',
    profileKey,
    attempt: 1,
    outcome: 'failed' as const,
    status: 400,
    error: REJECTED,
    latencyMs: 5,
    exchanges: [],
    at: new Date().toISOString(),
  };
  await store.deadLetterDelivery(claimed!, attempt, REJECTED);
}

describe('users', () => {
  it('are created once per e-mail and found by e-mail or id', async () => {
    const { store } = await freshStore();

    const first = await store.createUser(USER);
    const again = await store.createUser({ ...USER, id: 'usr_2' });

    assert.equal(first, true);
    assert.equal(again, false);
    assert.equal(await store.countUsers(), 1);
    assert.deepEqual(await store.findUserByEmail('ada@example.com'), USER);
    assert.deepEqual(await store.findUserById('usr_1'), USER);
    await store.close();
  });
});

describe('sessions', () => {
  it('are found until they expire, extended, and ended per user except one', async () => {
    const { store } = await freshStore();
    await store.createUser(USER);
    const session = (tokenHash: string) => ({
      tokenHash,
      userId: 'usr_1',
      createdAt: USER.createdAt,
      expiresAtMs: Date.now() + 1_000,
      absoluteExpiresAtMs: Date.now() + 10_000,
    });
    await store.createSession(session('a'));
    await store.createSession(session('b'));

    await store.extendSession('a', Date.now() + 60_000);
    const later = Date.now() + 5_000;

    assert.ok(await store.findSession('a', later));
    assert.equal(await store.findSession('b', later), undefined);
    assert.equal(await store.findSession('a', Date.now() + 20_000), undefined, 'absolute end');
    await store.deleteUserSessions('usr_1', 'a');
    assert.ok(await store.findSession('a', Date.now()));
    assert.equal(await store.findSession('b', Date.now()), undefined);
    await store.close();
  });
});

describe('integration revisions', () => {
  it('are numbered per integration, written with the record, and encrypted at rest', async () => {
    const { store, path } = await freshStore();
    const meta = {
      actor: 'ada@example.com',
      action: 'integration.created',
      changes: [],
      at: 'now',
    };

    const first = await store.saveIntegrationRevision(INTEGRATION, meta);
    const second = await store.saveIntegrationRevision({ ...INTEGRATION, name: 'B' }, meta);

    const revisions = await store.listIntegrationRevisions('actito');
    assert.deepEqual([first, second], [1, 2]);
    assert.deepEqual(
      revisions.map((revision) => [revision.revision, revision.record.name]),
      [
        [2, 'B'],
        [1, 'Actito'],
      ],
    );
    assert.equal(
      (await store.getIntegrationRevision('actito', 1))?.record.config.api_key,
      'ak_live_AT_REST_42',
    );
    assert.equal((await store.listIntegrations())[0]?.name, 'B');
    assert.equal((await store.listAudit({ limit: 10 })).length, 2);
    await store.close();
    assert.ok(!readFileSync(path).includes('ak_live_AT_REST_42'));
  });
});

describe('the audit log', () => {
  it('pages newest first below a given id', async () => {
    const { store } = await freshStore();
    const entry = (targetId: string) => ({
      actor: 'a',
      action: 'pipeline.created',
      targetType: 'pipeline',
      targetId,
      changes: [],
      at: 'now',
    });
    await store.appendAudit(['p1', 'p2', 'p3'].map(entry));

    const page = await store.listAudit({ limit: 2 });
    const next = await store.listAudit({ beforeId: page[1]!.id, limit: 2 });

    assert.deepEqual(
      page.map((e) => e.targetId),
      ['p3', 'p2'],
    );
    assert.deepEqual(
      next.map((e) => e.targetId),
      ['p1'],
    );
    await store.close();
  });
});

describe('dead letters', () => {
  it('are discarded by id and returned, others kept', async () => {
    const { store } = await freshStore();
    await store.upsertIntegration(INTEGRATION);
    await deadLetter(store, 'a@example.com');
    await deadLetter(store, 'b@example.com');
    const [b, a] = await store.listDeadLetters();

    const discarded = await store.discardDeadLetters([a!.id]);

    assert.deepEqual(
      discarded.map((letter) => letter.profileKey),
      ['a@example.com'],
    );
    assert.deepEqual(
      (await store.listDeadLetters()).map((letter) => letter.id),
      [b!.id],
    );
    assert.deepEqual(await store.listDeadLetters({ ids: [a!.id] }), []);
    await store.close();
  });

  it('count in the delivery health of their integration', async () => {
    const { store } = await freshStore();
    await store.upsertIntegration(INTEGRATION);
    await deadLetter(store, 'a@example.com');

    const [health] = await store.deliveryHealth(new Date(Date.now() - 3_600_000).toISOString());

    assert.equal(health?.integrationId, 'actito');
    assert.equal(health?.failed, 1);
    assert.equal(health?.delivered, 0);
    assert.equal(health?.last?.status, 400);
    await store.close();
  });
});
