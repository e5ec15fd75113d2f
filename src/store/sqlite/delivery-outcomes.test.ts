import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Store } from '../store.js';
import type {
  AttemptRecord,
  ClaimedDelivery,
  DeliveryFailure,
  IntegrationRecord,
  IntentInput,
} from '../types.js';
import { enqueue, INTEGRATION, LONG_LEASE_MS, temporaryStores } from './test-support.js';

const freshStore = temporaryStores();

const OTHER_INTEGRATION = 'int-2';

const REJECTED: DeliveryFailure = {
  code: 'VENDOR_REJECTED',
  message: 'Actito refused the profile',
  vendorStatus: 400,
  vendorBody: '{"error":"invalid email"}',
};

function intent(
  profileKey: string,
  attributes: Record<string, unknown>,
  messageId: string,
  options: { integrationId?: string; unchangedMaxAgeMs?: number } = {},
): IntentInput {
  return {
    integrationId: options.integrationId ?? INTEGRATION,
    profileKey,
    attributes,
    messageId,
    unchangedMaxAgeMs: options.unchangedMaxAgeMs ?? null,
  };
}

function attemptOf(delivery: ClaimedDelivery, outcome: AttemptRecord['outcome']): AttemptRecord {
  return {
    deliveryId: delivery.id,
    integrationId: delivery.integrationId,
    profileKey: delivery.profileKey,
    attempt: delivery.attempts + 1,
    outcome,
    status: outcome === 'delivered' ? 200 : 400,
    error: outcome === 'delivered' ? undefined : REJECTED,
    latencyMs: 12,
    exchanges: [],
    at: new Date().toISOString(),
  };
}

async function claimOne(store: Store, integrationId = INTEGRATION): Promise<ClaimedDelivery> {
  const [claimed] = await store.claimDeliveries(integrationId, 1, LONG_LEASE_MS);
  assert.ok(claimed, 'an intent was due');
  return claimed;
}

/** Queues one intent, claims it and gives up on it: it becomes a dead letter. */
async function deadLetter(store: Store, input: IntentInput): Promise<void> {
  await enqueue(store, [input]);
  const claimed = await claimOne(store, input.integrationId);
  await store.deadLetterDelivery(claimed, attemptOf(claimed, 'failed'), REJECTED);
}

function integration(id: string): IntegrationRecord {
  return {
    id,
    vendor: 'actito',
    name: id,
    presetId: 'default',
    config: {},
    consentCategories: [],
    enabled: true,
    delivery: {
      concurrency: 5,
      callsPerMinute: null,
      skipUnchanged: true,
      unchangedMaxAgeMs: 60_000,
      propagateOptOut: false,
    },
  };
}

describe('completeDelivery', () => {
  it('merges what was delivered into the delivered state of the key', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris', plan: 'free' }, 'm1')]);
    const first = await claimOne(store);
    await store.completeDelivery(first, attemptOf(first, 'delivered'));
    await enqueue(store, [intent('ada@example.com', { plan: 'pro' }, 'm2')]);
    const second = await claimOne(store);

    await store.completeDelivery(second, attemptOf(second, 'delivered'));
    const fates = await enqueue(store, [
      intent('ada@example.com', { city: 'Paris', plan: 'pro' }, 'm3', {
        unchangedMaxAgeMs: 60_000,
      }),
    ]);

    assert.deepEqual(fates, ['unchanged']);
    await store.close();
  });

  it('removes the intent from the queue and records the attempt', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris' }, 'm1')]);
    const claimed = await claimOne(store);
    const attempt = attemptOf(claimed, 'delivered');

    await store.completeDelivery(claimed, attempt);

    assert.equal(await store.nextDueAt(INTEGRATION), undefined);
    assert.deepEqual(await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS), []);
    assert.deepEqual(await store.listAttempts(INTEGRATION, 10), [attempt]);
    await store.close();
  });
});

describe('retryDelivery', () => {
  it('returns the intent to the queue at the retry time with one more attempt', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris' }, 'm1')]);
    const claimed = await claimOne(store);
    const retryAt = new Date(Date.now() + 40);

    await store.retryDelivery(claimed, attemptOf(claimed, 'retry'), retryAt);
    const beforeRetryTime = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);
    const due = await store.nextDueAt(INTEGRATION);
    await sleep(60);
    const retried = await claimOne(store);

    assert.deepEqual(beforeRetryTime, []);
    assert.equal(due?.getTime(), retryAt.getTime());
    assert.deepEqual(retried, { ...claimed, claimId: retried?.claimId, attempts: 1 });
    assert.deepEqual(
      (await store.listAttempts(INTEGRATION, 10)).map(({ outcome }) => outcome),
      ['retry'],
    );
    await store.close();
  });

  it('merges the retried intent under a newer waiting one, keeping the retry time', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris', plan: 'free' }, 'm1')]);
    const claimed = await claimOne(store);
    await enqueue(store, [intent('ada@example.com', { city: 'London' }, 'm2')]);
    const retryAt = new Date(Date.now() + 40);

    await store.retryDelivery(claimed, attemptOf(claimed, 'retry'), retryAt);
    const due = await store.nextDueAt(INTEGRATION);
    const beforeRetryTime = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);
    await sleep(60);
    const retried = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.ok(due && due.getTime() >= retryAt.getTime());
    assert.deepEqual(beforeRetryTime, []);
    assert.equal(retried.length, 1);
    assert.deepEqual(retried[0]?.attributes, { city: 'London', plan: 'free' });
    assert.deepEqual(retried[0]?.messageIds, ['m1', 'm2']);
    assert.equal(retried[0]?.attempts, 1);
    await store.close();
  });
});

