import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
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
const ADA = 'ada@example.com';
const GRANT: ConsentContext = { categories: { C0004: true } };
const REFUSE: ConsentContext = { categories: { C0004: false } };

interface Setup {
  consent?: Partial<ConsentSettings>;
  delivery?: Partial<DeliverySettings>;
  enabled?: boolean;
  /** A second Actito integration on the pipeline, `actito-2`. */
  second?: boolean;
}

interface Harness {
  store: Store;
  integrations: ActiveIntegrations;
  traces: Trace[];
  processor: Processor;
  append(...events: SignalEvent[]): Promise<void>;
  /** A processor on a freshly opened store over the same file, as after a restart. */
  restart(): Promise<Harness>;
}

async function harness(t: TestContext, setup: Setup = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'signal-processor-'));
  const path = join(dir, 'signal.db');
  const secretBox = new SecretBox(randomBytes(32));
  const stores: Store[] = [];
  t.after(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = demoConfig({
    signalUrl: 'http://127.0.0.1:8080',
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

function event(
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

function identify(fields: Partial<SignalEvent> & { consent?: ConsentContext } = {}) {
  return event('identify', {
    userId: 'u-1',
    anonymousId: 'a-1',
    traits: { email: ADA },
    ...fields,
  });
}

/** The planned intents of these messages, in order. */
function planned(traces: Trace[], ...messageIds: string[]) {
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
function dropReasons(traces: Trace[], messageId: string): string[] {
  return traces
    .filter(
      (t) => (t.stage === 'dropped' || t.stage === 'duplicate') && t.messageIds[0] === messageId,
    )
    .map((t) => (t.stage === 'duplicate' ? 'duplicate messageId' : String(t.detail.reason)));
}

function received(traces: Trace[]): string[] {
  return traces.filter((t) => t.stage === 'received').map((t) => t.messageIds[0]!);
}

describe('Processor.processBatch', () => {
  it('drops a messageId repeated in the same batch and plans the first only', async (t) => {
    const h = await harness(t);
    const first = identify({ consent: GRANT });
    await h.append(first, { ...first });

    const handled = await h.processor.processBatch();

    assert.equal(handled, 2);
    assert.equal(planned(h.traces, first.messageId).length, 1);
    assert.deepEqual(dropReasons(h.traces, first.messageId), ['duplicate messageId']);
  });

  it('drops a messageId already processed in an earlier batch', async (t) => {
    const h = await harness(t);
    const first = identify({ consent: GRANT });
    await h.append(first);
    await h.processor.processBatch();
    h.traces.length = 0;
    await h.append({ ...first, traits: { email: 'other@example.com' } });

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, first.messageId), []);
    assert.deepEqual(dropReasons(h.traces, first.messageId), ['duplicate messageId']);
  });

  it("plans a track that follows an identify in the same batch with the identify's email", async (t) => {
    const h = await harness(t);
    const login = identify({ traits: { email: ' Ada@Example.com ' }, consent: GRANT });
    const order = event('track', { userId: 'u-1' });
    await h.append(login, order);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, order.messageId), [
      {
        messageId: order.messageId,
        profileKey: ADA,
        attributes: { email: ADA, language: 'en', marketingConsent: true },
        optOut: false,
      },
    ]);
  });

  it('carries the traits and consent of an anonymous visitor over to the user at login', async (t) => {
    const h = await harness(t);
    const view = event('page', { anonymousId: 'a-1', consent: GRANT });
    const newsletter = event('identify', { anonymousId: 'a-1', traits: { email: ADA } });
    await h.append(view, newsletter);
    await h.processor.processBatch();
    const login = event('identify', {
      userId: 'u-1',
      anonymousId: 'a-1',
      traits: { first_name: 'Ada' },
    });
    const laterView = event('page', { anonymousId: 'a-1' });
    await h.append(login, laterView);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, login.messageId, laterView.messageId), [
      {
        messageId: login.messageId,
        profileKey: ADA,
        attributes: { email: ADA, firstName: 'Ada', language: 'en', marketingConsent: true },
        optOut: false,
      },
      {
        messageId: laterView.messageId,
        profileKey: ADA,
        attributes: { email: ADA, language: 'en', marketingConsent: true },
        optOut: false,
      },
    ]);
  });

  it('lets consent stated in canonical categories win over CMP codes', async (t) => {
    const h = await harness(t);
    const login = identify({
      consent: { categories: { C0004: true }, canonical: { marketing: false } },
    });
    await h.append(login);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, login.messageId), []);
    assert.deepEqual(dropReasons(h.traces, login.messageId), ['consent not granted: marketing']);
  });

  it("uses the visitor's stored consent when an event says nothing about consent", async (t) => {
    const h = await harness(t);
    await h.append(identify({ consent: GRANT }));
    await h.processor.processBatch();
    const order = event('track', { userId: 'u-1' });
    await h.append(order);

    await h.processor.processBatch();

    assert.equal(planned(h.traces, order.messageId)[0]?.attributes['marketingConsent'], true);
  });

  it('uses the configured default when neither the event nor the profile has consent', async (t) => {
    const denied = await harness(t);
    const granted = await harness(t, { consent: { default: 'granted' } });
    const login = identify();
    await denied.append(login);
    await granted.append(login);

    await denied.processor.processBatch();
    await granted.processor.processBatch();

    assert.deepEqual(dropReasons(denied.traces, login.messageId), [
      'consent not granted: marketing',
    ]);
    assert.equal(planned(granted.traces, login.messageId)[0]?.attributes['marketingConsent'], true);
  });

  it('plans exactly one minimal opt-out when a known visitor withdraws marketing', async (t) => {
    const h = await harness(t);
    await h.append(identify({ traits: { email: ADA, first_name: 'Ada' }, consent: GRANT }));
    await h.processor.processBatch();
    const withdrawal = event('page', { userId: 'u-1', consent: REFUSE });
    await h.append(withdrawal);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, withdrawal.messageId), [
      {
        messageId: withdrawal.messageId,
        profileKey: ADA,
        attributes: { email: ADA, marketingConsent: false },
        optOut: true,
      },
    ]);
  });

  it('drops later events while marketing stays withdrawn', async (t) => {
    const h = await harness(t);
    await h.append(identify({ consent: GRANT }), event('page', { userId: 'u-1', consent: REFUSE }));
    await h.processor.processBatch();
    const later = event('track', { userId: 'u-1' });
    await h.append(later);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, later.messageId), []);
    assert.deepEqual(dropReasons(h.traces, later.messageId), ['consent not granted: marketing']);
  });

  it('sends no opt-out when propagateOptOut is off', async (t) => {
    const h = await harness(t, { delivery: { propagateOptOut: false } });
    const withdrawal = event('page', { userId: 'u-1', consent: REFUSE });
    await h.append(identify({ consent: GRANT }), withdrawal);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, withdrawal.messageId), []);
    assert.deepEqual(dropReasons(h.traces, withdrawal.messageId), [
      'consent not granted: marketing',
    ]);
  });

  it('opts out a visitor whose marketing consent came from a granted default', async (t) => {
    const h = await harness(t, { consent: { default: 'granted' } });
    await h.append(identify());
    await h.processor.processBatch();
    const withdrawal = event('page', { userId: 'u-1', consent: REFUSE });
    await h.append(withdrawal);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, withdrawal.messageId), [
      {
        messageId: withdrawal.messageId,
        profileKey: ADA,
        attributes: { email: ADA, marketingConsent: false },
        optOut: true,
      },
    ]);
  });

  it('records an event of a pipeline that no longer exists as dropped', async (t) => {
    const h = await harness(t);
    const orphan = identify({ consent: GRANT });
    await h.store.appendEvents([{ pipelineId: 'removed', event: orphan }]);

    await h.processor.processBatch();

    assert.deepEqual(dropReasons(h.traces, orphan.messageId), ['pipeline removed not found']);
    assert.deepEqual(planned(h.traces, orphan.messageId), []);
  });

  it('still plans an event for the other integrations when one fails to plan it', async (t) => {
    const h = await harness(t, { second: true });
    const broken = h.integrations.get('actito-2')!;
    broken.definition = {
      ...broken.definition,
      plan: () => {
        throw new TypeError('mapping exploded');
      },
    };
    const login = identify({ consent: GRANT });
    await h.append(login);

    await h.processor.processBatch();

    const plans = planned(h.traces, login.messageId);
    assert.equal(plans.length, 1);
    assert.equal(plans[0]?.profileKey, ADA);
    assert.deepEqual(dropReasons(h.traces, login.messageId), ['planning failed: mapping exploded']);
  });

  it('drops an event for a disabled integration with the reason', async (t) => {
    const h = await harness(t, { enabled: false });
    const login = identify({ consent: GRANT });
    await h.append(login);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, login.messageId), []);
    assert.deepEqual(dropReasons(h.traces, login.messageId), ['integration disabled']);
  });

  it('advances the cursor so that a second call finds nothing new', async (t) => {
    const h = await harness(t);
    await h.append(identify({ consent: GRANT }), event('track', { userId: 'u-1' }));
    await h.processor.processBatch();
    const cursor = await h.store.readCursor();
    h.traces.length = 0;

    const handled = await h.processor.processBatch();

    assert.equal(cursor, 2);
    assert.equal(handled, 0);
    assert.deepEqual(h.traces, []);
    assert.equal(await h.store.readCursor(), 2);
  });

  it('resumes after the cursor when a new processor opens the same store', async (t) => {
    const h = await harness(t);
    const before = identify({ consent: GRANT });
    await h.append(before);
    await h.processor.processBatch();
    const after = event('track', { userId: 'u-1' });
    await h.append(after);
    await h.store.close();
    const restarted = await h.restart();

    const handled = await restarted.processor.processBatch();

    assert.equal(handled, 1);
    assert.deepEqual(received(restarted.traces), [after.messageId]);
    assert.equal(planned(restarted.traces, after.messageId)[0]?.profileKey, ADA);
  });
});
