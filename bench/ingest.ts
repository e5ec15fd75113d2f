/**
 * Benchmark 1: ingestion throughput with a durable acknowledgement, against a bare `node:http`
 * server that does nothing with the body. Each server runs alone in a child process; the load
 * generator runs here. Signal routes the pipeline to no integration, so no delivery work competes
 * with the gateway (the engine thread still processes the log, as it would in production).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INGEST_HEADERS } from './bench-config.js';
import { startChild, stopChild } from './child-rpc.js';
import { generateLoad, type LoadResult } from './load-generator.js';
import type { SignalChildOptions, SignalChildReady, SignalChildReport } from './signal-child.js';

export const INGEST_LOAD = { connections: 64, warmupMs: 2_000, durationMs: 8_000 };

/** The identify request every connection sends. */
const IDENTIFY_BODY = JSON.stringify({
  userId: 'u1',
  traits: { email: 'a@example.com', firstName: 'Ada', lastName: 'Lovelace' },
  context: { locale: 'en', consent: { categories: { C0004: true } } },
});

export interface IngestLine extends LoadResult {
  label: string;
  idleRssBytes: number;
  maxRssBytes: number;
  /** Signal only: events found in the store after it stopped. */
  eventsInStore?: number;
  /** Signal only: CPU time over wall time of its process (both threads), from start to stop. */
  cpuShare?: number;
  /** Signal only: share of that time the gateway's and the engine's event loops were busy. */
  gatewayLoopUtilization?: number;
  engineLoopUtilization?: number;
}

interface BareReady {
  url: string;
  idleRssBytes: number;
}

export interface IngestResult {
  load: typeof INGEST_LOAD;
  bare: IngestLine;
  signalFull: IngestLine;
  signalNormal: IngestLine;
}

export async function runIngestBenchmark(): Promise<IngestResult> {
  const bare = await measureBare();
  const signalFull = await measureSignal('full');
  const signalNormal = await measureSignal('normal');

  return { load: INGEST_LOAD, bare, signalFull, signalNormal };
}

async function measureBare(): Promise<IngestLine> {
  const script = new URL('./bare-http-child.ts', import.meta.url);
  const child = await startChild<BareReady>(script, {});
  const load = await generateLoad(loadOptions(child.ready.url));
  const report = await stopChild<{ maxRssBytes: number }, BareReady>(child);

  return {
    label: 'bare node:http',
    ...load,
    idleRssBytes: child.ready.idleRssBytes,
    maxRssBytes: report.maxRssBytes,
  };
}

async function measureSignal(synchronous: 'full' | 'normal'): Promise<IngestLine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signal-bench-ingest-'));
  try {
    const options: SignalChildOptions = { dataDir, synchronous };
    const child = await startChild<SignalChildReady>(
      new URL('./signal-child.ts', import.meta.url),
      options,
    );
    const load = await generateLoad(loadOptions(child.ready.url ?? ''));
    const report = await stopChild<SignalChildReport, SignalChildReady>(child);

    return {
      label: `Signal, synchronous=${synchronous}`,
      ...load,
      idleRssBytes: child.ready.idleRssBytes,
      maxRssBytes: report.maxRssBytes,
      eventsInStore: report.eventsInStore,
      cpuShare: report.cpuMs / report.wallMs,
      gatewayLoopUtilization: report.gatewayLoopUtilization,
      engineLoopUtilization: report.engineLoopUtilization,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function loadOptions(url: string) {
  return { url, path: '/v1/i', headers: INGEST_HEADERS, body: IDENTIFY_BODY, ...INGEST_LOAD };
}
