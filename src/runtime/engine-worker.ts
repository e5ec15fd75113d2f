/**
 * The entry point of the engine's thread: opens its own connection to the store, starts the
 * engine and answers the gateway's thread (see `engine-protocol.ts`).
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { TraceWatch } from '../admin/debugger/trace-view.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { openStore } from '../store/open-store.js';
import { Engine } from './engine.js';
import type { EngineThreadSettings, FromEngine, ToEngine } from './engine-protocol.js';

/**
 * The engine's nice value, above the gateway's 0. When the cores are busy, acknowledging a
 * visitor's request comes first: the events it stored wait durably in the log, and the engine
 * catches up as soon as a core is free.
 */
const ENGINE_NICENESS = 10;

const port = parentPort;
if (!port) throw new Error('engine-worker.ts runs only as a worker thread');

lowerThreadPriority();

const settings = workerData as EngineThreadSettings;
const logger = createLogger({ level: settings.logLevel }).child({ thread: 'engine' });
// Process metrics (memory, CPU, GC) are the gateway thread's: they describe the whole process.
const metrics = createMetrics({ defaults: false });
const store = await openStore(settings.store, logger);
const engine = await Engine.start({
  store,
  logger,
  metrics,
  retryPolicy: settings.retryPolicy,
  leaseMs: settings.leaseMs,
  vendorTimeoutMs: settings.vendorTimeoutMs,
  recoverClaims: settings.recoverClaims,
  retention: settings.retention,
});

const watches = new Map<number, TraceWatch>();
let outgoing: [number, string][] = [];

/** Traces of one turn go in one message: posting each would cost more than making it. */
function forward(watchId: number, json: string): void {
  if (outgoing.length === 0) setImmediate(flushTraces);
  outgoing.push([watchId, json]);
}

function flushTraces(): void {
  send({ kind: 'traces', items: outgoing });
  outgoing = [];
}

function send(message: FromEngine): void {
  port!.postMessage(message);
}

async function answer(message: Extract<ToEngine, { kind: 'call' }>): Promise<unknown> {
  const [first] = message.args;
  switch (message.method) {
    case 'reload':
      return engine.reload();
    case 'recent':
      return engine.recorder.recent(first as number, message.args[1] as object);
    case 'minuteSeries':
      return engine.recorder.minuteSeries(first as number);
    case 'metrics':
      return metrics.registry.getMetricsAsJSON();
    case 'close':
      await engine.close();
      await store.close();
      // Closing the port ends the thread once nothing else keeps its event loop alive.
      setImmediate(() => port!.close());
      return undefined;
  }
}

port.on('message', (message: ToEngine) => {
  switch (message.kind) {
    case 'appended':
      engine.eventsAppended();
      return;
    case 'watch': {
      // The same id again only changes the filter.
      const watch =
        watches.get(message.watchId) ??
        engine.recorder.watch((json) => forward(message.watchId, json));
      watch.setFilter(message.filter);
      watches.set(message.watchId, watch);
      return;
    }
    case 'unwatch':
      watches.get(message.watchId)?.close();
      watches.delete(message.watchId);
      return;
    case 'call':
      answer(message).then(
        (value) => send({ kind: 'reply', id: message.id, ok: true, value }),
        (error: unknown) => {
          const text = error instanceof Error ? error.message : String(error);
          send({ kind: 'reply', id: message.id, ok: false, message: text });
        },
      );
  }
});

send({ kind: 'ready' });

/**
 * On Linux a nice value belongs to a thread, and `0` names the calling one, so this lowers the
 * engine's priority and not the gateway's. Elsewhere it would apply to the whole process, so it
 * is left out there; a system that refuses it changes nothing.
 */
function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;

  try {
    setPriority(0, ENGINE_NICENESS);
  } catch {
    // Not permitted here: the engine simply runs at the gateway's priority.
  }
}
