/**
 * `npm run bench`: runs the benchmarks one after another on this machine, prints one table, and
 * writes the figures to `bench/results/latest.json`. Comparisons are made within the run, so a
 * noisy machine moves both sides of a ratio together.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { runCoalescingBenchmark } from './coalescing.js';
import { runCollectorSizeBenchmark } from './collector-size.js';
import { runDeliveryBenchmark } from './delivery.js';
import { runIngestBenchmark } from './ingest.js';
import { renderReport, type BenchResults, type Failure } from './report.js';

const startedAt = new Date();
const started = performance.now();

const ingest = await step('1/5 ingestion throughput (about 50 s)', runIngestBenchmark);
const delivery = await step('2/5 delivery throughput, synchronous=full (3 runs)', () =>
  runDeliveryBenchmark('full', 3),
);
const deliveryNormal = await step('3/5 delivery throughput, synchronous=normal (diagnostic)', () =>
  runDeliveryBenchmark('normal'),
);
const coalescing = await step('4/5 calls per event on a mixed trace', runCoalescingBenchmark);
console.error('5/5 collector size');
const collector = await runCollectorSizeBenchmark();

const results: BenchResults = {
  startedAt: startedAt.toISOString(),
  seconds: (performance.now() - started) / 1000,
  machine: {
    cpus: availableParallelism(),
    node: process.versions.node,
    platform: process.platform,
  },
  ingest,
  delivery,
  deliveryNormal,
  coalescing,
  collector,
};

const directory = new URL('./results/', import.meta.url);
mkdirSync(directory, { recursive: true });
writeFileSync(new URL('latest.json', directory), `${JSON.stringify(results, null, 2)}\n`);

console.log(renderReport(results));
console.log('\nWritten to bench/results/latest.json');

/** Runs one benchmark; a failure is reported in the table rather than ending the run. */
async function step<T>(title: string, run: () => Promise<T>): Promise<T | Failure> {
  console.error(title);
  try {
    return await run();
  } catch (error) {
    console.error(error);
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}
