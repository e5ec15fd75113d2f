/**
 * Appends to the event log through a thread of its own (`log-writer-thread.ts`), so that the
 * caller's event loop, the gateway's, never waits for SQLite's inserts or for the disk sync of
 * a commit. Appends made in one turn of the loop travel as one batch (group commit); the writer
 * commits the batches that reached it together and answers once they are durable.
 *
 * The thread starts with the first append, so a connection that only reads the log (the
 * engine's) never starts one.
 */
import type { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../../core/errors.js';
import { startModuleWorker } from '../../core/module-worker.js';
import type { Logger } from '../../observability/logger.js';
import { GroupCommit } from '../group-commit.js';
import type { EventToAppend } from '../types.js';
import type { FromLogWriter, LogWriterSettings, ToLogWriter } from './log-writer-protocol.js';

interface Pending {
  resolve(): void;
  reject(error: unknown): void;
}

export class LogWriter {
  private worker: Worker | undefined;
  /** Appends of one turn of the loop become one batch. */
  private readonly appends = new GroupCommit<EventToAppend>((events) => this.post(events));
  /** Batches posted to the thread and not answered yet, by id. */
  private readonly sent = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly settings: LogWriterSettings,
    private readonly logger?: Logger,
  ) {}

  /** Resolves once the events are durable; rejects with `StoreUnavailableError` otherwise. */
  append(events: EventToAppend[]): Promise<void> {
    if (this.closed) return Promise.reject(unavailable(new Error('the event log is closed')));
    return this.appends.write(events);
  }

  /** Waits for the batches accepted before the close to be answered, then stops the thread. */
  async close(): Promise<void> {
    this.closed = true;
    // A batch gathered in this turn was accepted before the close: let it be posted first.
    await new Promise((resolve) => setImmediate(resolve));
    const worker = this.worker;
    if (!worker) return;

    if (this.sent.size > 0) {
      await new Promise<void>((resolve) =>
        worker.on('message', () => this.sent.size === 0 && resolve()),
      );
    }
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  private post(events: EventToAppend[]): Promise<void> {
    const batch: ToLogWriter = {
      id: this.nextId++,
      rows: events.map(({ pipelineId, event }) => [pipelineId, JSON.stringify(event)]),
    };
    const worker = this.thread();
    worker.ref();

    return new Promise((resolve, reject) => {
      this.sent.set(batch.id, { resolve, reject });
      worker.postMessage(batch);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;

    const worker = startModuleWorker(import.meta.url, './log-writer-thread', this.settings);
    worker.on('message', (reply: FromLogWriter) => this.settle(reply));
    worker.on('error', (error) => {
      this.logger?.error({ err: error }, 'the event log writer failed');
      this.failSent(error);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      // Appends sent to a thread that is gone were not written: their callers get a 503.
      this.failSent(new Error('the event log writer stopped'));
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: FromLogWriter): void {
    const failure = reply.ok ? undefined : unavailable(new Error(reply.message));
    if (failure) this.logger?.error({ err: failure.cause }, 'appending events to the log failed');

    for (const id of reply.ids) {
      const pending = this.sent.get(id);
      this.sent.delete(id);
      if (failure) pending?.reject(failure);
      else pending?.resolve();
    }
    // A writer with nothing to answer must not keep the process alive on its own.
    if (this.sent.size === 0) this.worker?.unref();
  }

  private failSent(cause: unknown): void {
    const error = unavailable(cause);
    for (const pending of this.sent.values()) pending.reject(error);
    this.sent.clear();
  }
}

function unavailable(cause: unknown): StoreUnavailableError {
  return new StoreUnavailableError('STORE_UNAVAILABLE', 'the event log cannot be written', {
    cause,
  });
}
