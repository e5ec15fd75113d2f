import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { demoConfig, overrideLimits, startSandbox, type Sandbox } from './index.js';
import { SLOWDOWN_STEP_MS } from './limits.js';
import { bearer, call, DEMO_PROFILE_PATH, fetchToken } from './test-support.js';

const ENTITIES = '/entities/v5/entities';

/** Starts a profile write that sends its headers and part of its body, and waits to finish. */
function startUpload(url: string, token: string, body: string) {
  const req = httpRequest(url, {
    method: 'POST',
    headers: {
      ...bearer(token),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    },
  });
  const status = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  req.write(body.slice(0, 5));

  return {
    finish: () => {
      req.end(body.slice(5));
      return status;
    },
  };
}

/** Resolves once `condition` holds; fails after `timeoutMs` rather than hang the test. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('condition not reached in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('sandbox licence limits', () => {
  let sandbox: Sandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('rejects the sixth concurrent request with 429 at once', async () => {
    sandbox = await startSandbox({ port: 0 });
    const token = await fetchToken(sandbox);
    sandbox.setFaults({ latencyMs: 400 });

    const held = Array.from({ length: 5 }, () =>
      call(sandbox!.url, 'GET', ENTITIES, { headers: bearer(token) }),
    );
    await sleep(100);
    const sixth = await call(sandbox.url, 'GET', ENTITIES, { headers: bearer(token) });
    const firstFive = await Promise.all(held);

    assert.equal(sixth.status, 429);
    assert.ok(sixth.elapsedMs < 200, `429 took ${sixth.elapsedMs} ms`);
    assert.deepEqual(
      firstFive.map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
    assert.equal(sandbox.stats().maxConcurrent, 5);
    assert.equal(sandbox.stats().rejectedConcurrency, 1);
  });

  it('counts a request from its arrival, while its body is still uploading', async () => {
    const config = overrideLimits(demoConfig(), { concurrency: 1, calls_per_minute: null });
    sandbox = await startSandbox({ port: 0, config });
    const token = await fetchToken(sandbox);
    const upload = startUpload(
      `${sandbox.url}${DEMO_PROFILE_PATH}?allowUpdate=true`,
      token,
      JSON.stringify({ email: 'slow@example.com' }),
    );

    await until(() => sandbox!.stats().maxConcurrent === 1);
    const second = await call(sandbox.url, 'GET', ENTITIES, { headers: bearer(token) });
    const first = await upload.finish();

    assert.equal(second.status, 429);
    assert.equal(first, 201);
    assert.equal(sandbox.stats().rejectedConcurrency, 1);
    assert.deepEqual(sandbox.profile('demo', 'Profiles', 'slow@example.com'), {
      email: 'slow@example.com',
    });
  });

  it('admits any number of concurrent requests when the limit is lifted', async () => {
    const config = overrideLimits(demoConfig(), { concurrency: null });
    sandbox = await startSandbox({ port: 0, config });
    const token = await fetchToken(sandbox);
    sandbox.setFaults({ latencyMs: 100 });

    const replies = await Promise.all(
      Array.from({ length: 12 }, () =>
        call(sandbox!.url, 'GET', ENTITIES, { headers: bearer(token) }),
      ),
    );

    assert.ok(replies.every((r) => r.status === 200));
    assert.equal(sandbox.stats().maxConcurrent, 12);
  });

  it('slows calls over the per-minute budget more for each excess call, without rejecting them', async () => {
    const config = overrideLimits(demoConfig(), { calls_per_minute: 3, concurrency: null });
    sandbox = await startSandbox({ port: 0, config });
    const token = await fetchToken(sandbox);

    const replies = [];
    for (let i = 0; i < 4; i++) {
      replies.push(await call(sandbox.url, 'GET', ENTITIES, { headers: bearer(token) }));
    }

    // Call 1 was the token exchange; calls 2-3 fit the budget, 4 and 5 are 1 and 2 over it.
    const [second, , fourth, fifth] = replies;
    assert.ok(replies.every((r) => r.status === 200));
    assert.ok(second!.elapsedMs < SLOWDOWN_STEP_MS / 2, `in budget took ${second!.elapsedMs} ms`);
    assert.ok(fourth!.elapsedMs >= SLOWDOWN_STEP_MS - 20, `1 over took ${fourth!.elapsedMs} ms`);
    assert.ok(fifth!.elapsedMs >= 2 * SLOWDOWN_STEP_MS - 20, `2 over took ${fifth!.elapsedMs} ms`);
  });

  it('leaves the control endpoints out of the limits', async () => {
    const config = overrideLimits(demoConfig(), { calls_per_minute: 1, concurrency: 1 });
    sandbox = await startSandbox({ port: 0, config });
    await fetchToken(sandbox);

    const replies = await Promise.all(
      Array.from({ length: 5 }, () => call(sandbox!.url, 'GET', '/__sandbox/stats')),
    );

    assert.ok(replies.every((r) => r.status === 200 && r.elapsedMs < SLOWDOWN_STEP_MS));
  });
});
