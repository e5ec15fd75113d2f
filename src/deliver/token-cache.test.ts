import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';

import { pino } from 'pino';

import {
  refreshAfterMs,
  REFRESH_RETRY_MS,
  TokenCache,
  type IssuedToken,
  type TokenScope,
} from './token-cache.js';

const scope: TokenScope = {
  host: 'https://api.example.test',
  credential: 'key-that-must-not-show',
};

/** An exchange that issues `token-1`, `token-2`, … and counts its calls. */
function countingExchange(lifetimeMs = 900_000) {
  let calls = 0;

  const exchange = async (): Promise<IssuedToken> => {
    calls += 1;
    await new Promise((resolve) => setImmediate(resolve));
    return { accessToken: `token-${calls}`, expiresInMs: lifetimeMs };
  };

  return { exchange, calls: () => calls };
}

/**
 * An exchange whose answers the test decides: `token-1` first, then whatever `next` says —
 * a failure (the token endpoint is down) or a new token.
 */
function scriptedExchange(lifetimeMs = 900_000) {
  let calls = 0;
  let failing = false;

  const exchange = async (): Promise<IssuedToken> => {
    calls += 1;
    await new Promise((resolve) => setImmediate(resolve));
    if (calls > 1 && failing) throw new Error('token endpoint answered 503');
    return { accessToken: `token-${calls}`, expiresInMs: lifetimeMs };
  };

  return {
    exchange,
    calls: () => calls,
    next: (outcome: 'fail' | 'succeed') => (failing = outcome === 'fail'),
  };
}

/** A logger that keeps the messages of its warnings. */
function warningLog() {
  const warnings: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      warnings.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
      done();
    },
  });

  return { logger: pino({ level: 'warn' }, stream), warnings };
}

function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('refreshAfterMs', () => {
  it('refreshes a fifteen-minute token one minute before it expires', () => {
    assert.equal(refreshAfterMs(900_000), 840_000);
  });

  it('refreshes a token of two minutes or less at three quarters of its lifetime', () => {
    assert.equal(refreshAfterMs(120_000), 90_000);
    assert.equal(refreshAfterMs(2_000), 1_500);
  });

  it('treats a zero or negative lifetime as already due', () => {
    assert.equal(refreshAfterMs(0), 0);
    assert.equal(refreshAfterMs(-5), 0);
  });
});

describe('TokenCache', () => {
  it('serves one token to every call until it is due for refresh', async () => {
    const clock = manualClock();
    const cache = new TokenCache({ now: clock.now });
    const { exchange, calls } = countingExchange();

    const first = await cache.get(scope, exchange);
    clock.advance(839_000);
    const second = await cache.get(scope, exchange);

    assert.equal(first, 'token-1');
    assert.equal(second, 'token-1');
    assert.equal(calls(), 1);
  });

  it('exchanges again once the refresh point is reached, before the token expires', async () => {
    const clock = manualClock();
    const cache = new TokenCache({ now: clock.now });
    const { exchange, calls } = countingExchange();

    await cache.get(scope, exchange);
    clock.advance(840_000);
    const refreshed = await cache.get(scope, exchange);

    assert.equal(refreshed, 'token-2');
    assert.equal(calls(), 2);
  });

  it('shares one in-flight exchange between concurrent callers', async () => {
    const cache = new TokenCache();
    const { exchange, calls } = countingExchange();

    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get(scope, exchange)));

    assert.equal(calls(), 1);
    assert.deepEqual(new Set(tokens), new Set(['token-1']));
  });

  it('keeps separate tokens per host and per credential', async () => {
    const cache = new TokenCache();
    const { exchange, calls } = countingExchange();

    await cache.get(scope, exchange);
    await cache.get({ ...scope, host: 'https://api1.example.test' }, exchange);
    await cache.get({ ...scope, credential: 'another-key' }, exchange);

    assert.equal(calls(), 3);
    assert.equal(cache.size, 3);
  });

  it('refreshes exactly once when many callers report the same stale token', async () => {
    const cache = new TokenCache();
    const { exchange, calls } = countingExchange();
    const stale = await cache.get(scope, exchange);

    const dropped = Array.from({ length: 20 }, () => cache.invalidate(scope, stale));
    const fresh = await Promise.all(Array.from({ length: 20 }, () => cache.get(scope, exchange)));

    assert.equal(dropped.filter(Boolean).length, 1);
    assert.equal(calls(), 2);
    assert.deepEqual(new Set(fresh), new Set(['token-2']));
  });

  it('ignores an invalidation for a token that was already replaced', async () => {
    const cache = new TokenCache();
    const { exchange, calls } = countingExchange();
    const stale = await cache.get(scope, exchange);
    cache.invalidate(scope, stale);
    await cache.get(scope, exchange);

    const dropped = cache.invalidate(scope, stale);
    const current = await cache.get(scope, exchange);

    assert.equal(dropped, false);
    assert.equal(current, 'token-2');
    assert.equal(calls(), 2);
  });

  it('rejects every waiting caller when the exchange fails and tries again on the next call', async () => {
    const cache = new TokenCache();
    let attempts = 0;
    const failing = async (): Promise<IssuedToken> => {
      attempts += 1;
      await new Promise((resolve) => setImmediate(resolve));
      if (attempts === 1) throw new Error('vendor down');
      return { accessToken: 'token-ok', expiresInMs: 900_000 };
    };

    const results = await Promise.allSettled([
      cache.get(scope, failing),
      cache.get(scope, failing),
    ]);
    const retried = await cache.get(scope, failing);

    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(attempts, 2);
    assert.equal(retried, 'token-ok');
    assert.equal(cache.size, 1);
  });

  it('forgets a scope whose only exchange failed', async () => {
    const cache = new TokenCache();
    const rejected = () => Promise.reject(new Error('key rejected'));

    await assert.rejects(cache.get(scope, rejected));

    assert.equal(cache.size, 0);
  });

  it('never holds the credential in a printable form', async () => {
    const cache = new TokenCache();
    const { exchange } = countingExchange();

    await cache.get(scope, exchange);
    const printed = inspect(cache, { depth: 10, showHidden: true });

    assert.equal(printed.includes(scope.credential), false);
  });
});

