/**
 * An end-to-end rig for tests: the Actito sandbox and a Signal process on a fresh SQLite file,
 * wired together over real HTTP on free ports, with helpers to send events and wait for what
 * reaches the sandbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignalConfig } from '../../src/config/config-file.js';
import { provision } from '../../src/config/provision.js';
import { DEFAULT_DELIVERY_SETTINGS } from '../../src/deliver/delivery-defaults.js';
import type { RetryPolicy } from '../../src/deliver/retry-policy.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import {
  startSignalApp,
  type SignalApp,
  type SignalAppOptions,
} from '../../src/runtime/signal-app.js';
import {
  demoConfig as sandboxDemoConfig,
  overrideLimits,
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../src/sandbox/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { DeliverySettings, IntegrationRecord } from '../../src/store/types.js';
import { eventually } from './eventually.js';

export const PIPELINE_KEY = 'dk_test_pipeline_key';

export interface HarnessOptions {
  delivery?: Partial<DeliverySettings>;
  integration?: Partial<Omit<IntegrationRecord, 'delivery'>>;
  actitoConfig?: Record<string, unknown>;
  consent?: SignalConfig['consent'];
  sandbox?: SandboxOptions;
  retryPolicy?: RetryPolicy;
  allowedOrigins?: string[];
  /** Extra routes on the Signal app (test pages served from Signal's own origin). */
  routes?: SignalAppOptions['routes'];
  retention?: SignalAppOptions['retention'];
}

export interface Harness {
  signal: SignalApp;
  sandbox: Sandbox;
  dataDir: string;
  /** POSTs JSON to Signal with the pipeline key; returns status and parsed body. */
  send(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** The sandbox's profile for this e-mail (attributes), if any. */
  profile(email: string): Record<string, unknown> | undefined;
  /** Profile-write requests the sandbox received, oldest first. */
  profileWrites(): { body: unknown; status: number }[];
  close(): Promise<void>;
}

/** A retry schedule fast enough for tests: three quick retries. */
export const FAST_RETRIES: RetryPolicy = {
  delaysMs: [50, 100, 150],
  jitter: 0,
  maxRetryAfterMs: 200,
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signal-e2e-'));
  const sandbox = await startSandbox({ port: 0, config: unthrottledSandbox(), ...options.sandbox });
  const store = await openSqliteStore({ path: join(dataDir, 'signal.db'), synchronous: 'normal' });

  await provision(store, harnessConfig(sandbox.url, options));

  const signal = await startSignalApp({
    store,
    logger: silentLogger(),
    metrics: createMetrics({ defaults: false }),
    port: 0,
    retryPolicy: options.retryPolicy ?? FAST_RETRIES,
    leaseMs: 5_000,
    routes: options.routes,
    retention: options.retention,
  });

  return {
    signal,
    sandbox,
    dataDir,
    async send(path, body) {
      const response = await fetch(`${signal.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PIPELINE_KEY}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    profile: (email) => sandbox.profile('demo', 'Profiles', email),
    profileWrites: () =>
      sandbox
        .requests()
        .filter((request) => request.method === 'POST' && request.path.endsWith('/profile'))
        .map((request) => ({ body: request.body, status: request.status })),
    async close() {
      await signal.close();
      await store.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What the harness provisions: pipeline `web` (key `PIPELINE_KEY`) routed to one Actito
 * integration writing to the sandbox at `sandboxUrl`, OneTrust's C0004 mapped to marketing.
 */
export function harnessConfig(sandboxUrl: string, options: HarnessOptions = {}): SignalConfig {
  return {
    pipelines: [
      {
        id: 'web',
        name: 'Website',
        key: PIPELINE_KEY,
        allowedOrigins: options.allowedOrigins ?? ['*'],
        integrationIds: ['actito'],
        rateLimitPerSecond: 100_000,
        enabled: true,
      },
    ],
    integrations: [
      {
        id: 'actito',
        vendor: 'actito',
        name: 'Actito',
        presetId: 'default',
        config: {
          entity: 'demo',
          profile_table: 'Profiles',
          api_key: 'sandbox-key',
          api_host: sandboxUrl,
          timeout_ms: 2_000,
          ...options.actitoConfig,
        },
        consentCategories: ['marketing'],
        enabled: true,
        ...options.integration,
        delivery: { ...DEFAULT_DELIVERY_SETTINGS, callsPerMinute: null, ...options.delivery },
      },
    ],
    consent: options.consent ?? { default: 'denied', mapping: { C0004: 'marketing' } },
  };
}

/** Waits until Signal has no intent waiting or in flight (everything delivered or dead). */
export async function drained(signal: SignalApp, timeoutMs = 10_000): Promise<void> {
  await eventually(
    async () => {
      const cursor = await signal.store.readCursor();
      const pending = await signal.store.readEvents(cursor, 1);
      const depths = await signal.store.queueDepths();
      const busy = depths.some((depth) => depth.waiting + depth.inFlight > 0);
      return pending.length === 0 && !busy ? true : undefined;
    },
    'the delivery queue to drain',
    timeoutMs,
  );
}

export const SEED_TRAITS = {
  email: 'Jane.Doe@Example.com ',
  first_name: 'Jane',
  last_name: 'Doe',
  phone: '+44 7700 900123',
};

export const SEED_PAYLOAD =
  '{"email":"jane.doe@example.com","firstName":"Jane","lastName":"Doe",' +
  '"phone":"+447700900123","language":"en","marketingConsent":true}';

/** Browser-like context: locale `en` and OneTrust's marketing group granted. */
export function seedContext(marketing = true) {
  return {
    locale: 'en',
    consent: { categories: { C0001: true, C0004: marketing }, source: 'onetrust' },
  };
}

/** The sandbox's demo licence without its calls-per-minute slow-down, which only slows tests. */
export function unthrottledSandbox() {
  return overrideLimits(sandboxDemoConfig(), { calls_per_minute: null });
}
