import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TRANSPARENT_GIF } from './pixel.js';
import { jsonOf, NOW_MS, PIPELINE_KEY, startGateway, type Gateway } from './test-support.js';

const GIF_HEX =
  '47494638396101000100800000000000ffffff21f90401000000002c000000000100010000020144003b';

describe('tracking pixel', () => {
  let gateway: Gateway;

  before(async () => {
    gateway = await startGateway();
  });

  after(async () => {
    await gateway.close();
  });

  it('answers a never-cached 1×1 transparent GIF once the event is stored', async () => {
    const response = await gateway.app.inject({
      method: 'GET',
      url: `/v1/pixel/track?key=${PIPELINE_KEY}&event=Email%20Opened&userId=u-1`,
    });

    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'image/gif');
    assert.equal(response.headers['cache-control'], 'no-cache, no-store, must-revalidate');
    assert.equal(response.rawPayload.toString('hex'), GIF_HEX);
    assert.deepEqual(response.rawPayload, TRANSPARENT_GIF);
    assert.match(String(response.headers['set-cookie']), /^_dfid=/);
  });

  it('stores the event described by the query, JSON properties and p.<name> fields merged', async () => {
    const before = (await gateway.storedEvents()).length;
    const properties = encodeURIComponent(JSON.stringify({ campaign: 'spring', opens: 1 }));

    const response = await gateway.app.inject({
      method: 'GET',
      url:
        `/v1/pixel/t.gif?writeKey=${PIPELINE_KEY}&event=Email%20Opened&anonymousId=a-9` +
        `&properties=${properties}&p.variant=B&p.opens=2&messageId=px-1`,
      headers: { referer: 'https://mail.example/inbox', 'user-agent': 'MailClient/1.0' },
    });

    assert.equal(response.statusCode, 200);
    const [event] = (await gateway.storedEvents()).slice(before);
    assert.deepEqual(event, {
      type: 'track',
      event: 'Email Opened',
      properties: { campaign: 'spring', opens: '2', variant: 'B' },
      traits: {},
      anonymousId: 'a-9',
      context: {
        page: { url: 'https://mail.example/inbox' },
        userAgent: 'MailClient/1.0',
        ip: '127.0.0.1',
      },
      timestamp: new Date(NOW_MS).toISOString(),
      messageId: 'px-1',
      receivedAt: new Date(NOW_MS).toISOString(),
    });
  });

  it('stores an identify pixel with t.<name> traits', async () => {
    const before = (await gateway.storedEvents()).length;

    await gateway.app.inject({
      method: 'GET',
      url: `/v1/pixel/identify?key=${PIPELINE_KEY}&userId=42&t.email=ada%40example.com`,
    });

    const [event] = (await gateway.storedEvents()).slice(before);
    assert.equal(event?.type, 'identify');
    assert.equal(event?.userId, '42');
    assert.deepEqual(event?.traits, { email: 'ada@example.com' });
  });

  it('answers a JSON 401 rather than the GIF when the key is missing', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/v1/pixel/page' });

    assert.equal(response.statusCode, 401);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    assert.equal((jsonOf(response).error as { code: string }).code, 'MISSING_PIPELINE_KEY');
  });

  it('answers a JSON 400 naming the field for an invalid pixel event', async () => {
    const response = await gateway.app.inject({
      method: 'GET',
      url: `/v1/pixel/track?key=${PIPELINE_KEY}&userId=u-1&properties=%5B1%5D`,
    });

    assert.equal(response.statusCode, 400);
    assert.equal(
      (jsonOf(response).error as { message: string }).message,
      '"properties" must be a URL-encoded JSON object',
    );
  });

  it('records nothing for a HEAD request', async () => {
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'HEAD',
      url: `/v1/pixel/track?key=${PIPELINE_KEY}&event=Probe&userId=u-1`,
    });

    assert.equal(response.statusCode, 404);
    assert.equal((await gateway.storedEvents()).length, before);
  });
});
