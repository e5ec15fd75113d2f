import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { StoreUnavailableError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { signBody } from './signature.js';
import {
  basicAuth,
  bearerJson,
  HMAC_SECRET,
  jsonOf,
  NOW_MS,
  PIPELINE_KEY,
  startGateway,
  type Gateway,
} from './test-support.js';

/** A marker that only ever travels in request bodies. */
const BODY_MARKER = 'body-marker-7c1e4a';

/** The real store, except that `fault.method` fails while `fault.on` is true. */
function withFault(store: Store, fault: Fault): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === fault.method && fault.on) {
        return () =>
          Promise.reject(new StoreUnavailableError('STORE_UNAVAILABLE', 'disk I/O error'));
      }

      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

interface Fault {
  on: boolean;
  method: 'appendEvents' | 'findPipelineByKey';
}

describe('durability', () => {
  const fault: Fault = { on: false, method: 'appendEvents' };
  let gateway: Gateway;

  before(async () => {
    gateway = await startGateway({ wrapStore: (store) => withFault(store, fault) });
  });

  after(async () => {
    await gateway.close();
  });

  it('answers 503 STORE_UNAVAILABLE with Retry-After: 1 when the store cannot write', async () => {
    fault.on = true;
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson(),
      payload: { batch: [{ type: 'track', event: 'Lost?', anonymousId: 'a' }] },
    });
    fault.on = false;

    assert.equal(response.statusCode, 503);
    assert.equal(response.headers['retry-after'], '1');
    assert.equal((jsonOf(response).error as { code: string }).code, 'STORE_UNAVAILABLE');
    assert.equal((await gateway.storedEvents()).length, before);
  });

  it('acknowledges nothing while the store fails, on every route', async () => {
    fault.on = true;

    const responses = await Promise.all([
      gateway.app.inject({
        method: 'POST',
        url: '/v1/t',
        headers: bearerJson(),
        payload: { event: 'X', userId: 'u' },
      }),
      gateway.app.inject({
        method: 'POST',
        url: '/v1/i',
        headers: bearerJson(),
        payload: { userId: 'u' },
      }),
      gateway.app.inject({ method: 'GET', url: `/v1/pixel/page?key=${PIPELINE_KEY}` }),
    ]);
    fault.on = false;

    assert.deepEqual(
      responses.map((response) => response.statusCode),
      [503, 503, 503],
    );
    assert.equal(responses[2]?.headers['content-type'], 'application/json; charset=utf-8');
  });

  it('answers 503 when the pipeline of a key cannot be looked up', async () => {
    Object.assign(fault, { on: true, method: 'findPipelineByKey' });

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: bearerJson({ authorization: 'Bearer dk_not_cached_yet' }),
      payload: { event: 'X', userId: 'u' },
    });
    Object.assign(fault, { on: false, method: 'appendEvents' });

    assert.equal(response.statusCode, 503);
    assert.equal(response.headers['retry-after'], '1');
  });

  it('logs the store failure with the pipeline, without the body', async () => {
    const line = gateway.logLines.find((text) => text.includes('events could not be stored'));

    assert.ok(line, 'an error line for the failed append');
    const entry = JSON.parse(line) as {
      level: number;
      pipelineId: string;
      err: { message: string };
    };
    assert.equal(entry.level, 50);
    assert.equal(entry.pipelineId, 'pl_web');
    assert.equal(entry.err.message, 'disk I/O error');
  });

  it('writes no key, secret or body in any answer or log line, whatever goes wrong', async () => {
    const body = JSON.stringify({ event: BODY_MARKER, userId: 'u', writeKey: PIPELINE_KEY });
    const signed = JSON.stringify({ type: 'track', event: BODY_MARKER, userId: 'u' });
    const wrongKey = `${PIPELINE_KEY}x`;
    const answers: string[] = [];

    const send = async (request: InjectOptions) => {
      const response = await gateway.app.inject(request);
      answers.push(JSON.stringify(response.headers), response.body);
    };
    await send({
      method: 'POST',
      url: '/v1/t',
      headers: { 'content-type': 'text/plain' },
      payload: body,
    });
    await send({
      method: 'POST',
      url: '/v1/t',
      headers: { authorization: `Bearer ${wrongKey}`, 'content-type': 'application/json' },
      payload: body,
    });
    await send({
      method: 'POST',
      url: '/v1/t',
      headers: { authorization: basicAuth(PIPELINE_KEY), 'content-type': 'application/json' },
      payload: `${body}}`,
    });
    await send({
      method: 'POST',
      url: '/v1/events',
      headers: {
        ...bearerJson(),
        'x-timestamp': String(NOW_MS),
        'x-signature': signBody('hs_other', String(NOW_MS), signed),
      },
      payload: signed,
    });
    await send({
      method: 'POST',
      url: '/v1/events',
      headers: {
        ...bearerJson(),
        'x-timestamp': String(NOW_MS),
        'x-signature': signBody(HMAC_SECRET, String(NOW_MS), signed),
      },
      payload: signed,
    });
    await send({ method: 'GET', url: `/v1/pixel/track?key=${wrongKey}&event=${BODY_MARKER}` });
    fault.on = true;
    await send({
      method: 'POST',
      url: '/v1/t',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    await send({
      method: 'GET',
      url: `/v1/pixel/track?key=${PIPELINE_KEY}&event=${BODY_MARKER}&userId=u`,
    });
    fault.on = false;

    const written = [...answers, ...gateway.logLines].join('\n');
    assert.ok(gateway.logLines.length > 0, 'the failures were logged');
    for (const secret of [PIPELINE_KEY, HMAC_SECRET, BODY_MARKER]) {
      assert.equal(
        written.includes(secret),
        false,
        `"${secret}" appears in an answer or a log line`,
      );
    }
  });
});
