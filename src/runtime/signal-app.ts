/**
 * One Signal process: the HTTP server (ingestion gateway, collector script, health and metrics,
 * Management API and UI) and the engine (processor and delivery workers), over one store.
 *
 * The engine runs on the server's thread by default, which tests use to watch its traces. With
 * `engineThread`, it runs on a thread of its own with its own connection to the store, so the
 * gateway keeps a core to itself: that is how `signal start` runs.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdminRoutes } from '../admin/admin-routes.js';
import type { TraceView } from '../admin/debugger/trace-view.js';
import type { DeliveryService } from '../deliver/delivery-service.js';
import { HttpClient } from '../deliver/http-client.js';
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
import type { TraceBus } from '../observability/trace.js';
import type { Processor } from '../process/processor.js';
import type { StoreLocation } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { RetentionPolicy } from '../store/types.js';
import { registerCollectorRoutes } from './collector-routes.js';
import { Engine } from './engine.js';
import { EngineThread } from './engine-thread.js';
import { registerHealthRoutes } from './health-routes.js';
import { notifyOnAppend } from './notify-on-append.js';
import { registerUiRoutes } from './ui-routes.js';

/**
 * By default, history older than a week goes, a thousand rows at a time: the log's writer waits
 * for each step (SQLite has one writer per file), so a step must stay a few milliseconds.
 */
export const DEFAULT_RETENTION: RetentionPolicy = {
  maxAgeMs: 7 * 24 * 60 * 60_000,
  batchSize: 1_000,
};

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
  /** How long history is kept; `null` keeps it all. Default `DEFAULT_RETENTION`. */
  retention?: RetentionPolicy | null;
  /** Extra routes (the demo page). */
  routes?: (app: FastifyInstance) => void;
  /** Where the built management UI lives; default `dist/ui`. */
  uiDirectory?: string;
}

export interface ThreadedSignalAppOptions extends SignalAppOptions {
  /**
   * Run the engine on a thread of its own, which opens the same store at this location. Should
   * that thread die, `onFailure` is called (the command line ends the process, for its
   * supervisor to start it again).
   */
  engineThread: {
    store: StoreLocation;
    logLevel?: string;
    onFailure?: (error: Error) => void;
  };
}

interface SignalAppBase {
  url: string;
  http: FastifyInstance;
  store: Store;
  /** The integrations as the Management API sees them (their status). */
  integrations: ActiveIntegrations;
  metrics: Metrics;
  logger: Logger;
  /** Re-reads the configuration from the store, here and in the engine. */
  reloadConfiguration(): Promise<void>;
  close(): Promise<void>;
}

/** A Signal whose engine runs on this thread: its stages can be reached directly. */
export interface SignalApp extends SignalAppBase {
  engine: Engine;
  processor: Processor;
  delivery: DeliveryService;
  traces: TraceBus;
}

/** A Signal whose engine runs on a thread of its own. */
export interface ThreadedSignalApp extends SignalAppBase {
  engine: EngineThread;
}

