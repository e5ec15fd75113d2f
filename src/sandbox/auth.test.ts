import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSandbox, type Sandbox } from './index.js';
import { DEMO_PROFILE_PATH, bearer, call, fetchToken } from './test-support.js';

describe('sandbox authentication', () => {
  let sandbox: Sandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('exchanges the raw API key for a bearer token with expiresIn as a string', async () => {
    sandbox = await startSandbox({ port: 0 });

    const reply = await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'sandbox-key', accept: 'application/json' },
    });

    assert.equal(reply.status, 200);
    const body = reply.body as Record<string, unknown>;
    assert.equal(typeof body['accessToken'], 'string');
    assert.ok((body['accessToken'] as string).length >= 32);
    assert.equal(body['tokenType'], 'bearer');
    assert.equal(body['expiresIn'], '900s');
    assert.equal(typeof body['scope'], 'string');
    assert.equal(typeof body['jti'], 'string');
    assert.ok(!JSON.stringify(body).includes('sandbox-key'));
    assert.equal(sandbox.stats().tokenExchanges, 1);
  });

  it('states the configured lifetime in expiresIn', async () => {
    sandbox = await startSandbox({ port: 0, tokenLifetimeSeconds: 60 });

    const reply = await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'sandbox-key' },
    });

    assert.equal((reply.body as Record<string, unknown>)['expiresIn'], '60s');
  });

  it('answers 401 for an unknown, missing or Bearer-prefixed key', async () => {
    sandbox = await startSandbox({ port: 0 });

    const unknown = await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'not-a-key' },
    });
    const missing = await call(sandbox.url, 'GET', '/auth/token');
    const prefixed = await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'Bearer sandbox-key' },
    });

    assert.equal(unknown.status, 401);
    assert.equal(missing.status, 401);
    assert.equal(prefixed.status, 401);
    assert.deepEqual(Object.keys(unknown.body as object).sort(), ['message', 'source', 'status']);
    assert.ok(!JSON.stringify(prefixed.body).includes('sandbox-key'));
  });

  it('answers 406 when the client does not accept JSON', async () => {
    sandbox = await startSandbox({ port: 0 });

    const xml = await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'sandbox-key', accept: 'application/xml' },
    });
    const any = await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'sandbox-key', accept: '*/*' },
    });

    assert.equal(xml.status, 406);
    assert.equal(any.status, 200);
  });

  it('accepts a token on data calls and refuses a raw key there', async () => {
    sandbox = await startSandbox({ port: 0 });
    const token = await fetchToken(sandbox);

    const withToken = await call(sandbox.url, 'GET', '/entities/v5/entities', {
      headers: bearer(token),
    });
    const withKey = await call(sandbox.url, 'GET', '/entities/v5/entities', {
      headers: { authorization: 'sandbox-key' },
    });

    assert.equal(withToken.status, 200);
    assert.deepEqual(withToken.body, { entities: [{ id: 1, name: 'demo', comment: '' }] });
    assert.equal(withKey.status, 401);
  });

  it('answers 401 once the token has expired', async () => {
    sandbox = await startSandbox({ port: 0, tokenLifetimeSeconds: 1 });
    const token = await fetchToken(sandbox);

    await sleep(1100);
    const reply = await call(sandbox.url, 'POST', `${DEMO_PROFILE_PATH}?allowUpdate=true`, {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });

    assert.equal(reply.status, 401);
    assert.match((reply.body as { message: string }).message, /expired/);
    assert.equal(sandbox.profiles('demo', 'Profiles').length, 0);
  });

  it('answers 401 for every token issued before a revocation, and issues new ones after', async () => {
    sandbox = await startSandbox({ port: 0 });
    const first = await fetchToken(sandbox);
    const second = await fetchToken(sandbox);

    sandbox.revokeTokens();
    const replies = await Promise.all(
      [first, second].map((t) =>
        call(sandbox!.url, 'GET', '/entities/v5/entities', { headers: bearer(t) }),
      ),
    );
    const fresh = await fetchToken(sandbox);
    const afterwards = await call(sandbox.url, 'GET', '/entities/v5/entities', {
      headers: bearer(fresh),
    });

    assert.deepEqual(
      replies.map((r) => r.status),
      [401, 401],
    );
    assert.equal(afterwards.status, 200);
  });

  it('revokes tokens over the control endpoint too', async () => {
    sandbox = await startSandbox({ port: 0 });
    const token = await fetchToken(sandbox);

    const revoke = await call(sandbox.url, 'POST', '/__sandbox/tokens/revoke');
    const reply = await call(sandbox.url, 'GET', '/entities/v5/entities', {
      headers: bearer(token),
    });

    assert.equal(revoke.status, 204);
    assert.equal(reply.status, 401);
  });
});
