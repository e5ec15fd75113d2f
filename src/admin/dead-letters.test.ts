/**
 * Dead letters and delivery attempts through the Management API: a wrong table name sends
 * deliveries to the dead letter with Actito's hint; after the fix they are replayed, or
 * discarded with a record in the audit log.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { eventually } from '../../test/support/eventually.js';
import { actitoIntegration, startAdminRig, type AdminRig } from './test-support.js';

interface LetterBody {
  id: number;
  integration_id: string;
  profile_key: string;
  attributes: Record<string, unknown>;
  error: { code: string; message: string; vendor_status: number };
}

const CONTEXT = { locale: 'en', consent: { categories: { C0004: true } } };

let rig: AdminRig;

beforeEach(async () => {
  rig = await startAdminRig();
  // "Profile" instead of "Profiles": Actito answers 404, a permanent failure.
  await rig.api('POST', '/integrations', { body: actitoIntegration(rig.sandbox, 'Profile') });

  for (const user of ['jane', 'bob']) {
    await rig.send('/v1/i', {
      userId: user,
      traits: { email: `${user}@example.com` },
      context: CONTEXT,
    });
  }
  await eventually(
    async () => ((await letters()).length === 2 ? true : undefined),
    'two dead letters',
  );
});

afterEach(() => rig.close());

async function letters(query = ''): Promise<LetterBody[]> {
  return ((await rig.api('GET', `/dead-letters${query}`)).body as { data: LetterBody[] }).data;
}

describe('dead letters', () => {
  it('are listed with the vendor status and what to fix, filtered by key', async () => {
    const jane = await letters('?integration=actito&key=jane%40example.com');

    assert.equal(jane.length, 1);
    assert.equal(jane[0]!.error.code, 'VENDOR_NOT_FOUND');
    assert.equal(jane[0]!.error.vendor_status, 404);
    assert.match(jane[0]!.error.message, /case-sensitive/);
    assert.equal(jane[0]!.attributes.email, 'jane@example.com');
  });

  it('are replayed after the fix and then reach Actito', async () => {
    const [newest] = await letters('?key=jane%40example.com');
    await rig.api('PATCH', '/integrations/actito', {
      body: { config: { profile_table: 'Profiles' } },
    });

    const reply = await rig.api('POST', '/dead-letters/replay', { body: { ids: [newest!.id] } });
    const profile = await eventually(
      () => rig.sandbox.profile('demo', 'Profiles', 'jane@example.com'),
      'the replayed profile',
    );

    assert.deepEqual(reply.body, { replayed: 1 });
    assert.equal(profile.marketingConsent, true);
    assert.deepEqual(
      (await letters()).map((letter) => letter.profile_key),
      ['bob@example.com'],
    );
  });

  it('are discarded into the audit log, not silently dropped', async () => {
    const [bob] = await letters('?key=bob%40example.com');

    const reply = await rig.api('POST', '/dead-letters/discard', { body: { ids: [bob!.id] } });
    const audit = (await rig.api('GET', '/audit')).body as {
      data: { action: string; actor: string; changes: { from: LetterBody }[] }[];
    };

    assert.deepEqual(reply.body, { discarded: 1 });
    assert.equal((await letters()).length, 1);
    const entry = audit.data[0]!;
    assert.equal(entry.action, 'dead_letter.discarded');
    assert.equal(entry.actor, 'owner@example.com');
    assert.equal(entry.changes[0]!.from.profile_key, 'bob@example.com');
    assert.equal(entry.changes[0]!.from.attributes.email, 'bob@example.com');
  });

  it('refuse a discard without ids', async () => {
    const reply = await rig.api('POST', '/dead-letters/discard', { body: {} });

    assert.equal(reply.status, 422);
    assert.equal((await letters()).length, 2);
  });
});

describe('delivery attempts', () => {
  it('show each failed attempt with status, error, latency and the masked request body', async () => {
    const reply = await rig.api('GET', '/integrations/actito/deliveries?limit=10');

    const attempts = (
      reply.body as {
        data: {
          outcome: string;
          status: number;
          latency_ms: number;
          request_body: string;
          error: { code: string };
        }[];
      }
    ).data;
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0]!.outcome, 'failed');
    assert.equal(attempts[0]!.status, 404);
    assert.equal(attempts[0]!.error.code, 'VENDOR_NOT_FOUND');
    assert.ok(attempts[0]!.latency_ms >= 0);
    assert.match(attempts[0]!.request_body, /"email":"(bob|jane)@example.com"/);
  });

  it('are summarised in the integration health', async () => {
    const reply = await rig.api('GET', '/integrations/actito');

    const health = (
      reply.body as {
        health: {
          dead_letters: number;
          last_hour: { failed: number };
          last_delivery: { outcome: string };
        };
      }
    ).health;
    assert.equal(health.dead_letters, 2);
    assert.equal(health.last_hour.failed, 2);
    assert.equal(health.last_delivery.outcome, 'failed');
  });
});