describe('dead letters', () => {
  it('lists a dead-lettered intent with its error and attempts, out of the queue', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris' }, 'm1')]);
    const claimed = await claimOne(store);
    const attempt = attemptOf(claimed, 'failed');

    await store.deadLetterDelivery(claimed, attempt, REJECTED);
    const letters = await store.listDeadLetters();

    assert.deepEqual(letters, [
      {
        id: letters[0]?.id,
        integrationId: INTEGRATION,
        profileKey: 'ada@example.com',
        attributes: { city: 'Paris' },
        messageIds: ['m1'],
        attempts: 1,
        error: REJECTED,
        failedAt: attempt.at,
      },
    ]);
    assert.equal(await store.nextDueAt(INTEGRATION), undefined);
    assert.deepEqual(await store.listAttempts(INTEGRATION, 10), [attempt]);
    await store.close();
  });

  it('filters dead letters by integration and key, newest first, up to the limit', async () => {
    const store = await freshStore();
    await deadLetter(store, intent('ada@example.com', { a: 1 }, 'm1'));
    await deadLetter(store, intent('bob@example.com', { a: 1 }, 'm2'));
    await deadLetter(store, intent('ada@example.com', { a: 1 }, 'm3', { integrationId: 'int-2' }));

    const all = await store.listDeadLetters();
    const ofIntegration = await store.listDeadLetters({ integrationId: INTEGRATION });
    const ofKey = await store.listDeadLetters({ profileKey: 'ada@example.com' });
    const limited = await store.listDeadLetters({}, 1);

    const messages = (letters: { messageIds: string[] }[]) => letters.flatMap((l) => l.messageIds);
    assert.deepEqual(messages(all), ['m3', 'm2', 'm1']);
    assert.deepEqual(messages(ofIntegration), ['m2', 'm1']);
    assert.deepEqual(messages(ofKey), ['m3', 'm1']);
    assert.deepEqual(messages(limited), ['m3']);
    await store.close();
  });

  it('replays every dead letter back into the queue and removes them', async () => {
    const store = await freshStore();
    await deadLetter(store, intent('ada@example.com', { city: 'Paris' }, 'm1'));
    await deadLetter(
      store,
      intent('bob@example.com', { city: 'Rome' }, 'm2', { integrationId: 'int-2' }),
    );

    const replayed = await store.replayDeadLetters();
    const first = await claimOne(store);
    const second = await claimOne(store, OTHER_INTEGRATION);

    assert.equal(replayed, 2);
    assert.deepEqual(await store.listDeadLetters(), []);
    assert.deepEqual(
      [first.profileKey, first.attributes, first.messageIds, first.attempts],
      ['ada@example.com', { city: 'Paris' }, ['m1'], 0],
    );
    assert.equal(second.profileKey, 'bob@example.com');
    await store.close();
  });

  it('replays only the dead letters of one integration or one key', async () => {
    const store = await freshStore();
    await deadLetter(store, intent('ada@example.com', { a: 1 }, 'm1'));
    await deadLetter(store, intent('bob@example.com', { a: 1 }, 'm2'));
    await deadLetter(store, intent('ada@example.com', { a: 1 }, 'm3', { integrationId: 'int-2' }));

    const byKey = await store.replayDeadLetters({
      integrationId: INTEGRATION,
      profileKey: 'bob@example.com',
    });
    const afterByKey = await store.listDeadLetters();
    const byIntegration = await store.replayDeadLetters({ integrationId: INTEGRATION });
    const afterByIntegration = await store.listDeadLetters();

    assert.equal(byKey, 1);
    assert.deepEqual(
      afterByKey.map(({ messageIds }) => messageIds[0]),
      ['m3', 'm1'],
    );
    assert.equal(byIntegration, 1);
    assert.deepEqual(
      afterByIntegration.map(({ messageIds }) => messageIds[0]),
      ['m3'],
    );
    await store.close();
  });

  it('replays a dead letter under a waiting intent for its key, the waiting values winning', async () => {
    const store = await freshStore();
    await deadLetter(store, intent('ada@example.com', { city: 'Paris', plan: 'free' }, 'm1'));
    await enqueue(store, [intent('ada@example.com', { city: 'London' }, 'm2')]);

    const replayed = await store.replayDeadLetters({ profileKey: 'ada@example.com' });
    const claimed = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.equal(replayed, 1);
    assert.deepEqual(await store.listDeadLetters(), []);
    assert.equal(claimed.length, 1);
    assert.deepEqual(claimed[0]?.attributes, { city: 'London', plan: 'free' });
    assert.deepEqual(claimed[0]?.messageIds, ['m1', 'm2']);
    await store.close();
  });

  it('does not replay a value that a later delivery for the key replaced', async () => {
    const store = await freshStore();
    const key = 'ada@example.com';
    await deadLetter(store, intent(key, { email: key, city: 'Paris', plan: 'free' }, 'm1'));
    await sleep(5);
    await enqueue(store, [intent(key, { email: key, city: 'London' }, 'm2')]);
    const later = await claimOne(store);
    await store.completeDelivery(later, attemptOf(later, 'delivered'));

    await store.replayDeadLetters();
    const replayed = await claimOne(store);

    // London was delivered after Paris failed: Paris is stale. The key and the plan still go.
    assert.deepEqual(replayed.attributes, { email: key, plan: 'free' });
    await store.close();
  });

  it('replays two dead letters of one key as one intent, the newer values winning', async () => {
    const store = await freshStore();
    await deadLetter(store, intent('ada@example.com', { city: 'Paris', plan: 'free' }, 'm1'));
    await deadLetter(store, intent('ada@example.com', { city: 'London' }, 'm2'));

    const replayed = await store.replayDeadLetters();
    const claimed = await store.claimDeliveries(INTEGRATION, 10, LONG_LEASE_MS);

    assert.equal(replayed, 2);
    assert.equal(claimed.length, 1);
    assert.deepEqual(claimed[0]?.attributes, { city: 'London', plan: 'free' });
    assert.deepEqual(claimed[0]?.messageIds, ['m1', 'm2']);
    await store.close();
  });
});

