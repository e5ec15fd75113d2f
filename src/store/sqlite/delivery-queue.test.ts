import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Store } from '../store.js';
import type { AttemptRecord, ClaimedDelivery, IntentInput } from '../types.js';
import { enqueue, INTEGRATION, LONG_LEASE_MS, temporaryStores } from './test-support.js';

const freshStore = temporaryStores();

const MAX_AGE_MS = 60_000;

function intent(
  profileKey: string,
  attributes: Record<string, unknown>,
  messageId: string,
  unchangedMaxAgeMs: number | null = null,
): IntentInput {
  return { integrationId: INTEGRATION, profileKey, attributes, messageId, unchangedMaxAgeMs };
}

function attemptOf(delivery: ClaimedDelivery, outcome: AttemptRecord['outcome']): AttemptRecord {
  return {
    deliveryId: delivery.id,
    integrationId: delivery.integrationId,
    profileKey: delivery.profileKey,
    attempt: delivery.attempts + 1,
    outcome,
    status: outcome === 'delivered' ? 200 : 503,
    error: undefined,
    latencyMs: 12,
    exchanges: [],
    at: new Date().toISOString(),
  };
}

/** Queues, claims and completes one intent: the vendor now holds `attributes`. */
async function deliver(store: Store, key: string, attributes: Record<string, unknown>) {
  await enqueue(store, [intent(key, attributes, `delivered-${key}`)]);
  const [claimed] = await store.claimDeliveries(INTEGRATION, 1, LONG_LEASE_MS);
  assert.ok(claimed);
  await store.completeDelivery(claimed, attemptOf(claimed, 'delivered'));
}

describe('commitProcessing intent fates', () => {
  it('queues the first intent for a key', async () => {
    const store = await freshStore();

    const fates = await enqueue(store, [intent('ada@example.com', { firstName: 'Ada' }, 'm1')]);

    assert.deepEqual(fates, ['queued']);
    await store.close();
  });

  it('merges a second intent into the waiting one, later values winning', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { firstName: 'Ada', city: 'Paris' }, 'm1')]);

    const fates = await enqueue(store, [
      intent('ada@example.com', { city: 'London', plan: 'pro' }, 'm2'),
    ]);
    const claimed = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.deepEqual(fates, ['merged']);
    assert.equal(claimed.length, 1);
    assert.deepEqual(claimed[0]?.attributes, { firstName: 'Ada', city: 'London', plan: 'pro' });
    assert.deepEqual(claimed[0]?.messageIds, ['m1', 'm2']);
    await store.close();
  });

  it('returns one fate per intent, in order, within one step', async () => {
    const store = await freshStore();

    const fates = await enqueue(store, [
      intent('ada@example.com', { a: 1 }, 'm1'),
      intent('bob@example.com', { a: 1 }, 'm2'),
      intent('ada@example.com', { a: 2 }, 'm3'),
    ]);

    assert.deepEqual(fates, ['queued', 'queued', 'merged']);
    await store.close();
  });

  it('completes an intent equal to the delivered state within the maximum age as unchanged', async () => {
    const store = await freshStore();
    await deliver(store, 'ada@example.com', { firstName: 'Ada', city: 'Paris' });

    const fates = await enqueue(store, [
      intent('ada@example.com', { firstName: 'Ada', city: 'Paris' }, 'm2', MAX_AGE_MS),
    ]);

    assert.deepEqual(fates, ['unchanged']);
    assert.deepEqual(await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS), []);
    await store.close();
  });

  it('treats an intent whose attributes are a subset of the delivered state as unchanged', async () => {
    const store = await freshStore();
    await deliver(store, 'ada@example.com', { firstName: 'Ada', city: 'Paris', plan: 'pro' });

    const fates = await enqueue(store, [intent('ada@example.com', { city: 'Paris' }, 'm2', 1000)]);

    assert.deepEqual(fates, ['unchanged']);
    await store.close();
  });

  it('queues an equal intent when unchanged detection is off', async () => {
    const store = await freshStore();
    await deliver(store, 'ada@example.com', { firstName: 'Ada' });

    const fates = await enqueue(store, [intent('ada@example.com', { firstName: 'Ada' }, 'm2')]);

    assert.deepEqual(fates, ['queued']);
    await store.close();
  });

  it('queues an intent with a value that differs from the delivered one', async () => {
    const store = await freshStore();
    await deliver(store, 'ada@example.com', { firstName: 'Ada', city: 'Paris' });

    const fates = await enqueue(store, [
      intent('ada@example.com', { firstName: 'Ada', city: 'London' }, 'm2', MAX_AGE_MS),
    ]);

    assert.deepEqual(fates, ['queued']);
    await store.close();
  });

  it('queues an equal intent once the delivered state is older than the maximum age', async () => {
    const store = await freshStore();
    await deliver(store, 'ada@example.com', { firstName: 'Ada' });
    const later = new Date(Date.now() + MAX_AGE_MS + 1000);

    const fates = await enqueue(
      store,
      [intent('ada@example.com', { firstName: 'Ada' }, 'm2', MAX_AGE_MS)],
      later,
    );

    assert.deepEqual(fates, ['queued']);
    await store.close();
  });

  it('queues an intent equal to the delivered state while a call for its key is in flight', async () => {
    const store = await freshStore();
    await deliver(store, 'ada@example.com', { city: 'Paris' });
    await enqueue(store, [intent('ada@example.com', { city: 'London' }, 'm2')]);
    await store.claimDeliveries(INTEGRATION, 1, LONG_LEASE_MS);

    const fates = await enqueue(store, [
      intent('ada@example.com', { city: 'Paris' }, 'm3', MAX_AGE_MS),
    ]);

    assert.deepEqual(fates, ['queued']);
    await store.close();
  });
});

