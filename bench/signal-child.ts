/**
 * The Signal process under test, as `signal start` runs it (SQLite in WAL mode, the gateway on
 * the main thread and the engine on a thread of its own), in its own process so that the load
 * generator and the sandbox never share its cores' event loops. Driven by the parent through
 * `child-rpc.ts`; reports its peak RSS, CPU time and how busy its engine thread was when stopped.
 */
import { randomBytes } from 'node:crypto';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { provision } from '../src/config/provision.js';
import { createLogger } from '../src/observability/logger.js';
import { startSignalApp, type ThreadedSignalApp } from '../src/runtime/signal-app.js';
import { embeddedStore, openStore } from '../src/store/open-store.js';
import { eventLogPath } from '../src/store/sqlite/event-log.js';
import { benchConfig, type ActitoTarget } from './bench-config.js';
import { childOptions, cpuMs, serveParent } from './child-rpc.js';
import { identifyEnvelope } from './identify-envelope.js';

export interface SignalChildOptions {
  dataDir: string;
  synchronous: 'full' | 'normal';
  /** When absent the pipeline routes to no integration, so only ingestion runs. */
  actito?: ActitoTarget;
  /** Identify events for this many distinct e-mails, appended to the log before the app starts. */
  preloadIdentifies?: number;
  /** Start the app only on the parent's `start` call (so it can time from that moment). */
  deferStart?: boolean;
}

export interface SignalChildReady {
  /** Set unless the start is deferred; `start` answers it then. */
  url?: string;
  /** Resident memory once ready, before any load (it includes the tsx loader). */
  idleRssBytes: number;
}

export interface SignalChildStatus {
  /** Events in the log the processor has not read yet. */
  pendingEvents: boolean;
  waiting: number;
  inFlight: number;
  deadLetters: number;
}

/** Running totals of the process's CPU time and its threads' event loops, for windows. */
export interface SignalChildSample {
  cpuMs: number;
  gateway: { idle: number; active: number };
  engine: { idle: number; active: number };
}

export interface SignalChildReport {
  maxRssBytes: number;
  eventsInStore: number;
  /** CPU time of the whole process (both threads). */
  cpuMs: number;
  /** Share of wall time the engine thread's event loop was busy (0..1). */
  engineLoopUtilization: number;
  /** Vendor calls Signal made and their summed latency, from its own metrics. */
  vendorCalls: number;
  vendorLatencyMs: number;
}

const options = childOptions<SignalChildOptions>();
// A fresh data directory makes Signal create its first admin and print a generated password;
// giving it one keeps that throwaway secret out of the benchmark's output.
process.env.SIGNAL_ADMIN_PASSWORD ??= randomBytes(18).toString('base64url');
const location = embeddedStore(options.dataDir, options.synchronous);
const store = await openStore(location);
await provision(store, benchConfig(options.actito));
await preload(options.preloadIdentifies ?? 0);

let app: ThreadedSignalApp | undefined;
let started = {
  cpu: process.cpuUsage(),
  engine: undefined as EventLoopUtilization | undefined,
};

async function start(): Promise<string> {
  const cpu = process.cpuUsage();
  app = await startSignalApp({
    store,
    logger: createLogger({ level: 'error' }),
    port: 0,
    engineThread: { store: location },
  });
  started = { cpu, engine: app.engine.eventLoopUtilization() };
  return app.url;
}

async function preload(count: number): Promise<void> {
  const at = new Date().toISOString();
  for (let first = 0; first < count; first += 1_000) {
    const events = [];
    for (let index = first; index < Math.min(first + 1_000, count); index++) {
      events.push({ pipelineId: 'web', event: identifyEnvelope(index, at) });
    }
    await store.appendEvents(events);
  }
}

async function status(): Promise<SignalChildStatus> {
  const cursor = await store.readCursor();
  const pending = await store.readEvents(cursor, 1);
  const depths = await store.queueDepths();

  return {
    pendingEvents: pending.length > 0,
    waiting: depths.reduce((sum, depth) => sum + depth.waiting, 0),
    inFlight: depths.reduce((sum, depth) => sum + depth.inFlight, 0),
    deadLetters: depths.reduce((sum, depth) => sum + depth.deadLetters, 0),
  };
}

function sample(): SignalChildSample {
  const gateway = performance.eventLoopUtilization();
  const engine = app?.engine.eventLoopUtilization();

  return {
    cpuMs: cpuMs(),
    gateway: { idle: gateway.idle, active: gateway.active },
    engine: { idle: engine?.idle ?? 0, active: engine?.active ?? 0 },
  };
}

async function stop(): Promise<SignalChildReport> {
  const cpu = process.cpuUsage(started.cpu);
  const engine = app?.engine.eventLoopUtilization(started.engine);
  const vendor = await vendorLatency();
  await app?.close();
  await store.close();

  // Counted on a fresh connection after close: what a restarted process would find on disk.
  const db = new BetterSqlite3(eventLogPath(location.path), { readonly: true });
  const row = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
  db.close();

  return {
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    eventsInStore: row.n,
    cpuMs: cpuMs(cpu),
    engineLoopUtilization: engine?.utilization ?? 0,
    ...vendor,
  };
}

/** Count and sum of the vendor latency histogram, read from `/metrics` as Prometheus would. */
async function vendorLatency(): Promise<{ vendorCalls: number; vendorLatencyMs: number }> {
  if (!app) return { vendorCalls: 0, vendorLatencyMs: 0 };

  const text = await (await fetch(`${app.url}/metrics`)).text();
  const read = (name: string) =>
    Number(new RegExp(`^${name}\\{[^}]*\\} ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? 0);

  return {
    vendorCalls: read('signal_vendor_latency_seconds_count'),
    vendorLatencyMs: read('signal_vendor_latency_seconds_sum') * 1000,
  };
}

const url = options.deferStart ? undefined : await start();
serveParent({ url, idleRssBytes: process.memoryUsage.rss() } satisfies SignalChildReady, {
  start: () => start(),
  status: () => status(),
  sample: async () => sample(),
  stop: () => stop(),
});