describe('TokenCache when the early refresh fails', () => {
  it('keeps serving the current token, warns once and retries the refresh later', async () => {
    const clock = manualClock();
    const cache = new TokenCache({ now: clock.now });
    const { exchange, calls, next } = scriptedExchange();
    const { logger, warnings } = warningLog();
    await cache.get(scope, exchange, logger);
    next('fail');

    clock.advance(840_000);
    const atRefresh = await cache.get(scope, exchange, logger);
    clock.advance(REFRESH_RETRY_MS - 1);
    const beforeRetry = await cache.get(scope, exchange, logger);
    clock.advance(1);
    const atRetry = await cache.get(scope, exchange, logger);

    assert.deepEqual([atRefresh, beforeRetry, atRetry], ['token-1', 'token-1', 'token-1']);
    assert.equal(calls(), 3);
    assert.deepEqual(warnings, ['token refresh failed; using the current token until it expires']);
  });

  it('takes the new token once a retried refresh succeeds', async () => {
    const clock = manualClock();
    const cache = new TokenCache({ now: clock.now });
    const { exchange, calls, next } = scriptedExchange();
    await cache.get(scope, exchange);
    next('fail');
    clock.advance(840_000);
    await cache.get(scope, exchange);

    next('succeed');
    clock.advance(REFRESH_RETRY_MS);
    const refreshed = await cache.get(scope, exchange);

    assert.equal(refreshed, 'token-3');
    assert.equal(calls(), 3);
  });

  it('rejects with the exchange error once the current token has really expired', async () => {
    const clock = manualClock();
    const cache = new TokenCache({ now: clock.now });
    const { exchange, next } = scriptedExchange();
    await cache.get(scope, exchange);
    next('fail');

    clock.advance(900_000);

    await assert.rejects(cache.get(scope, exchange), /token endpoint answered 503/);
  });

  it('never serves a token past its expiry, even inside the retry interval', async () => {
    const clock = manualClock();
    const cache = new TokenCache({ now: clock.now });
    // Refreshed at 1.5 s, expiring at 2 s: the retry interval reaches past the expiry.
    const { exchange, calls, next } = scriptedExchange(2_000);
    await cache.get(scope, exchange);
    next('fail');
    clock.advance(1_500);
    await cache.get(scope, exchange);

    clock.advance(499);
    const lastMoment = await cache.get(scope, exchange);
    const callsBeforeExpiry = calls();
    clock.advance(1);
    const expired = cache.get(scope, exchange);

    assert.equal(lastMoment, 'token-1');
    assert.equal(callsBeforeExpiry, 2);
    await assert.rejects(expired, /token endpoint answered 503/);
    assert.equal(calls(), 3);
  });

  it('serves the current token during the early refresh, with one exchange', async () => {
    const clock = manualClock();
    const cache = new TokenCache({ now: clock.now });
    let release: (token: IssuedToken) => void = () => undefined;
    let calls = 0;
    const exchange = (): Promise<IssuedToken> => {
      calls += 1;
      if (calls === 1) return Promise.resolve({ accessToken: 'token-1', expiresInMs: 900_000 });
      return new Promise((resolve) => (release = resolve));
    };
    await cache.get(scope, exchange);
    clock.advance(840_000);

    const refreshing = cache.get(scope, exchange);
    const meanwhile = await Promise.all([cache.get(scope, exchange), cache.get(scope, exchange)]);
    release({ accessToken: 'token-2', expiresInMs: 900_000 });
    const refreshed = await refreshing;
    const after = await cache.get(scope, exchange);

    assert.deepEqual(meanwhile, ['token-1', 'token-1']);
    assert.equal(refreshed, 'token-2');
    assert.equal(after, 'token-2');
    assert.equal(calls, 2);
  });
});
