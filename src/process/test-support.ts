/**
 * The processor's test rig: a fresh SQLite store with the demo configuration, a processor over
 * it whose traces are collected, events built for the tests, and readers of those traces.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { provision } from '../config/provision.js';
import type { ConsentContext, SignalEvent } from '../core/envelope.js';
import { demoConfig } from '../demo/demo-config.js';
import { ActiveIntegrations } from '../integrations/active-integrations.js';
import { silentLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { TraceBus, type Trace } from '../observability/trace.js';
import { SecretBox } from '../store/secret-box.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import type { ConsentSettings, DeliverySettings } from '../store/types.js';
import { Processor } from './processor.js';

const PIPELINE = 'demo';
export const ADA = 'ada@example.com';
export const GRANT: ConsentContext = { categories: { C0004: true } };
export const REFUSE: ConsentContext = { categories: { C0004: false } };

export interface Setup {
  consent?: Partial<ConsentSettings>;
  delivery?: Partial<DeliverySettings>;
  enabled?: boolean;
  /** A second Actito integration on the pipeline, `actito-2`. */
  second?: boolean;
}

export interface Harness {
  store: Store;
  integrations: ActiveIntegrations;
  traces: Trace[];
  processor: Processor;
  append(...events: SignalEvent[]): Promise<void>;
  /** A processor on a freshly opened store over the same file, as after a restart. */
  restart(): Promise<Harness>;
}

export async function harness(t: TestContext, setup: Setup = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'signal-processor-'));
  const path = join(dir, 'signal.db');
  const secretBox = new SecretBox(randomBytes(32));
  const stores: Store[] = [];
  t.after(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = demoConfig({
    allowedOrigins: ['http://127.0.0.1:8080'],
    sandboxUrl: 'http://127.0.0.1:7070',
  });
  const [integration] = config.integrations;
  integration!.enabled = setup.enabled ?? true;
  integration!.delivery = { ...integration!.delivery, ...setup.delivery };
  config.consent = { ...config.consent!, ...setup.consent };
  if (setup.second) {
    config.integrations.push({ ...integration!, id: 'actito-2' });
    config.pipelines[0]!.integrationIds.push('actito-2');
  }

  async function open(): Promise<Harness> {
    const store = await openSqliteStore({ path, secretBox });
    stores.push(store);
    await provision(store, config);
    const integrations = new ActiveIntegrations(store, silentLogger());
    await integrations.reload();

    const bus = new TraceBus();
    const traces: Trace[] = [];
    bus.subscribe((trace) => traces.push(trace));
    const processor = new Processor({
      store,
      integrations,
      metrics: createMetrics({ defaults: false }),
      logger: silentLogger(),
      traces: bus,
    });

    return {
      store,
      integrations,
      traces,
      processor,
      append: (...events) =>
        store.appendEvents(events.map((event) => ({ pipelineId: PIPELINE, event }))),
      restart: open,
    };
  }
  return open();
}

let counter = 0;

export function event(
  type: SignalEvent['type'],
  fields: Partial<SignalEvent> & { consent?: ConsentContext } = {},
): SignalEvent {
  counter += 1;
  const { consent, ...rest } = fields;
  return {
    type,
    ...(type === 'track' ? { event: 'Order Completed' } : {}),
    properties: {},
    traits: {},
    context: { locale: 'en-GB', ...(consent ? { consent } : {}) },
    timestamp: '2025-01-01T10:00:00.000Z',
    messageId: `m-${counter}`,
    receivedAt: '2025-01-01T10:00:00.100Z',
    ...rest,
  };
}

export function identify(fields: Partial<SignalEvent> & { consent?: ConsentContext } = {}) {
  return event('identify', {
    userId: 'u-1',
    anonymousId: 'a-1',
    traits: { email: ADA },
    ...fields,
  });
}

/** The planned intents of these messages, in order. */
export function planned(traces: Trace[], ...messageIds: string[]) {
  return traces
    .filter((t) => t.stage === 'planned' && messageIds.includes(t.messageIds[0]!))
    .map((t) => ({
      messageId: t.messageIds[0],
      profileKey: t.profileKey,
      attributes: t.detail.attributes as Record<string, unknown>,
      optOut: t.detail.optOut,
    }));
}

/** The drop reasons of one message, in order. */
export function dropReasons(traces: Trace[], messageId: string): string[] {
  return traces
    .filter(
      (t) => (t.stage === 'dropped' || t.stage === 'duplicate') && t.messageIds[0] === messageId,
    )
    .map((t) => (t.stage === 'duplicate' ? 'duplicate messageId' : String(t.detail.reason)));
}

export function received(traces: Trace[]): string[] {
  return traces.filter((t) => t.stage === 'received').map((t) => t.messageIds[0]!);
}
