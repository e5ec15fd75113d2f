/**
 * The engine on a thread of its own, seen from the gateway's thread. The gateway then has a
 * core to itself for HTTP and durable appends, while processing and delivery run beside it on
 * their own connection to the store.
 *
 * Should the thread die, `onFailure` is told. The process is then best ended and started again
 * by its supervisor: every state is in the store, and an acknowledged event survives even a
 * `kill -9`, so a restart loses nothing, while a gateway left running without its engine would
 * take events that nobody processes.
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../core/module-worker.js';
import type { TraceView, TraceWatch } from '../admin/debugger/trace-view.js';
import type { MinuteCounts } from '../admin/stats/minute-stats.js';
import type { Logger } from '../observability/logger.js';
import type { Trace } from '../observability/trace.js';
import type { CallName, EngineThreadSettings, FromEngine, ToEngine } from './engine-protocol.js';

/** How long a closing thread may take to finish its calls in flight before it is stopped. */
const CLOSE_TIMEOUT_MS = 30_000;

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The shortest time between two notices of new events to the engine. */
const APPEND_NOTICE_EVERY_MS = 5;

export class EngineThread {
  readonly view: TraceView;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingCall>();
  /** The listener of each open watch; the engine applies their filters. */
  private readonly watches = new Map<number, (json: string) => void>();
  private nextId = 1;
  private appendNoticeQueued = false;
  private lastAppendNoticeMs = 0;
  private closing = false;

  private constructor(
    private readonly settings: EngineThreadSettings,
    private readonly logger: Logger,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.view = this.traceView();
  }

  /** Starts the thread; resolves once its engine runs, rejects if it could not start. */
  static async start(
    settings: EngineThreadSettings,
    logger: Logger,
    onFailure: (error: Error) => void,
  ): Promise<EngineThread> {
    const thread = new EngineThread(settings, logger, onFailure);
    await thread.spawn();
    return thread;
  }

  /**
   * New events are in the log. The engine reads all there is whenever it wakes, so one notice
   * per few milliseconds is enough for any number; under load that spares the gateway a message
   * to the other thread for every commit.
   */
  eventsAppended(): void {
    if (this.appendNoticeQueued) return;

    this.appendNoticeQueued = true;
    const send = () => {
      this.appendNoticeQueued = false;
      this.lastAppendNoticeMs = performance.now();
      this.post({ kind: 'appended' });
    };
    const waitMs = this.lastAppendNoticeMs + APPEND_NOTICE_EVERY_MS - performance.now();
    if (waitMs <= 0) setImmediate(send);
    else setTimeout(send, waitMs);
  }

  async reload(): Promise<void> {
    await this.call('reload');
  }

  /** The engine's metrics, to be aggregated with the gateway's. */
  async metrics(): Promise<unknown[]> {
    return (await this.call('metrics')) as unknown[];
  }

  /** How busy the engine thread's event loop has been (since `previous`, when given). */
  eventLoopUtilization(previous?: EventLoopUtilization): EventLoopUtilization | undefined {
    return this.worker?.performance.eventLoopUtilization(previous);
  }

  /** False once the thread has stopped, whether closed or died. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (!worker) return;

    const exited = new Promise((resolve) => worker.once('exit', resolve));
    const timeout = setTimeout(() => void this.kill(), CLOSE_TIMEOUT_MS);
    try {
      await this.call('close');
    } catch (error) {
      this.logger.error({ err: error }, 'the engine thread did not close cleanly; stopped');
      await this.kill();
    }
    await exited;
    clearTimeout(timeout);
  }

  /**
   * Ends the thread at once, without letting its calls finish, as a crash would: unless the
   * thread is closing, `onFailure` is told. `close` falls back on it when the thread hangs.
   */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  private spawn(): Promise<void> {
    const worker = startModuleWorker(import.meta.url, './engine-worker', this.settings);
    this.worker = worker;

    return new Promise((resolve, reject) => {
      let ready = false;
      let failure: Error | undefined;
      worker.on('message', (message: FromEngine) => {
        if (message.kind !== 'ready') return this.receive(message);
        ready = true;
        resolve();
      });
      worker.on('error', (error) => {
        failure = error;
        if (!ready) reject(error);
      });
      worker.on('exit', (code) => {
        failure ??= new Error(`the engine thread exited with code ${code}`);
        if (!ready) reject(failure);
        else this.exited(failure);
      });
    });
  }

  private exited(failure: Error): void {
    this.worker = undefined;
    for (const call of this.pending.values()) call.reject(new Error('the engine thread stopped'));
    this.pending.clear();
    if (this.closing) return;

    this.logger.fatal(
      { err: failure },
      'the engine thread stopped: processing and delivery halted',
    );
    this.onFailure(failure);
  }

  private receive(message: FromEngine): void {
    if (message.kind === 'traces') {
      for (const [watchId, json] of message.items) this.watches.get(watchId)?.(json);
      return;
    }
    if (message.kind !== 'reply') return;

    const call = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (!call) return;
    if (message.ok) call.resolve(message.value);
    else call.reject(new Error(`engine: ${message.message}`));
  }

  private call(method: CallName, ...args: unknown[]): Promise<unknown> {
    if (!this.worker) return Promise.reject(new Error('the engine thread is not running'));

    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ kind: 'call', id, method, args });
    });
  }

  private post(message: ToEngine): void {
    this.worker?.postMessage(message);
  }

  private traceView(): TraceView {
    return {
      recent: async (limit, filter) => (await this.call('recent', limit, filter)) as Trace[],
      minuteSeries: async (minutes) => (await this.call('minuteSeries', minutes)) as MinuteCounts[],
      watch: (listener) => this.openWatch(listener),
    };
  }

  private openWatch(listener: (json: string) => void): TraceWatch {
    const watchId = this.nextId++;
    this.watches.set(watchId, listener);
    this.post({ kind: 'watch', watchId, filter: {} });

    return {
      setFilter: (filter) => this.post({ kind: 'watch', watchId, filter }),
      close: () => {
        this.watches.delete(watchId);
        this.post({ kind: 'unwatch', watchId });
      },
    };
  }
}
