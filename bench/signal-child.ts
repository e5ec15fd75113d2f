/**
 * The Signal process under test, as `signal start` runs it (SQLite in WAL mode, every role in one
 * process), in its own process so that the load generator and the sandbox never share its event
 * loop. Driven by the parent through `child-rpc.ts`; reports its peak RSS when stopped.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { provision } from '../src/config/provision.js';
import { createLogger } from '../src/observability/logger.js';
import { startSignalApp, type SignalApp } from '../src/runtime/signal-app.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { benchConfig, type ActitoTarget } from './bench-config.js';
import { childOptions, serveParent } from './child-rpc.js';
import { identifyEnvelope } from './identify-envelope.js';
import { timeStore, type StoreTimings } from './timed-store.js';

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

export interface SignalChildReport {
  maxRssBytes: number;
  eventsInStore: number;
  wallMs: number;
  cpuMs: number;
  /** Share of wall time the event loop was busy (0..1). */
  eventLoopUtilization: number;
  timings: StoreTimings;
}

const options = childOptions<SignalChildOptions>();
// A fresh data directory makes Signal create its first admin and print a generated password;
// giving it one keeps that throwaway secret out of the benchmark's output.
process.env.SIGNAL_ADMIN_PASSWORD ??= randomBytes(18).toString('base64url');
const dbPath = join(options.dataDir, 'signal.db');
const store = await openSqliteStore({ path: dbPath, synchronous: options.synchronous });
await provision(store, benchConfig(options.actito));
await preload(options.preloadIdentifies ?? 0);

const timed = timeStore(store);
let app: SignalApp | undefined;
let started = { wallMs: 0, cpu: process.cpuUsage(), loop: performance.eventLoopUtilization() };

async function start(): Promise<string> {
  started = {
    wallMs: performance.now(),
    cpu: process.cpuUsage(),
    loop: performance.eventLoopUtilization(),
  };
  app = await startSignalApp({
    store: timed.store,
    logger: createLogger({ level: 'error' }),
    port: 0,
  });
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

async function stop(): Promise<SignalChildReport> {
  const wallMs = performance.now() - started.wallMs;
  const cpu = process.cpuUsage(started.cpu);
  const loop = performance.eventLoopUtilization(started.loop);
  await app?.close();
  await store.close();

  // Counted on a fresh connection after close: what a restarted process would find on disk.
  const db = new BetterSqlite3(dbPath, { readonly: true });
  const row = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
  db.close();

  return {
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    eventsInStore: row.n,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    eventLoopUtilization: loop.utilization,
    timings: timed.timings(),
  };
}

const url = options.deferStart ? undefined : await start();
serveParent({ url, idleRssBytes: process.memoryUsage.rss() } satisfies SignalChildReady, {
  start: () => start(),
  status: () => status(),
  stop: () => stop(),
});
