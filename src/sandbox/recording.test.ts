import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from './index.js';
import {
  MAX_RECORDED_REQUESTS,
  RequestRecorder,
  type RecordedRequest,
} from './request-recorder.js';
import { DEMO_PROFILE_PATH, bearer, call, fetchToken } from './test-support.js';

describe('sandbox request recording and controls', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0 });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('never records the API key or the token anywhere', async () => {
    const token = await fetchToken(sandbox);
    await call(sandbox.url, 'POST', `${DEMO_PROFILE_PATH}?allowUpdate=true`, {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });
    await call(sandbox.url, 'GET', `${DEMO_PROFILE_PATH}/email=jane@example.com`, {
      headers: { ...bearer(token), cookie: `session=${token}` },
    });
    await call(sandbox.url, 'GET', `/entities/v5/entities?access_token=${token}`, {
      headers: { authorization: 'sandbox-key' },
    });
    await call(sandbox.url, 'GET', '/auth/token', {
      headers: { authorization: 'Bearer sandbox-key' },
    });

    const overHttp = await call(sandbox.url, 'GET', '/__sandbox/requests');
    const serialized = JSON.stringify(sandbox.requests()) + JSON.stringify(overHttp.body);

    assert.equal(sandbox.requests().length, 5);
    assert.ok(!serialized.includes('sandbox-key'), 'the API key leaked into the recording');
    assert.ok(!serialized.includes(token), 'the token leaked into the recording');
  });

  it('masks Authorization by kind and keeps the rest of the exchange', async () => {
    const token = await fetchToken(sandbox);
    await call(sandbox.url, 'POST', `${DEMO_PROFILE_PATH}?allowUpdate=true`, {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });

    const [exchange, write] = sandbox.requests() as [RecordedRequest, RecordedRequest];

    assert.equal(exchange.headers['authorization'], '****');
    assert.equal((exchange.responseBody as { accessToken: string }).accessToken, '****');
    assert.equal(write.headers['authorization'], 'Bearer ****');
    assert.equal(write.method, 'POST');
    assert.equal(write.path, DEMO_PROFILE_PATH);
    assert.deepEqual(write.query, { allowUpdate: 'true' });
    assert.deepEqual(write.body, { email: 'jane@example.com' });
    assert.equal(write.status, 201);
    assert.deepEqual(write.responseBody, { profileId: 1 });
    assert.ok(!Number.isNaN(Date.parse(write.at)));
  });

  it('records rejected calls but not control requests, and clears on request', async () => {
    await call(sandbox.url, 'GET', '/nowhere');
    await call(sandbox.url, 'GET', '/__sandbox/stats');

    const recorded = sandbox.requests().map((r) => [r.path, r.status]);
    const cleared = await call(sandbox.url, 'DELETE', '/__sandbox/requests');

    assert.deepEqual(recorded, [['/nowhere', 404]]);
    assert.equal(cleared.status, 204);
    assert.deepEqual(sandbox.requests(), []);
  });

  it('lists profiles, statistics and resets over the control endpoints', async () => {
    const token = await fetchToken(sandbox);
    await call(sandbox.url, 'POST', DEMO_PROFILE_PATH, {
      headers: bearer(token),
      json: { email: 'jane@example.com', firstName: 'Jane' },
    });

    const profiles = await call(
      sandbox.url,
      'GET',
      '/__sandbox/profiles?entity=demo&table=Profiles',
    );
    const stats = await call(sandbox.url, 'GET', '/__sandbox/stats');
    const reset = await call(sandbox.url, 'POST', '/__sandbox/reset');
    const afterReset = await call(
      sandbox.url,
      'GET',
      '/__sandbox/profiles?entity=demo&table=Profiles',
    );
    const revoked = await call(sandbox.url, 'GET', '/entities/v5/entities', {
      headers: bearer(token),
    });

    assert.deepEqual(profiles.body, {
      profiles: [{ profileId: 1, attributes: { email: 'jane@example.com', firstName: 'Jane' } }],
    });
    assert.deepEqual(stats.body, {
      maxConcurrent: 1,
      rejectedConcurrency: 0,
      tokenExchanges: 1,
      profileWrites: 1,
    });
    assert.equal(reset.status, 204);
    assert.deepEqual(afterReset.body, { profiles: [] });
    assert.equal(revoked.status, 401);
  });

  it('answers 400 and 404 to control requests naming nothing or an unknown table', async () => {
    const missing = await call(sandbox.url, 'GET', '/__sandbox/profiles');
    const unknown = await call(
      sandbox.url,
      'GET',
      '/__sandbox/profiles?entity=demo&table=profiles',
    );
    const route = await call(sandbox.url, 'GET', '/__sandbox/nothing');

    assert.equal(missing.status, 400);
    assert.equal(unknown.status, 404);
    assert.equal(route.status, 404);
    assert.throws(() => sandbox.profiles('demo', 'profiles'), /no table "profiles"/);
  });

  it('keeps only the most recent requests in its ring, oldest first', () => {
    const recorder = new RequestRecorder();
    const total = MAX_RECORDED_REQUESTS + 3;

    for (let i = 0; i < total; i++) {
      recorder.add({
        at: '',
        method: 'GET',
        path: `/${i}`,
        query: {},
        headers: {},
        body: null,
        status: 200,
        responseBody: null,
      });
    }
    const list = recorder.list();

    assert.equal(list.length, MAX_RECORDED_REQUESTS);
    assert.equal(list[0]?.path, '/3');
    assert.equal(list.at(-1)?.path, `/${total - 1}`);
  });
});