describe('queueDepths', () => {
  it('counts waiting, in-flight and dead-lettered intents per integration', async () => {
    const store = await freshStore();
    await store.upsertIntegration(integration(INTEGRATION));
    await store.upsertIntegration(integration(OTHER_INTEGRATION));
    await enqueue(store, [
      intent('a@example.com', { n: 1 }, 'm1'),
      intent('b@example.com', { n: 1 }, 'm2'),
      intent('c@example.com', { n: 1 }, 'm3'),
      intent('d@example.com', { n: 1 }, 'm4', { integrationId: OTHER_INTEGRATION }),
    ]);
    const [, second] = await store.claimDeliveries(INTEGRATION, 2, LONG_LEASE_MS);
    assert.ok(second);
    await store.deadLetterDelivery(second, attemptOf(second, 'failed'), REJECTED);

    const depths = await store.queueDepths();

    assert.deepEqual(depths, [
      { integrationId: INTEGRATION, waiting: 1, inFlight: 1, deadLetters: 1 },
      { integrationId: OTHER_INTEGRATION, waiting: 1, inFlight: 0, deadLetters: 0 },
    ]);
    await store.close();
  });
});

describe('nextDueAt', () => {
  it('is undefined while nothing waits', async () => {
    const store = await freshStore();

    assert.equal(await store.nextDueAt(INTEGRATION), undefined);
    await store.close();
  });

  it('is the time of the earliest waiting intent of the integration', async () => {
    const store = await freshStore();
    const soon = new Date(Date.now() + 60_000);
    const later = new Date(Date.now() + 120_000);
    await enqueue(store, [intent('later@example.com', { a: 1 }, 'm1')], later);
    await enqueue(store, [intent('soon@example.com', { a: 1 }, 'm2')], soon);
    await enqueue(store, [intent('x@example.com', { a: 1 }, 'm3', { integrationId: 'int-2' })]);

    const due = await store.nextDueAt(INTEGRATION);

    assert.equal(due?.getTime(), soon.getTime());
    await store.close();
  });

  it('does not report an intent waiting behind a call in flight as due before that lease ends', async () => {
    const store = await freshStore();
    await enqueue(store, [intent('ada@example.com', { city: 'Paris' }, 'm1')]);
    await store.claimDeliveries(INTEGRATION, 1, LONG_LEASE_MS);
    const leaseEnds = Date.now() + LONG_LEASE_MS - 1000;
    await enqueue(store, [intent('ada@example.com', { city: 'London' }, 'm2')]);

    const due = await store.nextDueAt(INTEGRATION);

    assert.ok(
      due === undefined || due.getTime() >= leaseEnds,
      `reported due at ${due?.toISOString()}, though claimDeliveries cannot claim it`,
    );
    await store.close();
  });
});
