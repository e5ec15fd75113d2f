/**
 * The integration worker's test rig: the Actito sandbox over real HTTP, a fresh SQLite store
 * with the demo integration, and helpers to queue intents and wait for the queue to drain.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { eventually } from '../../test/support/eventually.js';
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
import { enqueue as enqueueIntents } from '../store/sqlite/test-support.js';
import type { Store } from '../store/store.js';
import type { DeliverySettings } from '../store/types.js';
import { HttpClient } from './http-client.js';
import { IntegrationWorker, type WorkerDependencies } from './integration-worker.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

export const INTEGRATION = 'actito';

export interface Setup {
  delivery?: Partial<DeliverySettings>;
  sandboxLimits?: Partial<LicenceLimits>;
  retryPolicy?: RetryPolicy;
  leaseMs?: number;
  /** Wraps the integrations, e.g. to make the definition throw. */
  integrations?: (store: Store) => ActiveIntegrations;
}

export interface Harness {
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

export async function harness(t: TestContext, setup: Setup = {}): Promise<Harness> {
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

  const config = signalDemoConfig({
    allowedOrigins: ['http://127.0.0.1:1'],
    sandboxUrl: sandbox.url,
  });
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
      await enqueueIntents(
        store,
        emails.map((email) => ({
          integrationId: INTEGRATION,
          profileKey: email,
          attributes: { email, ...extra },
          messageId: `m-${(message += 1)}`,
          unchangedMaxAgeMs: null,
        })),
      );
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

/** Waits until `check` holds, failing after `timeoutMs`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
): Promise<void> {
  await eventually(async () => ((await check()) ? true : undefined), 'the condition', timeoutMs);
}

export function emails(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `visitor-${i}@example.com`);
}

export async function waitingCount(store: Store): Promise<number> {
  const depth = (await store.queueDepths()).find((d) => d.integrationId === INTEGRATION);
  return depth?.waiting ?? -1;
}
