import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PermanentDeliveryError, TransientDeliveryError } from '../../core/errors.js';
import { callsTo, harness, manualClock, profileRequest, testLicences } from './test-support.js';

/** Trades the sandbox key for a token directly, as a person would for a preview token. */
async function previewToken(sandboxUrl: string): Promise<string> {
  const res = await fetch(`${sandboxUrl}/auth/token`, {
    headers: { Authorization: 'sandbox-key', Accept: 'application/json' },
  });
  const body = (await res.json()) as { accessToken: string };
  return body.accessToken;
}

describe('Actito token flow', () => {
  it('sends the raw API key to the token endpoint and the token as a bearer', async (t) => {
    const h = await harness(t);

    await h.integration.deliver(profileRequest('a@example.com'), h.config(), h.context);

    const [exchange] = callsTo(h.sandbox, 'token');
    assert.equal(exchange?.method, 'GET');
    assert.equal(exchange?.headers.authorization, '****');
    assert.equal(exchange?.headers.accept, 'application/json');
    assert.equal(callsTo(h.sandbox, 'profile')[0]?.headers.authorization, 'Bearer ****');
  });

  it('makes exactly one token exchange for 50 concurrent deliveries', async (t) => {
    const h = await harness(t, { config: testLicences(null) });
    const config = h.config();

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.integration.deliver(profileRequest(`user${i}@example.com`), config, h.context),
      ),
    );

    assert.equal(outcomes.filter((o) => o.ok).length, 50);
    assert.equal(h.sandbox.stats().tokenExchanges, 1);
    assert.equal(callsTo(h.sandbox, 'token').length, 1);
    assert.equal(h.sandbox.stats().profileWrites, 50);
  });

  it('reuses the token until shortly before it expires, then exchanges again', async (t) => {
    const clock = manualClock();
    const h = await harness(t, { now: clock.now });
    const config = h.config();

    await h.integration.deliver(profileRequest('a@example.com'), config, h.context);
    // A fifteen-minute token is replaced one minute before it expires, at 14 minutes.
    clock.advance(839_999);
    await h.integration.deliver(profileRequest('b@example.com'), config, h.context);
    const exchangesBefore = h.sandbox.stats().tokenExchanges;
    clock.advance(1);
    await h.integration.deliver(profileRequest('c@example.com'), config, h.context);

    assert.equal(exchangesBefore, 1);
    assert.equal(h.sandbox.stats().tokenExchanges, 2);
    // The API key and two distinct access tokens.
    assert.equal(h.http.credentialsSent.size, 3);
    const sequence = h.sandbox.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.deepEqual(sequence, [
      'GET /auth/token 200',
      'POST /v4/entity/demo/table/Profiles/profile 201',
      'POST /v4/entity/demo/table/Profiles/profile 201',
      'GET /auth/token 200',
      'POST /v4/entity/demo/table/Profiles/profile 201',
    ]);
  });

  it('keeps delivering with the current token when the early refresh is answered 503', async (t) => {
    const clock = manualClock();
    const h = await harness(t, { now: clock.now });
    const config = h.config();
    await h.integration.deliver(profileRequest('a@example.com'), config, h.context);
    h.sandbox.setFaults({ errors: [{ status: 503, paths: 'token' }] });
    h.sandbox.clearRequests();

    clock.advance(840_000);
    const outcome = await h.integration.deliver(profileRequest('b@example.com'), config, h.context);

    assert.equal(outcome.ok, true);
    const sequence = h.sandbox.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.deepEqual(sequence, [
      'GET /auth/token 503',
      'POST /v4/entity/demo/table/Profiles/profile 201',
    ]);
  });

  it('refreshes once and retries once when a token is revoked, and then succeeds', async (t) => {
    const h = await harness(t);
    const config = h.config();
    await h.integration.deliver(profileRequest('a@example.com'), config, h.context);
    h.sandbox.revokeTokens();
    h.sandbox.clearRequests();

    const outcome = await h.integration.deliver(profileRequest('b@example.com'), config, h.context);

    assert.equal(outcome.ok, true);
    const sequence = h.sandbox.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.deepEqual(sequence, [
      'POST /v4/entity/demo/table/Profiles/profile 401',
      'GET /auth/token 200',
      'POST /v4/entity/demo/table/Profiles/profile 201',
    ]);
    assert.deepEqual(
      outcome.exchanges.map((e) => e.response?.status),
      [401, 200, 201],
    );
  });

  it('refreshes exactly once when many concurrent calls meet the same revoked token', async (t) => {
    const h = await harness(t, { config: testLicences(null) });
    const config = h.config();
    await h.integration.deliver(profileRequest('a@example.com'), config, h.context);
    h.sandbox.revokeTokens();

    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.integration.deliver(profileRequest(`user${i}@example.com`), config, h.context),
      ),
    );

    assert.equal(outcomes.filter((o) => o.ok).length, 20);
    assert.equal(h.sandbox.stats().tokenExchanges, 2);
  });

  it('stops after one refresh when every profile call is answered 401', async (t) => {
    const h = await harness(t);
    const config = h.config();
    h.sandbox.setFaults({ errors: [{ status: 401, paths: 'profile' }] });

    const outcome = await h.integration.deliver(profileRequest('a@example.com'), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof PermanentDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_AUTH_REJECTED');
    assert.equal(outcome.error.message, 'API key rejected: check api_key and the API host');
    const sequence = h.sandbox.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.deepEqual(sequence, [
      'GET /auth/token 200',
      'POST /v4/entity/demo/table/Profiles/profile 401',
      'GET /auth/token 200',
      'POST /v4/entity/demo/table/Profiles/profile 401',
    ]);
  });

  it('classifies a failing token exchange like a profile call and records it', async (t) => {
    const h = await harness(t);
    const config = h.config();
    h.sandbox.setFaults({ errors: [{ status: 503, paths: 'token', retryAfterSeconds: 3 }] });

    const outcome = await h.integration.deliver(profileRequest('a@example.com'), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof TransientDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_SERVER_ERROR');
    assert.equal(outcome.error.retryAfterMs, 3_000);
    assert.equal(outcome.exchanges.length, 1);
    assert.equal(outcome.exchanges[0]?.response?.status, 503);
    assert.equal(callsTo(h.sandbox, 'profile').length, 0);
  });
});

describe('Actito preview access token', () => {
  it('uses a configured access token as is and never calls the token endpoint', async (t) => {
    const h = await harness(t);
    const token = await previewToken(h.sandbox.url);
    h.sandbox.clearRequests();
    const config = h.config({ access_token: token });

    const outcome = await h.integration.deliver(profileRequest('a@example.com'), config, h.context);

    assert.equal(outcome.ok, true);
    assert.equal(callsTo(h.sandbox, 'token').length, 0);
    assert.equal(outcome.exchanges.length, 1);
    assert.equal(h.http.credentialsSent.has(token), true);
  });

  it('rejects an expired preview token for good, saying production needs the key', async (t) => {
    const h = await harness(t);
    const token = await previewToken(h.sandbox.url);
    h.sandbox.revokeTokens();
    h.sandbox.clearRequests();
    const config = h.config({ access_token: token });

    const outcome = await h.integration.deliver(profileRequest('a@example.com'), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof PermanentDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_AUTH_REJECTED');
    assert.match(outcome.error.message, /expire after 15 minutes/);
    assert.match(outcome.error.message, /production needs the api_key/);
    assert.equal(callsTo(h.sandbox, 'profile').length, 1);
    assert.equal(callsTo(h.sandbox, 'token').length, 0);
  });
});
