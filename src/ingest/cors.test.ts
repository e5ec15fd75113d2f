import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compileOriginPolicy, isOriginAllowed } from './cors.js';
import {
  bearerJson,
  jsonOf,
  SHOP_ORIGIN,
  startGateway,
  TEST_PIPELINE,
  type Gateway,
} from './test-support.js';

const BLOG_ORIGIN = 'https://blog.example';
const EVIL_ORIGIN = 'https://evil.example';

describe('CORS', () => {
  let gateway: Gateway;

  before(async () => {
    gateway = await startGateway({
      pipelines: [
        { ...TEST_PIPELINE, id: 'pl_blog', key: 'dk_blog', allowedOrigins: [BLOG_ORIGIN] },
        { ...TEST_PIPELINE, id: 'pl_any', key: 'dk_any', allowedOrigins: ['*'] },
      ],
    });
  });

  after(async () => {
    await gateway.close();
  });

  const track = (headers: Record<string, string>) =>
    gateway.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers,
      payload: { event: 'Viewed', anonymousId: 'anon-cors' },
    });

  it('echoes an allowed origin with credentials and Vary: Origin', async () => {
    const response = await track(bearerJson({ origin: SHOP_ORIGIN }));

    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['access-control-allow-origin'], SHOP_ORIGIN);
    assert.equal(response.headers['access-control-allow-credentials'], 'true');
    assert.equal(response.headers.vary, 'Origin');
  });

  it('refuses an origin outside the pipeline list with 403 ORIGIN_NOT_ALLOWED', async () => {
    const before = (await gateway.storedEvents()).length;

    const response = await track(bearerJson({ origin: BLOG_ORIGIN }));

    assert.equal(response.statusCode, 403);
    assert.equal((jsonOf(response).error as { code: string }).code, 'ORIGIN_NOT_ALLOWED');
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.equal((await gateway.storedEvents()).length, before);
  });

  it('accepts requests without an Origin header, as servers send them', async () => {
    const response = await track(bearerJson());

    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });

  it('lets "*" allow any origin, still echoed so credentials work', async () => {
    const response = await track(
      bearerJson({ authorization: 'Bearer dk_any', origin: EVIL_ORIGIN }),
    );

    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['access-control-allow-origin'], EVIL_ORIGIN);
  });

  it('answers a preflight for an origin allowed by any enabled pipeline', async () => {
    const response = await gateway.app.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: {
        origin: BLOG_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });

    assert.equal(response.statusCode, 204);
    assert.equal(response.headers['access-control-allow-origin'], BLOG_ORIGIN);
    assert.equal(response.headers['access-control-allow-credentials'], 'true');
    assert.equal(response.headers['access-control-allow-headers'], 'content-type,authorization');
    assert.match(String(response.headers['access-control-allow-methods']), /POST/);
  });

  it('refuses a preflight for an origin only a disabled pipeline lists', async () => {
    // Its own gateway: the shared one has a pipeline that allows every origin.
    const isolated = await startGateway();
    await isolated.store.upsertPipeline({
      ...TEST_PIPELINE,
      id: 'pl_off',
      key: 'dk_off',
      allowedOrigins: ['https://disabled.example'],
      enabled: false,
    });

    const response = await isolated.app.inject({
      method: 'OPTIONS',
      url: '/v1/t',
      headers: { origin: 'https://disabled.example', 'access-control-request-method': 'POST' },
    });
    await isolated.close();

    assert.equal(response.statusCode, 403);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.equal((jsonOf(response).error as { code: string }).code, 'ORIGIN_NOT_ALLOWED');
  });
});

describe('isOriginAllowed', () => {
  it('matches full origins exactly and bare hosts on any scheme, ignoring case and slashes', () => {
    const policy = compileOriginPolicy(['https://Shop.example/', 'blog.example:8443']);

    assert.equal(isOriginAllowed(policy, 'https://shop.example'), true);
    assert.equal(isOriginAllowed(policy, 'http://shop.example'), false);
    assert.equal(isOriginAllowed(policy, 'http://blog.example:8443'), true);
    assert.equal(isOriginAllowed(policy, 'https://blog.example'), false);
    assert.equal(isOriginAllowed(policy, 'https://sub.shop.example'), false);
  });
});
