import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keyFromAuthorization } from './pipeline-key.js';
import {
  basicAuth,
  jsonOf,
  PIPELINE_KEY,
  startGateway,
  TEST_PIPELINE,
  type Gateway,
} from './test-support.js';

const TRACK = { event: 'Signed Up', anonymousId: 'anon-key' };

describe('pipeline key', () => {
  let gateway: Gateway;

  before(async () => {
    gateway = await startGateway({
      pipelines: [{ ...TEST_PIPELINE, id: 'pl_off', key: 'dk_disabled_pipeline', enabled: false }],
    });
  });

  after(async () => {
    await gateway.close();
  });

  it('is accepted as a bearer token', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: { authorization: `Bearer ${PIPELINE_KEY}` },
      payload: TRACK,
    });

    assert.equal(response.statusCode, 200);
  });

  it('is accepted as the user name of HTTP Basic auth', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: { authorization: basicAuth(PIPELINE_KEY) },
      payload: TRACK,
    });

    assert.equal(response.statusCode, 200);
  });

  it('is accepted as writeKey in the body, which is not stored with the event', async () => {
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      payload: { ...TRACK, writeKey: PIPELINE_KEY },
    });

    assert.equal(response.statusCode, 200);
    const stored = (await gateway.storedEvents()).slice(before);
    assert.equal(stored.length, 1);
    assert.doesNotMatch(JSON.stringify(stored), new RegExp(PIPELINE_KEY));
  });

  it('answers 401 MISSING_PIPELINE_KEY when no key is sent', async () => {
    const response = await gateway.app.inject({ method: 'POST', url: '/v1/t', payload: TRACK });

    assert.equal(response.statusCode, 401);
    assert.equal((jsonOf(response).error as { code: string }).code, 'MISSING_PIPELINE_KEY');
  });

  it('answers 401 INVALID_PIPELINE_KEY for an unknown key without repeating it', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: { authorization: 'Bearer dk_nobody_has_this_key' },
      payload: TRACK,
    });

    assert.equal(response.statusCode, 401);
    assert.deepEqual(jsonOf(response), {
      error: {
        code: 'INVALID_PIPELINE_KEY',
        message: 'The pipeline key is unknown, revoked or disabled',
      },
    });
  });

  it('answers 401 INVALID_PIPELINE_KEY for the key of a disabled pipeline', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: { authorization: 'Bearer dk_disabled_pipeline' },
      payload: TRACK,
    });

    assert.equal(response.statusCode, 401);
    assert.equal((jsonOf(response).error as { code: string }).code, 'INVALID_PIPELINE_KEY');
  });

  it('stops accepting a disabled pipeline once its cached lookup expires (5 s)', async () => {
    await gateway.store.upsertPipeline({ ...TEST_PIPELINE, id: 'pl_soon', key: 'dk_soon_off' });
    const send = () =>
      gateway.app.inject({
        method: 'POST',
        url: '/v1/t',
        headers: { authorization: 'Bearer dk_soon_off' },
        payload: TRACK,
      });
    assert.equal((await send()).statusCode, 200);

    await gateway.store.upsertPipeline({
      ...TEST_PIPELINE,
      id: 'pl_soon',
      key: 'dk_soon_off',
      enabled: false,
    });
    const withinCache = await send();
    gateway.clock.ms += 5_001;
    const afterExpiry = await send();

    assert.equal(withinCache.statusCode, 200);
    assert.equal(afterExpiry.statusCode, 401);
  });
});

describe('keyFromAuthorization', () => {
  it('reads the password of Basic auth when the user name is empty', () => {
    const header = `Basic ${Buffer.from(':dk_in_password').toString('base64')}`;

    assert.equal(keyFromAuthorization(header), 'dk_in_password');
  });

  it('ignores schemes it does not know', () => {
    assert.equal(keyFromAuthorization('Digest username="x"'), undefined);
  });
});
