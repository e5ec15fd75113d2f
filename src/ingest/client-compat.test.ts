import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  basicAuth,
  jsonOf,
  NOW_MS,
  PIPELINE_KEY,
  SHOP_ORIGIN,
  startGateway,
  type Gateway,
} from './test-support.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('clients speaking the Segment tracking API', () => {
  let gateway: Gateway;

  before(async () => {
    gateway = await startGateway();
  });

  after(async () => {
    await gateway.close();
  });

  it('accepts an analytics-node batch and corrects its clock skew from sentAt', async () => {
    // The server's clock runs an hour behind: the event happened 10 s before the batch was sent.
    const clientNow = NOW_MS - HOUR;
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: {
        authorization: basicAuth(PIPELINE_KEY),
        'content-type': 'application/json',
        'user-agent': 'analytics-node-next/latest',
      },
      payload: {
        batch: [
          {
            type: 'track',
            event: 'Item Purchased',
            properties: { revenue: 39.95, shippingMethod: '2-day' },
            userId: '019mr8mf4r',
            messageId: 'node-next-1741944413000-5b1a3e64',
            timestamp: iso(clientNow - 10_000),
            context: { library: { name: '@segment/analytics-node', version: '2.2.1' } },
            integrations: {},
            _metadata: { jsRuntime: 'node' },
          },
        ],
        sentAt: iso(clientNow),
      },
    });

    assert.equal(response.statusCode, 200);
    const [event] = (await gateway.storedEvents()).slice(before);
    assert.deepEqual(event, {
      type: 'track',
      event: 'Item Purchased',
      properties: { revenue: 39.95, shippingMethod: '2-day' },
      traits: {},
      userId: '019mr8mf4r',
      context: {
        library: { name: '@segment/analytics-node', version: '2.2.1' },
        userAgent: 'analytics-node-next/latest',
        ip: '127.0.0.1',
      },
      timestamp: iso(NOW_MS - 10_000),
      messageId: 'node-next-1741944413000-5b1a3e64',
      receivedAt: iso(NOW_MS),
    });
  });

  it('accepts a RudderStack batch with originalTimestamp and a per-event sentAt', async () => {
    const clientNow = NOW_MS + 2 * HOUR;
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: basicAuth(PIPELINE_KEY), 'content-type': 'application/json' },
      payload: {
        batch: [
          {
            type: 'identify',
            userId: 'rudder-user-1',
            anonymousId: '8f8fa8a0-7b0c-4f5e-9b8e-1d2c3b4a5f6e',
            traits: { email: 'ada@example.com', firstName: 'Ada' },
            context: {
              library: { name: 'analytics-node', version: '2.0.1' },
              traits: { plan: 'free' },
            },
            channel: 'server',
            messageId: 'node-3c5f7a2d-4e1b-4b9a-8f6c-2a1d0e9b8c7f',
            originalTimestamp: iso(clientNow - 3_000),
            sentAt: iso(clientNow),
            integrations: { All: true },
          },
        ],
      },
    });

    assert.equal(response.statusCode, 200);
    const [event] = (await gateway.storedEvents()).slice(before);
    assert.equal(event?.type, 'identify');
    assert.equal(event?.timestamp, iso(NOW_MS - 3_000));
    assert.deepEqual(event?.traits, { plan: 'free', email: 'ada@example.com', firstName: 'Ada' });
    assert.equal(event?.anonymousId, '8f8fa8a0-7b0c-4f5e-9b8e-1d2c3b4a5f6e');
    assert.equal('channel' in (event ?? {}), false);
    assert.equal('integrations' in (event ?? {}), false);
  });

  it('accepts a gzipped batch, as RudderStack server libraries send by default', async () => {
    const before = (await gateway.storedEvents()).length;
    const body = gzipSync(
      JSON.stringify({ batch: [{ type: 'track', event: 'Zipped', userId: 'rs-2' }] }),
    );

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: {
        authorization: basicAuth(PIPELINE_KEY),
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: body,
    });

    assert.equal(response.statusCode, 200);
    const [event] = (await gateway.storedEvents()).slice(before);
    assert.equal(event?.event, 'Zipped');
  });

  it('parses a text/plain body from the collector, with the key as writeKey', async () => {
    const visitorId = '3f1c2b7e-9a4d-4c6b-8e2f-7d5a1b0c9e84';
    const before = (await gateway.storedEvents()).length;
    const body = JSON.stringify({
      batch: [
        {
          type: 'page',
          properties: {},
          context: {
            page: { url: `${SHOP_ORIGIN}/`, path: '/', title: 'Shop' },
            locale: 'nl-BE',
            timezone: 'Europe/Brussels',
            library: { name: 'datafly.js', version: '0.1.0' },
            consent: { categories: { C0004: true }, source: 'onetrust' },
            userAgent: 'Mozilla/5.0 (Collector)',
          },
          messageId: 'dfjs-1',
          timestamp: iso(NOW_MS - 1_000),
        },
      ],
      sentAt: iso(NOW_MS - 500),
      writeKey: PIPELINE_KEY,
    });

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: {
        'content-type': 'text/plain;charset=UTF-8',
        origin: SHOP_ORIGIN,
        cookie: `_dfid=${visitorId}`,
      },
      payload: body,
    });

    assert.equal(response.statusCode, 200);
    assert.deepEqual(jsonOf(response), { success: true });
    assert.equal(response.headers['access-control-allow-origin'], SHOP_ORIGIN);
    const [event] = (await gateway.storedEvents()).slice(before);
    assert.equal(event?.anonymousId, visitorId);
    assert.equal(event?.timestamp, iso(NOW_MS - 500));
    assert.equal(event?.context.userAgent, 'Mozilla/5.0 (Collector)');
    assert.deepEqual(event?.context.consent, { categories: { C0004: true }, source: 'onetrust' });
  });
});
