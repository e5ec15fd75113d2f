import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readVisitorId } from './visitor-cookie.js';
import { bearerJson, SHOP_ORIGIN, startGateway, type Gateway } from './test-support.js';

const VISITOR = '6b0e3c1a-2d4f-4a8b-9c7e-5f1d2a3b4c6d';
const UUID_V4 = String.raw`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`;
const COOKIE = new RegExp(
  `^_dfid=(${UUID_V4}); Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax(; Secure)?$`,
);

function cookieOf(headers: Record<string, unknown>): string {
  const value = headers['set-cookie'];
  assert.equal(typeof value, 'string', 'one Set-Cookie header');
  return value as string;
}

describe('visitor cookie _dfid', () => {
  let gateway: Gateway;
  let proxied: Gateway;

  before(async () => {
    gateway = await startGateway();
    proxied = await startGateway({ trustProxy: true });
  });

  after(async () => {
    await gateway.close();
    await proxied.close();
  });

  it('is set as an HttpOnly, Lax, 400-day UUID v4 without Secure over http to localhost', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/p',
      headers: bearerJson({ host: 'localhost:8080' }),
      payload: {},
    });

    assert.equal(response.statusCode, 200);
    const match = COOKIE.exec(cookieOf(response.headers));
    assert.ok(match, 'cookie attributes');
    assert.equal(match[2], undefined, 'no Secure on loopback http');
  });

  it('fills anonymousId of a first visit with the new cookie value', async () => {
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/p',
      headers: bearerJson(),
      payload: { name: 'Landing' },
    });

    const visitorId = COOKIE.exec(cookieOf(response.headers))?.[1];
    const [event] = (await gateway.storedEvents()).slice(before);
    assert.equal(event?.anonymousId, visitorId);
  });

  it('is Secure for a request to a host that is not loopback, even over http', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/p',
      headers: bearerJson({ host: 'collect.shop.example' }),
      payload: {},
    });

    assert.match(cookieOf(response.headers), /; Secure$/);
  });

  it('is Secure when a trusted proxy says the request came over https', async () => {
    const response = await proxied.app.inject({
      method: 'POST',
      url: '/v1/p',
      headers: bearerJson({ host: 'localhost', 'x-forwarded-proto': 'https' }),
      payload: {},
    });

    assert.match(cookieOf(response.headers), /; Secure$/);
  });

  it('ignores X-Forwarded-Proto when the server does not trust a proxy', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/p',
      headers: bearerJson({ host: 'localhost', 'x-forwarded-proto': 'https' }),
      payload: {},
    });

    assert.doesNotMatch(cookieOf(response.headers), /Secure/);
  });

  it('supplies anonymousId from an existing cookie, even when the event has a userId', async () => {
    const before = (await gateway.storedEvents()).length;

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson({ cookie: `theme=dark; _dfid=${VISITOR}; other=1` }),
      payload: {
        batch: [
          { type: 'page' },
          { type: 'identify', userId: 'user-42' },
          { type: 'track', event: 'Kept', anonymousId: 'given-anon' },
        ],
      },
    });

    assert.equal(response.statusCode, 200);
    const events = (await gateway.storedEvents()).slice(before);
    assert.deepEqual(
      events.map((event) => [event.userId, event.anonymousId]),
      [
        [undefined, VISITOR],
        ['user-42', VISITOR],
        [undefined, 'given-anon'],
      ],
    );
  });

  it('is refreshed with the same value so it keeps its 400 days', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/p',
      headers: bearerJson({ cookie: `_dfid=${VISITOR}` }),
      payload: {},
    });

    assert.equal(COOKIE.exec(cookieOf(response.headers))?.[1], VISITOR);
  });

  it('links a new visitor to the user on a web page, but not on a server batch of users', async () => {
    const before = (await gateway.storedEvents()).length;
    const users = {
      batch: [
        { type: 'identify', userId: 'a' },
        { type: 'identify', userId: 'b' },
      ],
    };

    const fromPage = await gateway.app.inject({
      method: 'POST',
      url: '/v1/i',
      headers: bearerJson({ origin: SHOP_ORIGIN }),
      payload: { userId: 'page-user' },
    });
    await gateway.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: bearerJson(),
      payload: users,
    });

    const [identified, a, b] = (await gateway.storedEvents()).slice(before);
    assert.equal(identified?.anonymousId, COOKIE.exec(cookieOf(fromPage.headers))?.[1]);
    assert.equal(a?.anonymousId, undefined);
    assert.equal(b?.anonymousId, undefined);
  });
});

describe('readVisitorId', () => {
  it('ignores a _dfid value that is not a UUID v4', () => {
    assert.equal(readVisitorId('_dfid=not-a-uuid'), undefined);
    assert.equal(readVisitorId('x_dfid=6b0e3c1a-2d4f-4a8b-9c7e-5f1d2a3b4c6d'), undefined);
  });
});