export async function startSignalApp(options: ThreadedSignalAppOptions): Promise<ThreadedSignalApp>;
export async function startSignalApp(options: SignalAppOptions): Promise<SignalApp>;
export async function startSignalApp(
  options: SignalAppOptions | ThreadedSignalAppOptions,
): Promise<SignalApp | ThreadedSignalApp> {
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createMetrics();
  const store = options.store;
  const settings = {
    retryPolicy: validateRetryPolicy(options.retryPolicy ?? DEFAULT_RETRY_POLICY),
    leaseMs: options.leaseMs ?? 60_000,
    vendorTimeoutMs: options.vendorTimeoutMs ?? 10_000,
    recoverClaims: options.recoverClaims ?? true,
    retention: options.retention === undefined ? DEFAULT_RETENTION : options.retention,
  };

  const engine =
    'engineThread' in options
      ? await EngineThread.start(
          {
            ...settings,
            store: options.engineThread.store,
            logLevel: options.engineThread.logLevel ?? logger.level,
          },
          logger,
          options.engineThread.onFailure ?? (() => {}),
        )
      : await Engine.start({ ...settings, store, logger, metrics });
  // Decided once: what this thread can reach directly depends on where the engine runs.
  const engineOnOwnThread = engine instanceof EngineThread;
  const view: TraceView = engineOnOwnThread ? engine.view : engine.recorder;

  // The Management API shows each integration's status: the engine's own view when it runs
  // here, otherwise one of this thread's, kept in step with the engine's.
  const integrations = engineOnOwnThread
    ? new ActiveIntegrations(store, logger)
    : engine.integrations;
  if (engineOnOwnThread) await integrations.reload();
  const reloadEngine = async () => {
    if (engineOnOwnThread) await integrations.reload();
    await engine.reload();
  };

  // Test connection calls the vendor from this thread, with its own client.
  const vendorHttp = new HttpClient({ timeoutMs: settings.vendorTimeoutMs });
  const http = await buildServer(options, {
    store,
    metrics,
    logger,
    view,
    vendorHttp,
    integrations,
    reloadEngine,
    eventsAppended: () => engine.eventsAppended(),
    // A gateway whose engine thread died would take events that nobody processes.
    engineRunning: () => !engineOnOwnThread || engine.running,
    engineMetrics: engineOnOwnThread ? () => engine.metrics() : undefined,
  });

  await http.server.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
  http.markReady();
  const url = listeningUrl(http.server, options);
  logger.info({ url }, 'signal is listening');

  const base: SignalAppBase = {
    url,
    http: http.server,
    store,
    integrations,
    metrics,
    logger,
    reloadConfiguration: http.reloadConfiguration,
    async close() {
      http.markClosing();
      // Stop taking events first, then let the processor and the calls in flight finish.
      await http.server.close();
      await engine.close();
      await vendorHttp.close();
    },
  };

  if (engineOnOwnThread) return { ...base, engine };
  return {
    ...base,
    engine,
    processor: engine.processor,
    delivery: engine.delivery,
    traces: engine.traces,
  };
}

interface ServerParts {
  store: Store;
  metrics: Metrics;
  logger: Logger;
  view: TraceView;
  vendorHttp: HttpClient;
  integrations: ActiveIntegrations;
  /** Makes processing and delivery use the stored configuration. */
  reloadEngine(): Promise<void>;
  eventsAppended(): void;
  engineRunning(): boolean;
  engineMetrics: (() => Promise<unknown[]>) | undefined;
}

async function buildServer(options: SignalAppOptions, parts: ServerParts) {
  let ready = false;
  const { store, metrics, logger } = parts;
  const server = Fastify({ logger: false, trustProxy: options.trustProxy ?? false });

  registerHealthRoutes(server, {
    store,
    metrics,
    ready: () => ready && parts.engineRunning(),
    ...(parts.engineMetrics ? { engineMetrics: parts.engineMetrics } : {}),
  });
  registerCollectorRoutes(server);
  registerUiRoutes(server, options.uiDirectory ? { directory: options.uiDirectory } : {});
  const gateway = registerIngestRoutes(server, {
    store: notifyOnAppend(store, parts.eventsAppended),
    metrics,
    logger,
    ...(options.ingestLimits ? { limits: options.ingestLimits } : {}),
  });
  options.routes?.(server);

  // A key revoked or a pipeline disabled is refused at once, not when its cache entry expires.
  const reloadConfiguration = async () => {
    gateway.forgetPipelines();
    await parts.reloadEngine();
  };
  await registerAdminRoutes(server, {
    store,
    traces: parts.view,
    logger,
    integrations: parts.integrations,
    vendorHttp: parts.vendorHttp,
    reloadConfiguration,
  });

  return {
    server,
    reloadConfiguration,
    markReady: () => (ready = true),
    markClosing: () => (ready = false),
  };
}

function listeningUrl(server: FastifyInstance, options: SignalAppOptions): string {
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';

  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
