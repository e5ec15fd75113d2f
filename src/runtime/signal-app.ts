/**
 * One Signal process: the HTTP server (ingestion gateway, collector script, health and
 * metrics), the processor reading the event log, and the delivery workers, all over one store.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdminRoutes } from '../admin/admin-routes.js';
import { HttpClient } from '../deliver/http-client.js';
import { DeliveryService } from '../deliver/delivery-service.js';
import {
  DEFAULT_RETRY_POLICY,
  validateRetryPolicy,
  type RetryPolicy,
} from '../deliver/retry-policy.js';
import { registerIngestRoutes } from '../ingest/ingest-routes.js';
import type { IngestLimits } from '../ingest/ingest-limits.js';
import { ActiveIntegrations } from '../integrations/active-integrations.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { TraceBus } from '../observability/trace.js';
import { Processor } from '../process/processor.js';
import type { Store } from '../store/store.js';
import { registerCollectorRoutes } from './collector-routes.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerUiRoutes } from './ui-routes.js';
import { notifyOnAppend } from './notify-on-append.js';

export interface SignalAppOptions {
  store: Store;
  logger?: Logger;
  metrics?: Metrics;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  retryPolicy?: RetryPolicy;
  ingestLimits?: Partial<IngestLimits>;
  trustProxy?: boolean;
  /** A claimed delivery not finished within this long is handed out again. */
  leaseMs?: number;
  /** Vendor call timeout default, when an integration sets none. */
  vendorTimeoutMs?: number;
  /**
   * Release claims left by an earlier run at start. Right for the embedded mode, where this
   * process is the only deliverer.
   */
  recoverClaims?: boolean;
  /** Extra routes (the demo page). */
  routes?: (app: FastifyInstance) => void;
  /** Where the built management UI lives; default `dist/ui`. */
  uiDirectory?: string;
}

export interface SignalApp {
  url: string;
  http: FastifyInstance;
  store: Store;
  processor: Processor;
  delivery: DeliveryService;
  integrations: ActiveIntegrations;
  traces: TraceBus;
  metrics: Metrics;
  logger: Logger;
  /** Re-reads integrations from the store and starts or stops their workers. */
  reloadConfiguration(): Promise<void>;
  close(): Promise<void>;
}

export async function startSignalApp(options: SignalAppOptions): Promise<SignalApp> {
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createMetrics();
  const traces = new TraceBus();
  const store = options.store;
  const vendorHttp = new HttpClient({ timeoutMs: options.vendorTimeoutMs ?? 10_000 });

  const integrations = new ActiveIntegrations(store, logger);
  await integrations.reload();

  const delivery = new DeliveryService({
    store,
    integrations,
    http: vendorHttp,
    metrics,
    logger,
    traces,
    retryPolicy: validateRetryPolicy(options.retryPolicy ?? DEFAULT_RETRY_POLICY),
    leaseMs: options.leaseMs ?? 60_000,
  });
  const processor = new Processor({
    store,
    integrations,
    metrics,
    logger,
    traces,
    onQueued: (ids) => delivery.notify(ids),
  });

  let ready = false;
  const http = Fastify({ logger: false, trustProxy: options.trustProxy ?? false });
  registerHealthRoutes(http, { store, metrics, ready: () => ready });
  registerCollectorRoutes(http);
  registerUiRoutes(http, options.uiDirectory ? { directory: options.uiDirectory } : {});
  registerIngestRoutes(http, {
    store: notifyOnAppend(store, () => processor.notify()),
    metrics,
    logger,
    ...(options.ingestLimits ? { limits: options.ingestLimits } : {}),
  });
  options.routes?.(http);
  await registerAdminRoutes(http, {
    store,
    traces,
    logger,
    integrations,
    vendorHttp,
    reloadConfiguration: async () => {
      await integrations.reload();
      delivery.sync();
    },
  });

  await http.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
  processor.start();
  await delivery.start({ recover: options.recoverClaims ?? true });
  ready = true;

  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url }, 'signal is listening');

  return {
    url,
    http,
    store,
    processor,
    delivery,
    integrations,
    traces,
    metrics,
    logger,
    async reloadConfiguration() {
      await integrations.reload();
      delivery.sync();
    },
    async close() {
      ready = false;
      // Stop taking events first, then let the processor and the calls in flight finish.
      await http.close();
      await processor.stop();
      await delivery.stop();
      await vendorHttp.close();
    },
  };
}