describe('claimDeliveries', () => {
  it('claims at most the limit', async () => {
    const store = await freshStore();
    const keys = ['a', 'b', 'c', 'd', 'e'];
    await enqueue(
      store,
      keys.map((key, i) => intent(`${key}@example.com`, { n: i }, `m${i}`)),
    );

    const first = await store.claimDeliveries(INTEGRATION, 3, LONG_LEASE_MS);
    const second = await store.claimDeliveries(INTEGRATION, 3, LONG_LEASE_MS);
    const third = await store.claimDeliveries(INTEGRATION, 3, LONG_LEASE_MS);

    assert.deepEqual(
      [...first, ...second].map(({ profileKey }) => profileKey),
      keys.map((key) => `${key}@example.com`),
    );
    assert.equal(first.length, 3);
    assert.deepEqual(third, []);
    await store.close();
  });

  it('returns a claimed intent with its attributes, message ids and no failed attempts', async () => {
    const store = await freshStore();
    const at = new Date();
    await enqueue(store, [intent('ada@example.com', { firstName: 'Ada' }, 'm1')], at);

    const [claimed] = await store.claimDeliveries(INTEGRATION, 1, LONG_LEASE_MS);

    assert.deepEqual(claimed, {
      id: claimed?.id,
      claimId: claimed?.claimId,
      integrationId: INTEGRATION,
      profileKey: 'ada@example.com',
      attributes: { firstName: 'Ada' },
      messageIds: ['m1'],
      attempts: 0,
      createdAt: at.toISOString(),
    });
    await store.close();
  });

  it('claims only intents that are due and only of the integration asked', async () => {
    const store = await freshStore();
    await enqueue(
      store,
      [intent('later@example.com', { a: 1 }, 'm1')],
      new Date(Date.now() + 60_000),
    );
    await enqueue(store, [
      { ...intent('other@example.com', { a: 1 }, 'm2'), integrationId: 'int-2' },
    ]);
    await enqueue(store, [intent('now@example.com', { a: 1 }, 'm3')]);

    const claimed = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.deepEqual(
      claimed.map(({ profileKey }) => profileKey),
      ['now@example.com'],
    );
    await store.close();
  });

  it('keeps a newer intent for a key in flight waiting until the call completes', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris' }, 'm1')]);
    const [first] = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);
    assert.ok(first);

    const fates = await enqueue(store, [intent('ada@example.com', { city: 'London' }, 'm2')]);
    const whileInFlight = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);
    await store.completeDelivery(first, attemptOf(first, 'delivered'));
    const afterCompletion = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.deepEqual(fates, ['queued']);
    assert.deepEqual(whileInFlight, []);
    assert.equal(afterCompletion.length, 1);
    assert.notEqual(afterCompletion[0]?.id, first.id);
    assert.deepEqual(afterCompletion[0]?.attributes, { city: 'London' });
    assert.deepEqual(afterCompletion[0]?.messageIds, ['m2']);
    await store.close();
  });

  it('releases a claim whose lease expired so it can be claimed again', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris' }, 'm1')]);
    const [first] = await store.claimDeliveries(INTEGRATION, 10, 1);
    await sleep(10);

    const again = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.equal(again.length, 1);
    assert.equal(again[0]?.id, first?.id);
    assert.deepEqual(again[0]?.attributes, { city: 'Paris' });
    assert.equal(again[0]?.attempts, 0);
    await store.close();
  });

  it('merges an expired claim under the intent that waited for it, newer values winning', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris', plan: 'free' }, 'm1')]);
    await store.claimDeliveries(INTEGRATION, 10, 1);
    await enqueue(store, [intent('ada@example.com', { city: 'London' }, 'm2')]);
    await sleep(10);

    const claimed = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.equal(claimed.length, 1);
    assert.deepEqual(claimed[0]?.attributes, { city: 'London', plan: 'free' });
    assert.deepEqual(claimed[0]?.messageIds, ['m1', 'm2']);
    await store.close();
  });

  it('keeps the intent when a retry is reported after the lease expired and was released', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris' }, 'm1')]);
    const [stale] = await store.claimDeliveries(INTEGRATION, 1, 1);
    assert.ok(stale);
    await enqueue(store, [intent('bob@example.com', { city: 'Rome' }, 'm2')], new Date(0));
    await sleep(10);
    // Releases Ada's expired claim, but the one slot goes to Bob, whose intent is older.
    await store.claimDeliveries(INTEGRATION, 1, LONG_LEASE_MS);

    await store.retryDelivery(stale, attemptOf(stale, 'retry'), new Date(Date.now() + 1000));

    assert.notEqual(await store.nextDueAt(INTEGRATION), undefined, "Ada's intent was lost");
    await store.close();
  });

  it('keeps a newer merged intent when a completion is reported after the lease was released', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris' }, 'm1')]);
    const [stale] = await store.claimDeliveries(INTEGRATION, 1, 1);
    assert.ok(stale);
    await enqueue(store, [intent('bob@example.com', { city: 'Rome' }, 'm2')], new Date(0));
    await sleep(10);
    await store.claimDeliveries(INTEGRATION, 1, LONG_LEASE_MS);
    await enqueue(store, [intent('ada@example.com', { plan: 'pro' }, 'm3')]);

    await store.completeDelivery(stale, attemptOf(stale, 'delivered'));
    const claimed = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.equal(claimed.length, 1, "Ada's newer intent (plan: pro) was lost");
    assert.equal(claimed[0]?.attributes.plan, 'pro');
    await store.close();
  });

  it('releases every claim on recovery', async () => {
    const store = await freshStore();
    await enqueue(store, [
      intent('ada@example.com', { a: 1 }, 'm1'),
      intent('bob@example.com', { a: 1 }, 'm2'),
    ]);
    await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    const released = await store.recoverClaims();
    const claimed = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.equal(released, 2);
    assert.deepEqual(claimed.map(({ profileKey }) => profileKey).sort(), [
      'ada@example.com',
      'bob@example.com',
    ]);
    await store.close();
  });
});
