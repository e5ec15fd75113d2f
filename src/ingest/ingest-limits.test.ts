import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  bearerJson,
  jsonOf,
  PIPELINE_KEY,
  startGateway,
  TEST_PIPELINE,
  type Gateway,
} from './test-support.js';

const trackItem = (index: number) => ({ type: 'track', event: `E${index}`, anonymousId: 'anon' });

function errorOf(response: { body: string }): { code: string; message: string } {
  return jsonOf(response).error as { code: string; message: string };
}

describe('ingest limits and refusals', () => {
  let gateway: Gateway;

  before(async () => {
    gateway = await startGateway({
      pipelines: [{ ...TEST_PIPELINE, id: 'pl_slow', key: 'dk_slow', rateLimitPerSecond: 2 }],
    });
  });

  after(async () => {
    await gateway.close();
  });

  it('answers 413 PAYLOAD_TOO_LARGE in the error shape for a body over 5 MB', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson(),
      payload: JSON.stringify({ batch: [{ type: 'track', event: 'x'.repeat(5 * 1024 * 1024) }] }),
    });

    assert.equal(response.statusCode, 413);
    assert.deepEqual(errorOf(response), {
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is larger than 5 MB; send the events in smaller batches',
    });
  });

  it('answers 413 for a gzipped body that inflates beyond 5 MB', async () => {
    const bomb = gzipSync(
      JSON.stringify({ batch: [{ type: 'track', event: ' '.repeat(6 * 1024 * 1024) }] }),
    );

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson({ 'content-encoding': 'gzip' }),
      payload: bomb,
    });

    assert.ok(bomb.length < 100 * 1024);
    assert.equal(response.statusCode, 413);
    assert.equal(errorOf(response).code, 'PAYLOAD_TOO_LARGE');
  });

  it('answers 400 INVALID_JSON for a malformed body', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: bearerJson(),
      payload: '{"event": "Broken",',
    });

    assert.equal(response.statusCode, 400);
    assert.equal(errorOf(response).code, 'INVALID_JSON');
  });

  it('answers 400 BATCH_TOO_LARGE for 501 events and stores none of them', async () => {
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson(),
      payload: { batch: Array.from({ length: 501 }, (_, index) => trackItem(index)) },
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorOf(response), {
      code: 'BATCH_TOO_LARGE',
      message: 'The batch has 501 events; the limit is 500 per request, so split it',
    });
    assert.equal((await gateway.storedEvents()).length, before);
  });

  it('answers 400 BATCH_TOO_LARGE for the whole batch when one event is over 64 KB', async () => {
    const before = (await gateway.storedEvents()).length;
    const large = { ...trackItem(1), properties: { blob: 'x'.repeat(65 * 1024) } };

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson(),
      payload: { batch: [trackItem(0), large] },
    });

    assert.equal(response.statusCode, 400);
    assert.equal(errorOf(response).code, 'BATCH_TOO_LARGE');
    assert.match(
      errorOf(response).message,
      /^Event 1 of the batch is 66,6\d\d bytes; the limit is 65,536 bytes per event$/,
    );
    assert.equal((await gateway.storedEvents()).length, before);
  });

  it('answers 400 INVALID_EVENT naming the missing field', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: bearerJson(),
      payload: { anonymousId: 'anon', event: '  ' },
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorOf(response), {
      code: 'INVALID_EVENT',
      message: 'track event requires a non-empty "event" name',
    });
  });

  it('answers 400 INVALID_EVENT naming a field of the wrong type', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: bearerJson(),
      payload: { anonymousId: 'anon', event: 'Ok', properties: ['not', 'an', 'object'] },
    });

    assert.equal(response.statusCode, 400);
    assert.equal(errorOf(response).message, '"properties" must be an object');
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for a body that is not sent as JSON', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: { authorization: `Bearer ${PIPELINE_KEY}`, 'content-type': 'application/xml' },
      payload: '<event/>',
    });

    assert.equal(response.statusCode, 415);
    assert.equal(errorOf(response).code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 429 RATE_LIMITED with Retry-After once the pipeline spends its rate', async () => {
    const send = () =>
      gateway.app.inject({
        method: 'POST',
        url: '/v1/t',
        headers: bearerJson({ authorization: 'Bearer dk_slow' }),
        payload: trackItem(0),
      });

    const statuses = [(await send()).statusCode, (await send()).statusCode];
    const limited = await send();
    gateway.clock.ms += 1_000;
    const afterRefill = await send();

    assert.deepEqual(statuses, [200, 200]);
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['retry-after'], '1');
    assert.equal(errorOf(limited).code, 'RATE_LIMITED');
    assert.equal(afterRefill.statusCode, 200);
  });

  it('stores the valid events of a partly invalid batch and lists the others by index', async () => {
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson(),
      payload: {
        batch: [
          trackItem(0),
          { type: 'track', anonymousId: 'anon' },
          trackItem(2),
          { type: 'group', anonymousId: 'anon', traits: 'vip' },
          'not an event',
        ],
      },
    });

    assert.equal(response.statusCode, 200);
    assert.deepEqual(jsonOf(response), {
      success: true,
      accepted: 2,
      errors: [
        { index: 1, message: 'track event requires a non-empty "event" name' },
        { index: 3, message: '"traits" must be an object' },
        { index: 4, message: 'an event must be a JSON object' },
      ],
    });
    const stored = (await gateway.storedEvents()).slice(before);
    assert.deepEqual(
      stored.map((event) => event.event),
      ['E0', 'E2'],
    );
  });

  it('answers 400 with the error list when no event of the batch is valid', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson(),
      payload: { batch: [{ anonymousId: 'anon' }, { type: 'login', anonymousId: 'anon' }] },
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(jsonOf(response), {
      error: {
        code: 'INVALID_EVENT',
        message:
          'No event of the batch was accepted: event 0: "type" is required: one of track, ' +
          'page, identify, group, screen, alias (and 1 more, listed in "errors")',
      },
      errors: [
        {
          index: 0,
          message: '"type" is required: one of track, page, identify, group, screen, alias',
        },
        {
          index: 1,
          message: '"type" must be one of track, page, identify, group, screen, alias',
        },
      ],
    });
  });

  it('counts refusals by code', async () => {
    const metrics = await gateway.metrics.registry.metrics();

    assert.match(
      metrics,
      /signal_events_rejected_total\{pipeline="pl_slow",code="RATE_LIMITED"\} 1/,
    );
    assert.match(
      metrics,
      /signal_events_rejected_total\{pipeline="unknown",code="PAYLOAD_TOO_LARGE"\} 1/,
    );
  });
});
