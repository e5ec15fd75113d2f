/**
 * Benchmark 1: ingestion throughput with a durable acknowledgement, against a bare `node:http`
 * server that does nothing with the body. Each server runs in a child process of its own; the
 * load generator runs here, one server at a time.
 *
 * The machine is small and its speed drifts from one ten seconds to the next, so the servers are
 * not measured one after the other but in alternating rounds, and each round's Signal figure is
 * divided by the same round's bare figure: the ratio reported is the median of those. Signal
 * routes the pipeline to no integration, so no delivery work competes with the gateway (the
 * engine thread still processes the log, as it would in production); a round starts only once
 * the engine of the server measured before it has caught up with its log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INGEST_HEADERS } from './bench-config.js';
import { cpuMs, pollChild, startChild, stopChild, type ChildHandle } from './child-rpc.js';
import { percentile } from './latency.js';
import { generateLoad, type LoadResult } from './load-generator.js';
import type {
  SignalChildOptions,
  SignalChildReady,
  SignalChildReport,
  SignalChildSample,
  SignalChildStatus,
} from './signal-child.js';

export const INGEST_LOAD = {
  connections: 64,
  /** Once per server before the first round, not measured. */
  warmupMs: 2_000,
  rounds: 4,
  /** Per server and round: a short warm-up (new connections), then the measured window. */
  roundWarmupMs: 500,
  roundMs: 2_500,
};

/** The identify request every connection sends. */
const IDENTIFY_BODY = JSON.stringify({
  userId: 'u1',
  traits: { email: 'a@example.com', firstName: 'Ada', lastName: 'Lovelace' },
  context: { locale: 'en', consent: { categories: { C0004: true } } },
});

export interface IngestLine {
  label: string;
  /** Median over the rounds. */
  requestsPerSecond: number;
  roundRates: number[];
  /** Over every measured request of every round. */
  p50Ms: number;
  p99Ms: number;
  /** Every 200 answer, warm-ups included (for the durability check). */
  ok: number;
  errors: number;
  idleRssBytes: number;
  maxRssBytes: number;
  /**
   * CPU time per request answered in the rounds (their warm-ups included), µs: the server's
   * process, all threads, until its engine had processed the round's events.
   */
  serverCpuUsPerRequest: number;
  /** The same for the load generator (this process), µs. */
  loadCpuUsPerRequest: number;
  /** Cores the server and the load generator used together while the load ran. */
  coresUsed: number;
  /** Signal only: wall time its gateway's event loop was busy per request, µs. */
  gatewayUsPerRequest?: number;
  /** Signal only: median over the rounds of this round's rate over the bare server's. */
  ratio?: number;
  roundRatios?: number[];
  /** Signal only: events found in the store after it stopped. */
  eventsInStore?: number;
  /** Signal only: share of its windows the gateway's and the engine's event loops were busy. */
  gatewayLoopUtilization?: number;
  engineLoopUtilization?: number;
}

export interface IngestResult {
  load: typeof INGEST_LOAD;
  bare: IngestLine;
  signalFull: IngestLine;
  signalNormal: IngestLine;
}

interface BareReady {
  url: string;
  idleRssBytes: number;
}

interface BareReport {
  maxRssBytes: number;
}

/** What one measured round cost: CPU of the server and of the load generator, over its wall. */
interface RoundCost {
  wallMs: number;
  requests: number;
  /** Until the engine had processed the round's events. */
  serverCpuMs: number;
  /** While the load ran. */
  serverCpuInRoundMs: number;
  loadCpuMs: number;
  /** Signal only: its threads' event loop samples around the round. */
  loops?: { before: SignalChildSample; after: SignalChildSample };
}

/** One server under test and what its rounds gathered. */
interface Contender {
  label: string;
  url: string;
  child: ChildHandle<BareReady> | ChildHandle<SignalChildReady>;
  signal: boolean;
  loads: LoadResult[];
  costs: RoundCost[];
}

