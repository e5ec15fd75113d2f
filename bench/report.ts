/**
 * The printed summary of a benchmark run: one table of figures, targets and ratios, then the
 * measured breakdown of any figure that misses its target. Figures only; nothing here fails.
 */
import type { CoalescingResult } from './coalescing.js';
import type { CollectorSizeResult } from './collector-size.js';
import type { DeliveryResult } from './delivery.js';
import type { IngestLine, IngestResult } from './ingest.js';

/** A benchmark that threw instead of producing figures. */
export interface Failure {
  failed: string;
}

export interface BenchResults {
  startedAt: string;
  seconds: number;
  machine: { cpus: number; node: string; platform: string };
  ingest: IngestResult | Failure;
  delivery: DeliveryResult | Failure;
  /** Diagnostic: the same delivery benchmark with `synchronous: 'normal'`. */
  deliveryNormal: DeliveryResult | Failure;
  coalescing: CoalescingResult | Failure;
  collector: CollectorSizeResult;
}

type Row = [benchmark: string, measure: string, value: string, target: string, status: string];

const INGEST_RATIO_TARGET = 0.6;
const DELIVERY_TARGET = 3_000;
const CALLS_PER_EVENT_TARGET = 0.2;

export function renderReport(results: BenchResults): string {
  const rows: Row[] = [
    ...ingestRows(results.ingest),
    ...deliveryRows(results.delivery, results.deliveryNormal),
    ...coalescingRows(results.coalescing),
    ...collectorRows(results.collector),
    ...rssRows(results),
  ];
  const { cpus, node } = results.machine;
  const took = `${results.seconds.toFixed(0)} s`;
  const title = `Signal benchmarks, ${results.startedAt} (${cpus} cores, Node ${node}, ${took})`;

  return [title, '', table(rows), '', ...notes(results)].join('\n');
}

function ingestRows(result: IngestResult | Failure): Row[] {
  if ('failed' in result) return [['1 ingest', 'benchmark failed', result.failed, '', '']];

  const { connections, rounds, roundMs } = result.load;
  const load = `${connections} conns, ${rounds} alternating rounds of ${roundMs / 1000} s each`;
  const line = (name: string, l: IngestLine): Row => [
    '1 ingest',
    name,
    `${int(l.requestsPerSecond)} req/s (median), p50 ${ms(l.p50Ms)}, p99 ${ms(l.p99Ms)}`,
    '',
    l.errors > 0 ? `${int(l.errors)} errors` : '',
  ];
  const ratio = (l: IngestLine): Row => {
    const value = l.ratio ?? 0;
    const rounds = (l.roundRatios ?? []).map((r) => r.toFixed(2)).join(', ');
    return [
      '1 ingest',
      `  ratio Signal / bare (median of ${rounds})`,
      value.toFixed(2),
      `>= ${INGEST_RATIO_TARGET}`,
      verdict(value >= INGEST_RATIO_TARGET),
    ];
  };
  const durable = (l: IngestLine): Row => [
    '1 ingest',
    '  events in store / 200 answers',
    `${int(l.eventsInStore ?? 0)} / ${int(l.ok)}`,
    'equal',
    verdict(l.eventsInStore === l.ok),
  ];

  return [
    ['1 ingest', `load: ${load}`, '', '', ''],
    line('bare node:http', result.bare),
    line('Signal, synchronous=full (default)', result.signalFull),
    ratio(result.signalFull),
    durable(result.signalFull),
    line('Signal, synchronous=normal *', result.signalNormal),
    ratio(result.signalNormal),
    durable(result.signalNormal),
  ];
}

function deliveryRows(full: DeliveryResult | Failure, normal: DeliveryResult | Failure): Row[] {
  const line = (name: string, result: DeliveryResult | Failure, target: boolean): Row => {
    if ('failed' in result) return ['2 delivery', name, `failed: ${result.failed}`, '', ''];

    const timedOut = result.timedOut ? ', timed out' : '';
    const runs =
      result.runRates.length > 1 ? `; median of ${result.runRates.map(int).join(', ')}` : '';
    const took = `${int(result.delivered)} in ${result.seconds.toFixed(1)} s${timedOut}${runs}`;
    const value = `${int(result.writesPerSecond)} writes/s (${took})`;
    if (!target) return ['2 delivery', name, value, '', 'diagnostic'];
    const ok = !result.timedOut && result.writesPerSecond >= DELIVERY_TARGET;
    return ['2 delivery', name, value, `>= ${int(DELIVERY_TARGET)}/s`, verdict(ok)];
  };

  return [
    line('profile writes, synchronous=full', full, true),
    line('same, synchronous=normal *', normal, false),
  ];
}

function coalescingRows(result: CoalescingResult | Failure): Row[] {
  if ('failed' in result) return [['3 coalescing', 'benchmark failed', result.failed, '', '']];

  return [
    [
      '3 coalescing',
      'Actito profile calls / events',
      `${int(result.profileCalls)} / ${int(result.events)} = ${result.callsPerEvent.toFixed(3)}`,
      `<= ${CALLS_PER_EVENT_TARGET}`,
      verdict(result.callsPerEvent <= CALLS_PER_EVENT_TARGET),
    ],
    [
      '3 coalescing',
      'final profiles differing from the trace',
      `${int(result.mismatches)} of ${int(result.visitors)} visitors ` +
        `(${int(result.expectedProfiles)} profiled)`,
      '0',
      verdict(result.mismatches === 0 && result.drained),
    ],
    [
      '3 coalescing',
      '  429s, dead letters, token exchanges',
      `${int(result.rejected429)}, ${int(result.deadLetters)}, ${int(result.tokenExchanges)}`,
      '',
      '',
    ],
    [
      '3 coalescing',
      '  ingested in, delivered in',
      `${result.ingestSeconds.toFixed(1)} s, ${result.drainSeconds.toFixed(1)} s` +
        (result.drained ? '' : ' (NOT drained)'),
      '',
      '',
    ],
  ];
}

