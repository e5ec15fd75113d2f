/**
 * The engine: every stage behind the gateway, over one store. The processor reads the event
 * log, the delivery workers call the vendors, the trace recorder keeps the debugger's view of
 * both, and a retention timer keeps the history bounded. It runs on the gateway's own thread
 * (`startEngine`) or on a thread of its own (`engine-thread.ts`); the stages cannot tell.
 */
import { TraceRecorder } from '../admin/debugger/trace-recorder.js';
import { DeliveryService } from '../deliver/delivery-service.js';
import type { RetryPolicy } from '../deliver/retry-policy.js';
import { ActiveIntegrations } from '../integrations/active-integrations.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { TraceBus } from '../observability/trace.js';
import { Processor } from '../process/processor.js';
import type { Store } from '../store/store.js';
import type { RetentionPolicy } from '../store/types.js';

export interface EngineOptions {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  retryPolicy: RetryPolicy;
  /** A claimed delivery not finished within this long is handed out again. */
  leaseMs: number;
  /** Vendor call timeout default, when an integration sets none. */
  vendorTimeoutMs: number;
  /** Release claims left by an earlier run (right when this engine is the only deliverer). */
  recoverClaims: boolean;
  /** History older than this is deleted; `null` keeps everything. */
  retention: RetentionPolicy | null;
}

/** How often the retention pass runs, and how soon after start, unless the policy says. */
const RETENTION_EVERY_MS = 10 * 60_000;
const RETENTION_FIRST_MS = 30_000;

export class Engine {
  readonly traces = new TraceBus();
  readonly recorder: TraceRecorder;
  readonly integrations: ActiveIntegrations;
  readonly processor: Processor;
  readonly delivery: DeliveryService;
  private retentionTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly options: EngineOptions) {
    const { store, logger, metrics } = options;
    this.recorder = new TraceRecorder(this.traces);
    this.integrations = new ActiveIntegrations(store, logger);

    this.delivery = new DeliveryService({
      store,
      integrations: this.integrations,
      vendorTimeoutMs: options.vendorTimeoutMs,
      metrics,
      logger,
      traces: this.traces,
      retryPolicy: options.retryPolicy,
      leaseMs: options.leaseMs,
    });
    this.processor = new Processor({
      store,
      integrations: this.integrations,
      metrics,
      logger,
      traces: this.traces,
      onQueued: (ids) => this.delivery.notify(ids),
    });
  }

  /** Loads the configuration, then starts processing and delivering. */
  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    await engine.integrations.reload();
    await engine.recorder.refresh(options.store);

    engine.processor.start();
    await engine.delivery.start({ recover: options.recoverClaims });
    engine.scheduleRetention(options.retention?.firstRunAfterMs ?? RETENTION_FIRST_MS);
    return engine;
  }

  /** New events are in the log: process them now rather than at the next poll. */
  eventsAppended(): void {
    this.processor.notify();
  }

  /** The stored configuration changed (or dead letters were replayed): use it at once. */
  async reload(): Promise<void> {
    await this.integrations.reload();
    await this.recorder.refresh(this.options.store);
    this.delivery.sync();
  }

  /** Lets the processor and the calls in flight finish, then stops. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retentionTimer);
    await this.processor.stop();
    await this.delivery.stop();
    this.recorder.close();
  }

  private scheduleRetention(delayMs: number): void {
    const policy = this.options.retention;
    if (policy === null || this.closed) return;

    this.retentionTimer = setTimeout(() => void this.pruneHistory(policy), delayMs);
    this.retentionTimer.unref();
  }

  /** Deletes old history batch by batch, yielding between batches, until none is left. */
  private async pruneHistory(policy: RetentionPolicy): Promise<void> {
    try {
      let total = 0;
      let more = true;
      while (more && !this.closed) {
        const counts = Object.values(await this.options.store.pruneHistory(policy, Date.now()));
        total += counts.reduce((sum, count) => sum + count, 0);
        more = counts.some((count) => count >= policy.batchSize);
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (total > 0) this.options.logger.info({ deleted: total }, 'old history deleted');
    } catch (error) {
      this.options.logger.error({ err: error }, 'deleting old history failed; retried later');
    }
    this.scheduleRetention(policy.everyMs ?? RETENTION_EVERY_MS);
  }
}
