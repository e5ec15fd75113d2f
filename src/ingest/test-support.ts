/**
 * Helpers for the gateway's own tests: a Fastify server with the ingest routes on a real SQLite
 * store in a temporary folder, a controllable clock and a captured log. Not part of the public
 * API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { SignalEvent } from '../core/envelope.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import type { Pipeline } from '../store/types.js';
import type { IngestLimits } from './ingest-limits.js';
import { registerIngestRoutes } from './ingest-routes.js';

export const PIPELINE_KEY = 'dk_test_0f3a9c27e1b84d56';
export const HMAC_SECRET = 'hs_test_9d41c7be2a6f4e03b5d8';
export const SHOP_ORIGIN = 'https://shop.example';
/** 2025-03-14T09:26:53.000Z, the gateway's clock unless a test moves it. */
export const NOW_MS = Date.UTC(2025, 2, 14, 9, 26, 53);

export const TEST_PIPELINE: Pipeline = {
  id: 'pl_web',
  name: 'Web shop',
  key: PIPELINE_KEY,
  hmacSecret: HMAC_SECRET,
  allowedOrigins: [SHOP_ORIGIN],
  integrationIds: [],
  rateLimitPerSecond: 1000,
  enabled: true,
};

export interface GatewayOptions {
  pipeline?: Partial<Pipeline>;
  /** More pipelines, stored as given. */
  pipelines?: Pipeline[];
  limits?: Partial<IngestLimits>;
  trustProxy?: boolean;
  /** Wraps the real store, e.g. to inject a fault. */
  wrapStore?: (store: Store) => Store;
  /** Listen on a loopback port (for the tests over a real socket). */
  listen?: boolean;
}

export type GatewayApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;

export interface Gateway {
  app: GatewayApp;
  /** The real store, unwrapped. */
  store: Store;
  metrics: Metrics;
  /** The gateway's clock, in Unix ms; tests may move it. */
  clock: { ms: number };
  /** Every log line written so far, server and gateway alike. */
  logLines: string[];
  /** Base URL when listening. */
  url: string;
  /** Events stored so far, in log order. */
  storedEvents(): Promise<SignalEvent[]>;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const folder = await mkdtemp(join(tmpdir(), 'signal-ingest-'));
  const store = await openSqliteStore({ path: join(folder, 'signal.db') });
  await store.upsertPipeline({ ...TEST_PIPELINE, ...options.pipeline });
  for (const pipeline of options.pipelines ?? []) await store.upsertPipeline(pipeline);

  const logLines: string[] = [];
  const logger = captureLogger(logLines);
  const metrics = createMetrics({ defaults: false });
  const clock = { ms: NOW_MS };

  const app = Fastify({
    loggerInstance: logger,
    // As in production: request URLs (the pixel's) carry the pipeline key.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy ?? false,
  });
  registerIngestRoutes(app, {
    store: options.wrapStore ? options.wrapStore(store) : store,
    metrics,
    logger,
    now: () => new Date(clock.ms),
    ...(options.limits ? { limits: options.limits } : {}),
  });

  let url = '';
  if (options.listen) url = await app.listen({ port: 0, host: '127.0.0.1' });
  else await app.ready();

  return {
    app,
    store,
    metrics,
    clock,
    logLines,
    url,
    storedEvents: async () => (await store.readEvents(0, 1000)).map((stored) => stored.event),
    async close() {
      await app.close();
      await store.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** The production logger at its most verbose level, writing into `lines`. */
export function captureLogger(lines: string[]): Logger {
  return createLogger({ level: 'trace', destination: { write: (line) => void lines.push(line) } });
}

/** `Authorization` header of HTTP Basic auth with the key as user name (Segment, RudderStack). */
export function basicAuth(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

/** Headers of a JSON request authenticated with the test key as a bearer token. */
export function bearerJson(extra: Record<string, string> = {}): Record<string, string> {
  return {
    authorization: `Bearer ${PIPELINE_KEY}`,
    'content-type': 'application/json',
    ...extra,
  };
}

/** The parsed JSON body of an injected response. */
export function jsonOf(response: { body: string }): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>;
}
