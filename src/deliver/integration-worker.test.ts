import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActiveIntegrations } from '../integrations/active-integrations.js';
import { silentLogger } from '../observability/logger.js';
import { MAX_CONCURRENCY } from './integration-worker.js';
import type { RetryPolicy } from './retry-policy.js';
import { emails, harness, INTEGRATION, until, waitingCount } from './test-support.js';

describe('IntegrationWorker', () => {
  it('delivers every queued profile to Actito', async (t) => {
    const h = await harness(t);
    await h.enqueue(['ada@example.com'], { firstName: 'Ada', marketingConsent: true });

    h.worker();
    await h.drained();

    assert.deepEqual(h.sandbox.profile('demo', 'Profiles', 'ada@example.com'), {
      email: 'ada@example.com',
      firstName: 'Ada',
      marketingConsent: true,
    });
    const [attempt] = await h.store.listAttempts(INTEGRATION, 10);
    assert.equal(attempt?.outcome, 'delivered');
    assert.equal(attempt?.status, 201);
  });

  it('never has more calls at the vendor than the configured concurrency', async (t) => {
    const h = await harness(t, { delivery: { concurrency: 3 } });
    h.sandbox.setFaults({ latencyMs: 100 });
    await h.enqueue(emails(40));

    h.worker();
    await h.drained();

    assert.equal(h.sandbox.stats().maxConcurrent, 3);
    assert.equal(h.sandbox.stats().rejectedConcurrency, 0);
    assert.equal(h.sandbox.profiles('demo', 'Profiles').length, 40);
  });

  it('caps a configured concurrency above five at five', async (t) => {
    const h = await harness(t, {
      delivery: { concurrency: 10 },
      sandboxLimits: { concurrency: null },
    });
    h.sandbox.setFaults({ latencyMs: 100 });
    await h.enqueue(emails(40));

    h.worker();
    await h.drained();

    assert.equal(MAX_CONCURRENCY, 5);
    assert.equal(h.sandbox.stats().maxConcurrent, 5);
    assert.equal(h.sandbox.profiles('demo', 'Profiles').length, 40);
  });

  it('starts no more calls in a minute than the calls-per-minute budget', async (t) => {
    const h = await harness(t, { delivery: { concurrency: 5, callsPerMinute: 10 } });
    await h.enqueue(emails(40));

    h.worker();
    await sleep(1_500);

    assert.equal(h.profileCalls().length, 10);
    assert.equal(await waitingCount(h.store), 30);
  });

  it('calls one profile key at a time, in the order its intents arrived', async (t) => {
    const h = await harness(t);
    h.sandbox.setFaults({ latencyMs: 300 });
    await h.enqueue(['ada@example.com'], { firstName: 'First' });
    const worker = h.worker();
    await until(() => h.profileCalls().length === 0 && h.sandbox.stats().maxConcurrent > 0);
    await h.enqueue(['ada@example.com'], { firstName: 'Second' });
    worker.notify();

    await h.drained();

    assert.deepEqual(
      h.profileCalls().map((call) => (call.body as { firstName: string }).firstName),
      ['First', 'Second'],
    );
    assert.equal(h.sandbox.stats().maxConcurrent, 1);
    assert.equal(h.sandbox.profile('demo', 'Profiles', 'ada@example.com')?.firstName, 'Second');
  });

  it('pauses new calls for the Retry-After of a 429 and retries the limited profile later', async (t) => {
    const h = await harness(t, { delivery: { concurrency: 1 } });
    h.sandbox.setFaults({
      errors: [{ status: 429, count: 1, retryAfterSeconds: 1, paths: 'profile' }],
    });
    await h.enqueue(emails(3));

    h.worker();
    await until(() => h.profileCalls().length === 3);

    const [limited, next, last] = h.profileCalls();
    assert.equal(limited?.status, 429);
    assert.equal(next?.status, 201);
    assert.equal(last?.status, 201);
    assert.ok(next!.at - limited!.at >= 990, `next call after ${next!.at - limited!.at} ms`);
    const [attempt] = (await h.store.listAttempts(INTEGRATION, 10)).filter((a) => a.status === 429);
    assert.equal(attempt?.outcome, 'retry');
    assert.equal(attempt?.error?.code, 'VENDOR_RATE_LIMITED');
    assert.equal(await waitingCount(h.store), 1);
  });

  it('dead-letters a permanent error at once, without retrying', async (t) => {
    const h = await harness(t);
    await h.enqueue(['ada@example.com'], { shoeSize: 42 });

    h.worker();
    await h.drained();

    const letters = await h.store.listDeadLetters({ integrationId: INTEGRATION });
    assert.equal(letters.length, 1);
    assert.equal(letters[0]?.attempts, 1);
    assert.equal(letters[0]?.error.code, 'VENDOR_REJECTED_PAYLOAD');
    assert.equal(letters[0]?.error.vendorStatus, 400);
    assert.equal(h.profileCalls().length, 1);
    const attempts = await h.store.listAttempts(INTEGRATION, 10);
    assert.deepEqual(
      attempts.map((a) => a.outcome),
      ['failed'],
    );
  });

  it('retries a transient error by the policy, then dead-letters it saying how many attempts', async (t) => {
    const policy: RetryPolicy = { delaysMs: [0, 0], jitter: 0, maxRetryAfterMs: 0 };
    const h = await harness(t, { retryPolicy: policy });
    h.sandbox.setFaults({ errors: [{ status: 500, paths: 'profile' }] });
    await h.enqueue(['ada@example.com']);

    h.worker();
    await h.drained();

    const [letter] = await h.store.listDeadLetters({ integrationId: INTEGRATION });
    assert.equal(letter?.attempts, 3);
    assert.equal(letter?.error.code, 'VENDOR_SERVER_ERROR');
    assert.equal(
      letter?.error.message,
      'gave up after 3 attempts; last error: Actito server error (HTTP 500)',
    );
    assert.equal(h.profileCalls().length, 3);
    const attempts = await h.store.listAttempts(INTEGRATION, 10);
    assert.deepEqual(
      attempts.map((a) => a.outcome),
      ['failed', 'retry', 'retry'],
    );
  });

  it('retries a delivery whose integration definition throws', async (t) => {
    let throws = 1;
    class ThrowingOnce extends ActiveIntegrations {
      override get(id: string) {
        const active = super.get(id);
        if (!active) return active;
        const deliver: typeof active.definition.deliver = async (request, config, context) => {
          if (throws-- > 0) throw new TypeError('a bug in the integration');
          return active.definition.deliver(request, config, context);
        };
        return { ...active, definition: { ...active.definition, deliver } };
      }
    }
    const h = await harness(t, {
      retryPolicy: { delaysMs: [0], jitter: 0, maxRetryAfterMs: 0 },
      integrations: (store) => new ThrowingOnce(store, silentLogger()),
    });
    await h.enqueue(['ada@example.com']);

    h.worker();
    await h.drained();

    const attempts = await h.store.listAttempts(INTEGRATION, 10);
    assert.deepEqual(
      attempts.map((a) => [a.outcome, a.error?.code]),
      [
        ['delivered', undefined],
        ['retry', 'VENDOR_UNEXPECTED'],
      ],
    );
    assert.ok(h.sandbox.profile('demo', 'Profiles', 'ada@example.com'));
  });
});
