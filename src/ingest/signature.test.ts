import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signBody } from './signature.js';
import {
  HMAC_SECRET,
  jsonOf,
  NOW_MS,
  PIPELINE_KEY,
  startGateway,
  TEST_PIPELINE,
  type Gateway,
} from './test-support.js';

const EVENT = { type: 'identify', userId: 'srv-1', traits: { email: 'ada@example.com' } };

function signedHeaders(body: string, timestamp = String(NOW_MS), secret = HMAC_SECRET) {
  return {
    authorization: `Bearer ${PIPELINE_KEY}`,
    'content-type': 'application/json',
    'x-timestamp': timestamp,
    'x-signature': signBody(secret, timestamp, body),
  };
}

function errorOf(response: { body: string }): { code: string; message: string } {
  return jsonOf(response).error as { code: string; message: string };
}

describe('signed server events on /v1/events', () => {
  let gateway: Gateway;

  before(async () => {
    gateway = await startGateway({
      pipelines: [{ ...TEST_PIPELINE, id: 'pl_nosecret', key: 'dk_nosecret', hmacSecret: '' }],
    });
  });

  after(async () => {
    await gateway.close();
  });

  it('stores one signed event without touching cookies, user agent or IP', async () => {
    const body = JSON.stringify(EVENT);
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...signedHeaders(body), 'user-agent': 'node' },
      payload: body,
    });

    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['set-cookie'], undefined);
    const [event] = (await gateway.storedEvents()).slice(before);
    assert.equal(event?.type, 'identify');
    assert.equal(event?.userId, 'srv-1');
    assert.equal(event?.anonymousId, undefined);
    assert.deepEqual(event?.context, {});
  });

  it('stores a signed batch', async () => {
    const body = JSON.stringify({ batch: [EVENT, { ...EVENT, userId: 'srv-2' }] });
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: signedHeaders(body),
      payload: body,
    });

    assert.equal(response.statusCode, 200);
    const stored = (await gateway.storedEvents()).slice(before);
    assert.deepEqual(
      stored.map((event) => event.userId),
      ['srv-1', 'srv-2'],
    );
  });

  it('refuses a signature made with another secret with 401 INVALID_SIGNATURE', async () => {
    const body = JSON.stringify(EVENT);

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: signedHeaders(body, String(NOW_MS), 'hs_wrong_secret'),
      payload: body,
    });

    assert.equal(response.statusCode, 401);
    assert.equal(errorOf(response).code, 'INVALID_SIGNATURE');
  });

  it('refuses a body changed after signing', async () => {
    const body = JSON.stringify(EVENT);

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: signedHeaders(body),
      payload: body.replace('srv-1', 'srv-9'),
    });

    assert.equal(response.statusCode, 401);
    assert.equal(errorOf(response).code, 'INVALID_SIGNATURE');
  });

  it('refuses a timestamp more than 5 minutes away from the server clock', async () => {
    const body = JSON.stringify(EVENT);
    const stale = String(NOW_MS - 5 * 60_000 - 1);

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: signedHeaders(body, stale),
      payload: body,
    });

    assert.equal(response.statusCode, 401);
    assert.deepEqual(errorOf(response), {
      code: 'INVALID_SIGNATURE',
      message:
        "X-Timestamp is more than 5 minutes away from the server clock; check the sender's clock",
    });
  });

  it('accepts a timestamp just within 5 minutes', async () => {
    const body = JSON.stringify(EVENT);

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: signedHeaders(body, String(NOW_MS + 5 * 60_000)),
      payload: body,
    });

    assert.equal(response.statusCode, 200);
  });

  it('refuses a request without signature headers', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${PIPELINE_KEY}`, 'content-type': 'application/json' },
      payload: EVENT,
    });

    assert.equal(response.statusCode, 401);
    assert.equal(
      errorOf(response).message,
      'Signed requests need the X-Signature and X-Timestamp headers',
    );
  });

  it('answers 403 HMAC_NOT_CONFIGURED for a pipeline without a secret', async () => {
    const body = JSON.stringify(EVENT);

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...signedHeaders(body), authorization: 'Bearer dk_nosecret' },
      payload: body,
    });

    assert.equal(response.statusCode, 403);
    assert.equal(errorOf(response).code, 'HMAC_NOT_CONFIGURED');
  });

  it('still requires the pipeline key', async () => {
    const body = JSON.stringify(EVENT);
    const { authorization: _omitted, ...headers } = signedHeaders(body);

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers,
      payload: body,
    });

    assert.equal(response.statusCode, 401);
    assert.equal(errorOf(response).code, 'MISSING_PIPELINE_KEY');
  });
});
