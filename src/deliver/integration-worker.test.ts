import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { provision } from '../config/provision.js';
import { demoConfig as signalDemoConfig } from '../demo/demo-config.js';
import { ActiveIntegrations } from '../integrations/active-integrations.js';
import { silentLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { TraceBus } from '../observability/trace.js';
import {
  demoConfig,
  overrideLimits,
  startSandbox,
  type LicenceLimits,
  type Sandbox,
} from '../sandbox/index.js';
import { SecretBox } from '../store/secret-box.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import type { DeliverySettings } from '../store/types.js';
import { DeliveryService } from './delivery-service.js';
import { HttpClient } from './http-client.js';
import {
  IntegrationWorker,
  MAX_CONCURRENCY,
  type WorkerDependencies,
} from './integration-worker.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

const INTEGRATION = 'actito';

interface Setup {
  delivery?: Partial<DeliverySettings>;
  sandboxLimits?: Partial<LicenceLimits>;
  retryPolicy?: RetryPolicy;
  leaseMs?: number;
  /** Wraps the integrations, e.g. to make the definition throw. */
  integrations?: (store: Store) => ActiveIntegrations;
}

interface Harness {
  sandbox: Sandbox;
  store: Store;
  deps: WorkerDependencies;
  /** Queues one intent per email, each with these extra attributes. */
  enqueue(emails: string[], extra?: Record<string, unknown>): Promise<void>;
  /** Starts a worker, stopped after the test. */
  worker(): IntegrationWorker;
  /** Resolves once nothing of the integration is waiting or in flight. */
  drained(): Promise<void>;
  profileCalls(): { at: number; status: number; body: unknown }[];
}

async function harness(t: TestContext, setup: Setup = {}): Promise<Harness> {
  const sandbox = await startSandbox({
    port: 0,
    config: overrideLimits(demoConfig(), { calls_per_minute: null, ...setup.sandboxLimits }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'signal-worker-'));
  const store = await openSqliteStore({
    path: join(dir, 'signal.db'),
    secretBox: new SecretBox(randomBytes(32)),
  });
  const http = new HttpClient({ timeoutMs: 5_000 });
  const workers: IntegrationWorker[] = [];
  t.after(async () => {
    for (const worker of workers) await worker.stop();
    await http.close();
    await sandbox.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = signalDemoConfig({ signalUrl: 'http://127.0.0.1:1', sandboxUrl: sandbox.url });
  const integration = config.integrations[0]!;
  integration.delivery = { ...integration.delivery, callsPerMinute: null, ...setup.delivery };
  await provision(store, config);
  const integrations = setup.integrations?.(store) ?? new ActiveIntegrations(store, silentLogger());
  await integrations.reload();

  const deps: WorkerDependencies = {
    store,
    integrations,
    http,
    metrics: createMetrics({ defaults: false }),
    logger: silentLogger(),
    traces: new TraceBus(),
    retryPolicy: setup.retryPolicy ?? DEFAULT_RETRY_POLICY,
    leaseMs: setup.leaseMs ?? 30_000,
  };

  let message = 0;
  return {
    sandbox,
    store,
    deps,
    enqueue: async (emails, extra = {}) => {
      await store.commitProcessing({
        cursor: 0,
        seen: [],
        profiles: [],
        mergedProfileIds: [],
        intents: emails.map((email) => ({
          integrationId: INTEGRATION,
          profileKey: email,
          attributes: { email, ...extra },
          messageId: `m-${(message += 1)}`,
          unchangedMaxAgeMs: null,
        })),
        drops: [],
        at: new Date().toISOString(),
      });
    },
    worker: () => {
      const worker = new IntegrationWorker(INTEGRATION, deps);
      workers.push(worker);
      worker.start();
      return worker;
    },
    drained: () =>
      until(async () => {
        const depth = (await store.queueDepths()).find((d) => d.integrationId === INTEGRATION);
        return depth !== undefined && depth.waiting === 0 && depth.inFlight === 0;
      }),
    profileCalls: () =>
      sandbox
        .requests()
        .filter((r) => r.path.endsWith('/profile'))
        .map((r) => ({ at: Date.parse(r.at), status: r.status, body: r.body })),
  };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

function emails(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `visitor-${i}@example.com`);
}

async function waitingCount(store: Store): Promise<number> {
  const depth = (await store.queueDepths()).find((d) => d.integrationId === INTEGRATION);
  return depth?.waiting ?? -1;
}

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

describe('DeliveryService', () => {
  it('releases the claims of a previous run on start with recover, and delivers them', async (t) => {
    const h = await harness(t);
    await h.enqueue(['ada@example.com', 'bob@example.com']);
    const interrupted = await h.store.claimDeliveries(INTEGRATION, 2, 60_000);
    const service = new DeliveryService({ ...h.deps, vendorTimeoutMs: 5_000 });
    t.after(() => service.stop());

    await service.start({ recover: true });
    await h.drained();

    assert.equal(interrupted.length, 2);
    assert.equal(h.sandbox.profiles('demo', 'Profiles').length, 2);
  });

  it('stops delivering once stopped', async (t) => {
    const h = await harness(t);
    const service = new DeliveryService({ ...h.deps, vendorTimeoutMs: 5_000 });
    await service.start({ recover: false });
    await service.stop();

    await h.enqueue(['ada@example.com']);
    service.notify([INTEGRATION]);
    await sleep(300);

    assert.equal(h.profileCalls().length, 0);
    assert.equal(await waitingCount(h.store), 1);
  });
});
