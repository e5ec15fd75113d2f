/**
 * Prometheus metrics. One registry per Signal process (tests create their own), holding the
 * counters every stage updates and Node's default process metrics under their standard names
 * (`process_resident_memory_bytes`, `process_cpu_seconds_total`, ...), which dashboards expect.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  eventsReceived: Counter<'pipeline'>;
  eventsRejected: Counter<'pipeline' | 'code'>;
  eventsPlanned: Counter<'integration'>;
  eventsDropped: Counter<'integration' | 'reason'>;
  intents: Counter<'integration' | 'fate'>;
  deliveries: Counter<'integration' | 'outcome'>;
  retries: Counter<'integration'>;
  deadLetters: Counter<'integration'>;
  queueDepth: Gauge<'integration' | 'state'>;
  vendorLatency: Histogram<'integration'>;
  ingestLatency: Histogram<'route'>;
}

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry });

  const registers = [registry];
  return {
    registry,
    eventsReceived: new Counter({
      name: 'signal_events_received_total',
      help: 'Events stored durably by the gateway',
      labelNames: ['pipeline'],
      registers,
    }),
    eventsRejected: new Counter({
      name: 'signal_events_rejected_total',
      help: 'Events or requests refused by the gateway, by error code',
      labelNames: ['pipeline', 'code'],
      registers,
    }),
    eventsPlanned: new Counter({
      name: 'signal_events_planned_total',
      help: 'Events planned into a delivery intent',
      labelNames: ['integration'],
      registers,
    }),
    eventsDropped: new Counter({
      name: 'signal_events_dropped_total',
      help: 'Events not delivered, by reason (duplicate, consent, no key, not mapped)',
      labelNames: ['integration', 'reason'],
      registers,
    }),
    intents: new Counter({
      name: 'signal_intents_total',
      help: 'Delivery intents by fate: queued, merged into a waiting one, or unchanged',
      labelNames: ['integration', 'fate'],
      registers,
    }),
    deliveries: new Counter({
      name: 'signal_deliveries_total',
      help: 'Vendor calls by outcome: delivered, retry, failed',
      labelNames: ['integration', 'outcome'],
      registers,
    }),
    retries: new Counter({
      name: 'signal_delivery_retries_total',
      help: 'Deliveries scheduled for another attempt',
      labelNames: ['integration'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'signal_dead_letters_total',
      help: 'Deliveries moved to the dead letter',
      labelNames: ['integration'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'signal_queue_depth',
      help: 'Delivery intents per integration and state (waiting, in_flight, dead)',
      labelNames: ['integration', 'state'],
      registers,
    }),
    vendorLatency: new Histogram({
      name: 'signal_vendor_latency_seconds',
      help: 'Vendor call latency',
      labelNames: ['integration'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    ingestLatency: new Histogram({
      name: 'signal_ingest_latency_seconds',
      help: 'Gateway request latency, durable acknowledgement included',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
  };
}