function collectorRows(result: CollectorSizeResult): Row[] {
  if (!result.available) return [['4 collector', 'size', `unavailable: ${result.reason}`, '', '']];

  return [
    [
      '4 collector',
      'datafly.js minified / gzipped',
      `${int(result.minifiedBytes)} B / ${int(result.gzippedBytes)} B`,
      `<= ${int(result.budgetBytes)} B gz`,
      verdict(result.gzippedBytes <= result.budgetBytes),
    ],
  ];
}

function rssRows(results: BenchResults): Row[] {
  const row = (name: string, r: { idleRssBytes: number; maxRssBytes: number } | Failure): Row => [
    '5 peak RSS',
    name,
    'failed' in r ? 'n/a' : `${mb(r.maxRssBytes)} (idle ${mb(r.idleRssBytes)})`,
    '',
    '',
  ];
  const ingest = results.ingest;

  return [
    ...('failed' in ingest
      ? []
      : [
          row('bare node:http under load', ingest.bare),
          row('Signal ingest, full', ingest.signalFull),
          row('Signal ingest, normal', ingest.signalNormal),
        ]),
    row('Signal delivery, full', results.delivery),
    row('Signal coalescing trace', results.coalescing),
  ];
}

function notes(results: BenchResults): string[] {
  const lines = [
    '* synchronous=normal survives a crash of the process but not a power cut; ' +
      'full is the default.',
    'Ingest: Signal routes to no integration, so no delivery competes with the gateway.',
    'RSS is of the server process alone; each child runs under tsx, ' +
      'whose loader is in the idle figure.',
  ];

  if (!('failed' in results.ingest)) lines.push(...ingestCpu(results.ingest, results.machine.cpus));
  if (!('failed' in results.delivery)) lines.push(...deliveryBreakdown(results.delivery));
  if (!('failed' in results.coalescing)) {
    for (const example of results.coalescing.mismatchExamples) {
      lines.push(
        `Mismatch ${example.email}: expected ${JSON.stringify(example.expected)}, ` +
          `sandbox ${JSON.stringify(example.actual)}`,
      );
    }
  }
  return lines;
}

/**
 * Where the machine's CPU went in the ingestion rounds, per request, and what the ratio target
 * leaves for Signal: at the target rate, the cores must carry the load generator and the server.
 */
function ingestCpu(result: IngestResult, cores: number): string[] {
  const cost = (l: IngestLine) =>
    `server ${us(l.serverCpuUsPerRequest)}, load generator ${us(l.loadCpuUsPerRequest)} ` +
    `of CPU per request; ${l.coresUsed.toFixed(2)} of ${cores} cores busy`;
  const lines = [`Ingest CPU, ${result.bare.label}: ${cost(result.bare)}.`];

  for (const line of [result.signalFull, result.signalNormal]) {
    const gateway = pct(line.gatewayLoopUtilization ?? 0);
    const engine = pct(line.engineLoopUtilization ?? 0);
    lines.push(
      `Ingest CPU, ${line.label}: ${cost(line)}; event loops busy: ` +
        `gateway ${gateway}, engine ${engine}.`,
    );
  }

  const full = result.signalFull;
  const targetRate = INGEST_RATIO_TARGET * result.bare.requestsPerSecond;
  const budget = (cores * 1e6) / targetRate - full.loadCpuUsPerRequest;
  const gatewayUs = full.gatewayUsPerRequest ?? 0;
  lines.push(
    `Ingest budget: ${INGEST_RATIO_TARGET} × bare is ${int(targetRate)} req/s; there, ${cores} ` +
      `cores leave ${us(budget)} of CPU per request beside the load generator's ` +
      `${us(full.loadCpuUsPerRequest)}, and the gateway's one thread has ` +
      `${us(1e6 / targetRate)} per request. Signal (full) used ` +
      `${us(full.serverCpuUsPerRequest)} of CPU, and its gateway's loop was busy ` +
      `${us(gatewayUs)} per request; ` +
      `the bare server took ${us(result.bare.serverCpuUsPerRequest)} of CPU for the HTTP alone.`,
  );
  return lines;
}

function deliveryBreakdown(result: DeliveryResult): string[] {
  const b = result.breakdown;

  return [
    `Delivery breakdown (synchronous=full, ${result.seconds.toFixed(1)} s wall):`,
    `  Signal CPU ${(b.signalCpuMs / 1000).toFixed(1)} s; ` +
      `engine thread's event loop busy ${pct(b.engineLoopUtilization)}.`,
    `  Vendor call as Signal times it: ${b.meanCallMs.toFixed(1)} ms mean, ` +
      `${b.meanInFlight.toFixed(1)} calls in flight on average (limit 5); ` +
      `sandbox event loop busy ${pct(b.sandboxEventLoopUtilization)}.`,
  ];
}

function table(rows: Row[]): string {
  const header: Row = ['Benchmark', 'Measure', 'Value', 'Target', 'Status'];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const format = (row: Row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');

  return [format(header), rule, ...rows.map(format)].join('\n');
}

function verdict(ok: boolean): string {
  return ok ? 'ok' : 'MISSED';
}

function int(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

function us(microseconds: number): string {
  return `${Math.round(microseconds)} µs`;
}
