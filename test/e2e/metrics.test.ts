/**
 * `/metrics` after real traffic: the seed's flow, a consent-denied visitor, a duplicate, a call
 * that fails once with 503 and then succeeds, and a profile whose calls keep failing until it is
 * dead-lettered, each sent over HTTP and delivered to the sandbox; then the counters scraped from
 * the running Signal must tell that story exactly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/observability/logger.js';
import { startSignalApp } from '../../src/runtime/signal-app.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import {
  drained,
  seedContext,
  SEED_PAYLOAD,
  SEED_TRAITS,
  startHarness,
  type Harness,
} from '../support/signal-harness.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus' text format into samples (comments and blank lines skipped). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];

  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;

    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name!] = value!;
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }

  return samples;
}

/** The value of the one sample named `name` whose labels include `labels`; fails otherwise. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const matching = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );

  assert.equal(matching.length, 1, `one ${name} ${JSON.stringify(labels)}, got ${matching.length}`);
  return matching[0]!.value;
}

interface Scrape {
  status: number;
  type: string;
  samples: Sample[];
}

async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`);

  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    samples: parseMetrics(await response.text()),
  };
}

/** Sends an identify for `<userId>@example.com` and waits until Signal is done with it. */
async function identify(harness: Harness, userId: string, marketing = true): Promise<void> {
  const email = `${userId}@example.com`;

  const answer = await harness.send('/v1/i', {
    userId,
    traits: { email },
    context: seedContext(marketing),
  });

  assert.equal(answer.status, 200);
  await drained(harness.signal);
}

/**
 * The traffic whose counters the tests read, one step drained before the next so every count is
 * exact: 7 events received, 5 planned (one of them unchanged), 2 dropped, 8 vendor calls.
 */
async function sendTheStory(harness: Harness): Promise<void> {
  const { sandbox, signal } = harness;

  // The seed: identify, then "Signed Up", which changes nothing already sent, so it costs no call.
  await harness.send('/v1/i', { userId: 'user-123', traits: SEED_TRAITS, context: seedContext() });
  await drained(signal);
  await harness.send('/v1/t', { event: 'Signed Up', userId: 'user-123', context: seedContext() });
  await drained(signal);
  assert.equal(JSON.stringify(harness.profileWrites()[0]?.body), SEED_PAYLOAD);

  // A visitor who denied marketing, and one event sent twice with the same messageId.
  await identify(harness, 'denied', false);
  await harness.send('/v1/i', REPEATED);
  await drained(signal);
  await harness.send('/v1/i', REPEATED);
  await drained(signal);

  // One 503, then success.
  sandbox.setFaults({ errors: [{ status: 503, count: 1, paths: 'profile' }] });
  await identify(harness, 'flaky');

  // 503 on the first call and on FAST_RETRIES' three retries, then the dead letter.
  sandbox.setFaults({ errors: [{ status: 503, paths: 'profile' }] });
  await identify(harness, 'doomed');
  sandbox.setFaults({});
}

const REPEATED = {
  userId: 'twice',
  messageId: 'm-twice',
  traits: { email: 'twice@example.com' },
  context: seedContext(),
};

describe('/metrics after real traffic', () => {
  let harness: Harness;
  let scraped: Scrape;
  const actito = { integration: 'actito' };

  before(async () => {
    harness = await startHarness();
    await sendTheStory(harness);
    scraped = await scrape(harness.signal.url);
  });

  after(async () => {
    await harness.close();
  });

  it('serves the Prometheus text format', () => {
    assert.equal(scraped.status, 200);
    assert.match(scraped.type, /^text\/plain; version=0\.0\.4/);
  });

  it('counts the events received and planned', () => {
    const { samples } = scraped;

    assert.equal(valueOf(samples, 'signal_events_received_total', { pipeline: 'web' }), 7);
    assert.equal(valueOf(samples, 'signal_events_planned_total', actito), 5);
    assert.equal(valueOf(samples, 'signal_intents_total', { ...actito, fate: 'queued' }), 4);
    assert.equal(valueOf(samples, 'signal_intents_total', { ...actito, fate: 'unchanged' }), 1);
  });

  it('counts the events dropped, by reason', () => {
    const { samples } = scraped;

    assert.equal(valueOf(samples, 'signal_events_dropped_total', { reason: 'consent' }), 1);
    assert.equal(valueOf(samples, 'signal_events_dropped_total', { reason: 'duplicate' }), 1);
    assert.equal(samples.filter((s) => s.name === 'signal_events_dropped_total').length, 2);
  });

  it('counts deliveries, retries and dead letters as the sandbox saw the calls', () => {
    const { samples } = scraped;
    const writes = harness.profileWrites();

    const delivered = valueOf(samples, 'signal_deliveries_total', {
      ...actito,
      outcome: 'delivered',
    });
    assert.equal(delivered, 3);
    assert.equal(delivered, writes.filter((write) => write.status < 300).length);
    assert.equal(valueOf(samples, 'signal_deliveries_total', { ...actito, outcome: 'retry' }), 4);
    assert.equal(valueOf(samples, 'signal_deliveries_total', { ...actito, outcome: 'failed' }), 1);
    assert.equal(valueOf(samples, 'signal_delivery_retries_total', actito), 4);
    assert.equal(valueOf(samples, 'signal_dead_letters_total', actito), 1);
    assert.equal(writes.filter((write) => write.status === 503).length, 5);
  });

  it('reports the queue depth by state', () => {
    const { samples } = scraped;

    assert.equal(valueOf(samples, 'signal_queue_depth', { ...actito, state: 'waiting' }), 0);
    assert.equal(valueOf(samples, 'signal_queue_depth', { ...actito, state: 'in_flight' }), 0);
    assert.equal(valueOf(samples, 'signal_queue_depth', { ...actito, state: 'dead' }), 1);
  });

  it('observes the latency of every vendor call', () => {
    const { samples } = scraped;

    const calls = valueOf(samples, 'signal_vendor_latency_seconds_count', actito);
    assert.equal(calls, harness.profileWrites().length);
    assert.equal(
      valueOf(samples, 'signal_vendor_latency_seconds_bucket', { ...actito, le: '+Inf' }),
      calls,
    );
    assert.ok(valueOf(samples, 'signal_vendor_latency_seconds_sum', actito) > 0);
  });

  it('observes the latency of every gateway request, durable write included', () => {
    const { samples } = scraped;

    assert.equal(valueOf(samples, 'signal_ingest_latency_seconds_count', { route: 'identify' }), 6);
    assert.equal(valueOf(samples, 'signal_ingest_latency_seconds_count', { route: 'track' }), 1);
    assert.ok(valueOf(samples, 'signal_ingest_latency_seconds_sum', { route: 'identify' }) > 0);
  });
});

describe('/metrics of a Signal started with its default metrics', () => {
  it('includes the process defaults, resident memory first', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signal-metrics-'));
    const store = await openSqliteStore({ path: join(dataDir, 'signal.db') });
    const signal = await startSignalApp({ store, logger: silentLogger(), port: 0 });
    t.after(async () => {
      await signal.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const { samples } = await scrape(signal.url);

    const residentBytes = valueOf(samples, 'process_resident_memory_bytes');
    assert.ok(residentBytes > 10 * 1024 * 1024, `resident memory ${residentBytes} bytes`);
    assert.ok(valueOf(samples, 'process_cpu_seconds_total') > 0);
    assert.ok(valueOf(samples, 'nodejs_heap_size_used_bytes') > 0);
  });
});
