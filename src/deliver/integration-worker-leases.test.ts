import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { emails, harness, INTEGRATION, until } from './test-support.js';

describe('IntegrationWorker leases', () => {
  it('sends no intent whose lease ran out while held, so no key is written twice', async (t) => {
    // Eight intents are claimed ahead of two call slots, with a 1 s lease. The first two calls
    // hang for 1.2 s: the six held behind them reach the end of their lease before a slot frees.
    const h = await harness(t, {
      delivery: { concurrency: 2 },
      leaseMs: 1_000,
      retryPolicy: { delaysMs: [50, 100, 150], jitter: 0, maxRetryAfterMs: 200 },
    });
    h.sandbox.setFaults({ latencyMs: 1_200 });
    const keys = emails(8);
    await h.enqueue(keys, { firstName: 'Ada' });

    h.worker();
    await sleep(300);
    h.sandbox.setFaults({ latencyMs: 0 });
    await h.drained();

    const writes = (key: string) =>
      h.profileCalls().filter((call) => (call.body as { email?: string }).email === key).length;
    // Held intents are handed back and claimed afresh once; the two hung calls end at their
    // deadline, before their lease, and are retried.
    assert.deepEqual(keys.slice(2).map(writes), [1, 1, 1, 1, 1, 1]);
    assert.equal(h.sandbox.profiles('demo', 'Profiles').length, 8);
    assert.deepEqual(await h.store.listDeadLetters(), []);
  });

  it('hands the intents it holds back when it stops, for the next worker to send', async (t) => {
    const h = await harness(t, { delivery: { concurrency: 1 } });
    h.sandbox.setFaults({ latencyMs: 300 });
    await h.enqueue(emails(4));

    const first = h.worker();
    await until(() => h.profileCalls().length > 0 || h.sandbox.stats().maxConcurrent > 0);
    await first.stop();
    const depth = (await h.store.queueDepths()).find((d) => d.integrationId === INTEGRATION);

    assert.equal(depth?.inFlight, 0, 'no claim is left to expire');
    h.worker();
    await h.drained();
    assert.equal(h.sandbox.profiles('demo', 'Profiles').length, 4);
  });
});
