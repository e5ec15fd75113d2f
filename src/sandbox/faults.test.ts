import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { request } from 'undici';
import { FaultSettingsError, startSandbox, type Sandbox } from './index.js';
import { DEMO_PROFILE_PATH, bearer, call, fetchToken } from './test-support.js';

const WRITE = `${DEMO_PROFILE_PATH}?allowUpdate=true`;

describe('sandbox fault injection', () => {
  let sandbox: Sandbox;
  let token: string;

  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0 });
    token = await fetchToken(sandbox);
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('fails every matching request at rate 1, before authentication or any write', async () => {
    sandbox.setFaults({ errors: [{ status: 503, rate: 1 }] });

    const write = await call(sandbox.url, 'POST', WRITE, {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });
    const noToken = await call(sandbox.url, 'GET', '/entities/v5/entities');
    const exchange = await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'sandbox-key' },
    });

    assert.deepEqual([write.status, noToken.status, exchange.status], [503, 503, 503]);
    assert.deepEqual(sandbox.profiles('demo', 'Profiles'), []);
  });

  it('fails only the next N requests of a count rule, then the rule is spent', async () => {
    sandbox.setFaults({ errors: [{ status: 500, count: 2 }] });

    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const reply = await call(sandbox.url, 'POST', WRITE, {
        headers: bearer(token),
        json: { email: 'jane@example.com' },
      });
      statuses.push(reply.status);
    }

    assert.deepEqual(statuses, [500, 500, 201]);
  });

  it('sends Retry-After when the rule sets it', async () => {
    sandbox.setFaults({ errors: [{ status: 429, count: 1, retryAfterSeconds: 7 }] });

    const reply = await call(sandbox.url, 'GET', '/entities/v5/entities', {
      headers: bearer(token),
    });

    assert.equal(reply.status, 429);
    assert.equal(reply.headers['retry-after'], '7');
  });

  it('limits a rule to token or profile calls when asked', async () => {
    sandbox.setFaults({ errors: [{ status: 502, paths: 'profile' }] });

    const exchange = await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'sandbox-key' },
    });
    const write = await call(sandbox.url, 'POST', WRITE, {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });

    assert.equal(exchange.status, 200);
    assert.equal(write.status, 502);
  });

  it('adds latency to every admitted request', async () => {
    sandbox.setFaults({ latencyMs: 150 });

    const reply = await call(sandbox.url, 'GET', '/entities/v5/entities', {
      headers: bearer(token),
    });

    assert.equal(reply.status, 200);
    assert.ok(reply.elapsedMs >= 140, `took ${reply.elapsedMs} ms`);
  });

  it('holds the response of a stall long enough for a client timeout, after the write', async () => {
    sandbox.setFaults({ stallMs: 2000 });

    const attempt = request(`${sandbox.url}${WRITE}`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'stalled@example.com' }),
      headersTimeout: 150,
    });

    await assert.rejects(attempt, { code: 'UND_ERR_HEADERS_TIMEOUT' });
    assert.ok(sandbox.profile('demo', 'Profiles', 'stalled@example.com'));
  });

  it('replaces the faults on each call, and clears them on reset', async () => {
    sandbox.setFaults({ errors: [{ status: 503 }] });
    sandbox.setFaults({ latencyMs: 0 });
    const afterReplace = await call(sandbox.url, 'GET', '/entities/v5/entities', {
      headers: bearer(token),
    });
    sandbox.setFaults({ errors: [{ status: 503 }] });
    sandbox.reset();

    const afterReset = await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'sandbox-key' },
    });

    assert.equal(afterReplace.status, 200);
    assert.equal(afterReset.status, 200);
  });

  it('sets faults over HTTP and refuses invalid settings with a clear message', async () => {
    const valid = await call(sandbox.url, 'PUT', '/__sandbox/faults', {
      json: { errors: [{ status: 500, count: 1 }] },
    });
    const invalid = await call(sandbox.url, 'PUT', '/__sandbox/faults', {
      json: { errors: [{ status: 200 }] },
    });
    const failed = await call(sandbox.url, 'GET', '/entities/v5/entities', {
      headers: bearer(token),
    });

    assert.equal(valid.status, 200);
    assert.equal(invalid.status, 400);
    assert.match((invalid.body as { message: string }).message, /errors\[0\]\.status/);
    assert.equal(failed.status, 500);
    assert.throws(() => sandbox.setFaults({ latencyMs: -1 }), FaultSettingsError);
  });
});
