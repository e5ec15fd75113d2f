import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  bearerJson,
  jsonOf,
  NOW_MS,
  PIPELINE_KEY,
  startGateway,
  type Gateway,
} from './test-support.js';

const RECEIVED_AT = new Date(NOW_MS).toISOString();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ingest routes', () => {
  let gateway: Gateway;
  let seen = 0;

  before(async () => {
    gateway = await startGateway();
  });

  after(async () => {
    await gateway.close();
  });

  /** Events stored since the previous call. */
  async function newEvents() {
    const events = await gateway.storedEvents();
    const fresh = events.slice(seen);
    seen = events.length;
    return fresh;
  }

  it('stores a track call from /v1/t as a normalised envelope and answers success', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: bearerJson({ 'user-agent': 'Mozilla/5.0 (test)' }),
      payload: {
        event: 'Order Completed',
        properties: { total: 42.5, currency: 'EUR' },
        userId: 1234,
        anonymousId: 'anon-1',
        messageId: 'msg-track-1',
        context: { locale: 'fr-BE', page: { path: '/checkout' }, custom: { kept: true } },
        integrations: { All: true },
      },
    });

    assert.equal(response.statusCode, 200);
    assert.deepEqual(jsonOf(response), { success: true });
    assert.deepEqual(await newEvents(), [
      {
        type: 'track',
        event: 'Order Completed',
        properties: { total: 42.5, currency: 'EUR' },
        traits: {},
        userId: '1234',
        anonymousId: 'anon-1',
        context: {
          locale: 'fr-BE',
          page: { path: '/checkout' },
          custom: { kept: true },
          userAgent: 'Mozilla/5.0 (test)',
          ip: '127.0.0.1',
        },
        timestamp: RECEIVED_AT,
        messageId: 'msg-track-1',
        receivedAt: RECEIVED_AT,
      },
    ]);
  });

  it('stores a page call from /v1/p with its name and the client timestamp', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/p',
      headers: bearerJson(),
      payload: {
        name: 'Pricing',
        anonymousId: 'anon-2',
        timestamp: '2025-03-14T09:26:50.000+00:00',
        context: { page: { url: 'https://shop.example/pricing', title: 'Pricing' } },
      },
    });

    assert.equal(response.statusCode, 200);
    const [event] = await newEvents();
    assert.equal(event?.type, 'page');
    assert.equal(event?.name, 'Pricing');
    assert.equal(event?.timestamp, '2025-03-14T09:26:50.000Z');
    assert.deepEqual(event?.context.page, {
      url: 'https://shop.example/pricing',
      title: 'Pricing',
    });
  });

  it('stores an identify call from /v1/i with traits, taking Segment context.traits too', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/i',
      headers: bearerJson(),
      payload: {
        userId: 'user-7',
        anonymousId: 'anon-3',
        traits: { email: 'Ada@Example.com' },
        context: { traits: { firstName: 'Ada', email: 'old@example.com' } },
      },
    });

    assert.equal(response.statusCode, 200);
    const [event] = await newEvents();
    assert.equal(event?.type, 'identify');
    assert.deepEqual(event?.traits, { firstName: 'Ada', email: 'Ada@Example.com' });
    assert.equal(event?.userId, 'user-7');
  });

  it('stores a group call from /v1/g with its groupId coerced to a string', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/g',
      headers: bearerJson(),
      payload: { userId: 'user-7', groupId: 99, traits: { plan: 'pro' } },
    });

    assert.equal(response.statusCode, 200);
    const [event] = await newEvents();
    assert.equal(event?.type, 'group');
    assert.equal(event?.groupId, '99');
    assert.deepEqual(event?.traits, { plan: 'pro' });
  });

  it('takes the type from the body when the body has one', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: bearerJson(),
      payload: { type: 'page', name: 'Home', anonymousId: 'anon-4' },
    });

    assert.equal(response.statusCode, 200);
    const [event] = await newEvents();
    assert.equal(event?.type, 'page');
    assert.equal(event?.name, 'Home');
  });

  it('stores every event of /v1/batch, each with its own type, in one request', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson(),
      payload: {
        batch: [
          { type: 'page', anonymousId: 'anon-5', messageId: 'b-1' },
          { type: 'track', event: 'Clicked', anonymousId: 'anon-5', messageId: 'b-2' },
          { type: 'identify', userId: 'u-5', anonymousId: 'anon-5', messageId: 'b-3' },
        ],
      },
    });

    assert.equal(response.statusCode, 200);
    assert.equal(jsonOf(response).success, true);
    const events = await newEvents();
    assert.deepEqual(
      events.map((event) => [event.type, event.messageId]),
      [
        ['page', 'b-1'],
        ['track', 'b-2'],
        ['identify', 'b-3'],
      ],
    );
  });

  it('generates a UUID messageId when the event has none and keeps a given one', async () => {
    await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson(),
      payload: {
        batch: [
          { type: 'track', event: 'A', anonymousId: 'anon-6' },
          { type: 'track', event: 'B', anonymousId: 'anon-6' },
          { type: 'track', event: 'C', anonymousId: 'anon-6', messageId: 'given-id' },
        ],
      },
    });

    const [first, second, third] = await newEvents();
    assert.match(first?.messageId ?? '', UUID);
    assert.match(second?.messageId ?? '', UUID);
    assert.notEqual(first?.messageId, second?.messageId);
    assert.equal(third?.messageId, 'given-id');
  });

  it('answers 404 NOT_FOUND in the error shape for an unknown route', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: `/v1/nothing?key=${PIPELINE_KEY}`,
      headers: bearerJson(),
      payload: {},
    });

    assert.equal(response.statusCode, 404);
    assert.deepEqual(jsonOf(response), {
      error: { code: 'NOT_FOUND', message: 'There is no route POST /v1/nothing' },
    });
  });

  it('counts stored events per pipeline and request latency per route', async () => {
    const metrics = await gateway.metrics.registry.metrics();

    assert.match(metrics, /signal_events_received_total\{pipeline="pl_web"\} \d+/);
    assert.match(metrics, /signal_ingest_latency_seconds_count\{route="batch"\} [1-9]/);
  });
});
