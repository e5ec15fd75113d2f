/**
 * Benchmark 3: Actito calls per event on a mixed trace. The trace is sent over HTTP as fast as
 * the gateway takes it, to a Signal whose Actito sandbox answers in 50 ms within the licence's
 * five concurrent calls, so intents queue up and coalesce. Afterwards every visitor's sandbox
 * profile is compared with what the trace implies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { DEFAULT_DELIVERY_SETTINGS } from '../src/deliver/delivery-defaults.js';
import { demoConfig, overrideLimits, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { INGEST_HEADERS } from './bench-config.js';
import { pollChild, startChild, stopChild, type ChildHandle } from './child-rpc.js';
import { expectedProfiles, visitorEmails, type ProfileAttributes } from './expected-profiles.js';
import { mixedTrace, type WireEvent } from './mixed-trace.js';
import type {
  SignalChildOptions,
  SignalChildReady,
  SignalChildReport,
  SignalChildStatus,
} from './signal-child.js';

const VISITORS = 2_000;
const EVENTS_PER_VISITOR = 10;
/** Concurrent senders; a visitor always goes through the same one, so its order is kept. */
const SENDERS = 8;
const BATCH_SIZE = 100;
const SANDBOX_LATENCY_MS = 50;
const DRAIN_TIMEOUT_MS = 120_000;
const ATTRIBUTES = ['email', 'firstName', 'lastName', 'phone', 'language', 'marketingConsent'];

export interface CoalescingResult {
  events: number;
  visitors: number;
  /** Profile-write requests the sandbox received (answered or refused). */
  profileCalls: number;
  callsPerEvent: number;
  profileWrites: number;
  rejected429: number;
  tokenExchanges: number;
  deadLetters: number;
  ingestSeconds: number;
  drainSeconds: number;
  drained: boolean;
  expectedProfiles: number;
  mismatches: number;
  mismatchExamples: { email: string; expected: unknown; actual: unknown }[];
  idleRssBytes: number;
  maxRssBytes: number;
}

export async function runCoalescingBenchmark(): Promise<CoalescingResult> {
  const trace = mixedTrace(VISITORS, EVENTS_PER_VISITOR);
  const dataDir = mkdtempSync(join(tmpdir(), 'signal-bench-coalescing-'));
  // The licence's own concurrency (5) stays; only the per-minute budget is lifted.
  const sandbox = await startSandbox({
    port: 0,
    config: overrideLimits(demoConfig(), { calls_per_minute: null }),
  });
  sandbox.setFaults({ latencyMs: SANDBOX_LATENCY_MS });

  try {
    const options: SignalChildOptions = {
      dataDir,
      synchronous: 'full',
      actito: {
        sandboxUrl: sandbox.url,
        delivery: { ...DEFAULT_DELIVERY_SETTINGS, concurrency: 5, callsPerMinute: null },
      },
    };
    const child = await startChild<SignalChildReady>(
      new URL('./signal-child.ts', import.meta.url),
      options,
    );

    const started = performance.now();
    await sendTrace(child.ready.url ?? '', trace.events);
    const ingested = performance.now();
    const drained = await waitUntilDrained(child);
    const finished = performance.now();
    const status = await child.call<SignalChildStatus>('status');
    const report = await stopChild<SignalChildReport, SignalChildReady>(child);

    return {
      ...callCounts(sandbox, trace.events.length),
      visitors: trace.visitors,
      deadLetters: status.deadLetters,
      ingestSeconds: (ingested - started) / 1000,
      drainSeconds: (finished - started) / 1000,
      drained,
      ...compareProfiles(sandbox, trace.events),
      idleRssBytes: child.ready.idleRssBytes,
      maxRssBytes: report.maxRssBytes,
    };
  } finally {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function sendTrace(url: string, events: WireEvent[]): Promise<void> {
  const pool = new Pool(url, { connections: SENDERS });
  const senders = Array.from({ length: SENDERS }, async (_, sender) => {
    const own = events.filter((event) => visitorOf(event) % SENDERS === sender);
    for (let first = 0; first < own.length; first += BATCH_SIZE) {
      const batch = own.slice(first, first + BATCH_SIZE);
      const response = await pool.request({
        method: 'POST',
        path: '/v1/batch',
        headers: INGEST_HEADERS,
        body: JSON.stringify({ batch }),
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) {
        throw new Error(`the gateway answered ${response.statusCode}: ${text}`);
      }
    }
  });

  try {
    await Promise.all(senders);
  } finally {
    await pool.close();
  }
}

function visitorOf(event: WireEvent): number {
  return Number(event.anonymousId.slice('anon-'.length));
}

function waitUntilDrained(child: ChildHandle<SignalChildReady>): Promise<boolean> {
  return pollChild<SignalChildStatus>(
    child,
    'status',
    (status) => !status.pendingEvents && status.waiting + status.inFlight === 0,
    DRAIN_TIMEOUT_MS,
  );
}

function callCounts(sandbox: Sandbox, events: number) {
  const stats = sandbox.stats();
  // The recorder keeps the last 10,000 requests; the statistics count every one.
  const profileCalls =
    stats.profileWrites + stats.rejectedConcurrency + failedProfileCalls(sandbox);

  return {
    events,
    profileCalls,
    callsPerEvent: profileCalls / events,
    profileWrites: stats.profileWrites,
    rejected429: stats.rejectedConcurrency,
    tokenExchanges: stats.tokenExchanges,
  };
}

/** Profile writes answered with an error other than the licence's 429. */
function failedProfileCalls(sandbox: Sandbox): number {
  return sandbox
    .requests()
    .filter((r) => r.method === 'POST' && r.path.endsWith('/profile'))
    .filter((r) => r.status >= 400 && r.status !== 429).length;
}

function compareProfiles(sandbox: Sandbox, events: WireEvent[]) {
  const expected = expectedProfiles(events);
  const examples: CoalescingResult['mismatchExamples'] = [];
  let mismatches = 0;

  for (const email of visitorEmails(events)) {
    const want = expected.get(email);
    const got = sandbox.profile('demo', 'Profiles', email);
    if (sameProfile(want, got)) continue;

    mismatches += 1;
    if (examples.length < 3) examples.push({ email, expected: want, actual: got });
  }

  return { expectedProfiles: expected.size, mismatches, mismatchExamples: examples };
}

function sameProfile(want: ProfileAttributes | undefined, got: ProfileAttributes | undefined) {
  if (want === undefined || got === undefined) return want === got;
  return ATTRIBUTES.every((name) => want[name] === got[name]);
}