export async function runIngestBenchmark(): Promise<IngestResult> {
  const dataDirs: string[] = [];
  const contenders: Contender[] = [];
  try {
    contenders.push(await startBare());
    for (const synchronous of ['full', 'normal'] as const) {
      const dataDir = mkdtempSync(join(tmpdir(), 'signal-bench-ingest-'));
      dataDirs.push(dataDir);
      contenders.push(await startSignal(dataDir, synchronous));
    }

    for (const contender of contenders) {
      contender.loads.push(await generateLoad(loadOptions(contender.url, INGEST_LOAD.warmupMs, 0)));
    }
    // Every Signal round ends once its own engine has caught up, so after this one wait no round
    // starts while an engine is still processing an earlier server's load.
    await Promise.all(contenders.filter((c) => c.signal).map(caughtUp));
    for (let round = 0; round < INGEST_LOAD.rounds; round++) {
      // Each round starts with another server, so none is always measured right after another.
      for (let turn = 0; turn < contenders.length; turn++) {
        await measureRound(contenders[(round + turn) % contenders.length]!);
      }
    }

    const [bare, full, normal] = await Promise.all(contenders.map(finish));
    return {
      load: INGEST_LOAD,
      bare: bare!,
      signalFull: withRatios(full!, bare!),
      signalNormal: withRatios(normal!, bare!),
    };
  } finally {
    for (const contender of contenders) contender.child.kill();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function startBare(): Promise<Contender> {
  const child = await startChild<BareReady>(new URL('./bare-http-child.ts', import.meta.url), {});
  return {
    label: 'bare node:http',
    url: child.ready.url,
    child,
    signal: false,
    loads: [],
    costs: [],
  };
}

async function startSignal(dataDir: string, synchronous: 'full' | 'normal'): Promise<Contender> {
  const options: SignalChildOptions = { dataDir, synchronous };
  const child = await startChild<SignalChildReady>(
    new URL('./signal-child.ts', import.meta.url),
    options,
  );
  return {
    label: `Signal, synchronous=${synchronous}`,
    url: child.ready.url ?? '',
    child,
    signal: true,
    loads: [],
    costs: [],
  };
}

async function measureRound(contender: Contender): Promise<void> {
  const loadOptionsForRound = loadOptions(
    contender.url,
    INGEST_LOAD.roundWarmupMs,
    INGEST_LOAD.roundMs,
  );

  const before = await contender.child.call<{ cpuMs: number }>('sample');
  const started = performance.now();
  const loadCpu = process.cpuUsage();
  const load = await generateLoad(loadOptionsForRound);
  const loadCpuUsed = process.cpuUsage(loadCpu);
  const wallMs = performance.now() - started;
  const after = await contender.child.call<{ cpuMs: number }>('sample');
  // The engine may still be processing the round's events: their cost is the round's too.
  if (contender.signal) await caughtUp(contender);
  const settled = contender.signal
    ? await contender.child.call<{ cpuMs: number }>('sample')
    : after;

  contender.loads.push(load);
  contender.costs.push({
    wallMs,
    requests: load.ok + load.errors,
    serverCpuMs: settled.cpuMs - before.cpuMs,
    serverCpuInRoundMs: after.cpuMs - before.cpuMs,
    loadCpuMs: cpuMs(loadCpuUsed),
    loops: contender.signal
      ? { before: before as SignalChildSample, after: after as SignalChildSample }
      : undefined,
  });
}

/** Waits until a Signal child's engine has processed every event in its log. */
async function caughtUp(contender: Contender): Promise<void> {
  const done = (status: SignalChildStatus) => !status.pendingEvents;
  if (await pollChild(contender.child, 'status', done, 30_000)) return;
  throw new Error(`${contender.label}: the engine did not catch up with its log within 30 s`);
}

async function finish(contender: Contender): Promise<IngestLine> {
  const report = await stopChild<BareReport | SignalChildReport, BareReady | SignalChildReady>(
    contender.child,
  );
  const rounds = contender.loads.slice(1);
  const latencies = joined(rounds.map((load) => load.latencies));
  const cost = costTotals(contender.costs);
  const line: IngestLine = {
    label: contender.label,
    requestsPerSecond: median(rounds.map((load) => load.requestsPerSecond)),
    roundRates: rounds.map((load) => Math.round(load.requestsPerSecond)),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ok: sum(contender.loads.map((load) => load.ok)),
    errors: sum(contender.loads.map((load) => load.errors)),
    idleRssBytes: contender.child.ready.idleRssBytes,
    maxRssBytes: report.maxRssBytes,
    serverCpuUsPerRequest: (cost.serverCpuMs * 1000) / cost.requests,
    loadCpuUsPerRequest: (cost.loadCpuMs * 1000) / cost.requests,
    coresUsed: (cost.serverCpuInRoundMs + cost.loadCpuMs) / cost.wallMs,
  };

  if (!contender.signal) return line;

  const gateway = loopTotals(contender.costs, 'gateway');
  const engine = loopTotals(contender.costs, 'engine');
  return {
    ...line,
    eventsInStore: (report as SignalChildReport).eventsInStore,
    gatewayUsPerRequest: (gateway.active * 1000) / cost.requests,
    gatewayLoopUtilization: busyShare(gateway),
    engineLoopUtilization: busyShare(engine),
  };
}

function costTotals(costs: RoundCost[]) {
  return {
    wallMs: sum(costs.map((c) => c.wallMs)),
    requests: Math.max(sum(costs.map((c) => c.requests)), 1),
    serverCpuMs: sum(costs.map((c) => c.serverCpuMs)),
    serverCpuInRoundMs: sum(costs.map((c) => c.serverCpuInRoundMs)),
    loadCpuMs: sum(costs.map((c) => c.loadCpuMs)),
  };
}

/** Milliseconds a Signal thread's event loop was busy and idle in the rounds (wall, not CPU). */
function loopTotals(costs: RoundCost[], thread: 'gateway' | 'engine') {
  const loops = costs.flatMap((c) => (c.loops ? [c.loops] : []));
  return {
    active: sum(loops.map((l) => l.after[thread].active - l.before[thread].active)),
    idle: sum(loops.map((l) => l.after[thread].idle - l.before[thread].idle)),
  };
}

/**
 * Share of the rounds' wall time a loop was busy. The floor is kept: a child without an engine
 * thread samples it as 0 ms busy and 0 ms idle.
 */
function busyShare(loop: { active: number; idle: number }): number {
  return loop.active / Math.max(loop.active + loop.idle, 1);
}

function withRatios(signal: IngestLine, bare: IngestLine): IngestLine {
  // Every round measures every server once, so both lists have a rate for each round.
  const roundRatios = signal.roundRates.map((rate, round) => rate / bare.roundRates[round]!);
  return { ...signal, ratio: median(roundRatios), roundRatios };
}

function loadOptions(url: string, warmupMs: number, durationMs: number) {
  return {
    url,
    path: '/v1/i',
    headers: INGEST_HEADERS,
    body: IDENTIFY_BODY,
    connections: INGEST_LOAD.connections,
    warmupMs,
    durationMs,
  };
}

/** The arrays end to end, copied once into one allocation. */
function joined(arrays: Float64Array[]): Float64Array {
  const all = new Float64Array(sum(arrays.map((array) => array.length)));
  let offset = 0;
  for (const array of arrays) {
    all.set(array, offset);
    offset += array.length;
  }
  return all;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
