import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoginLimiter } from './login-limiter.js';

describe('LoginLimiter', () => {
  it('refuses an e-mail after five failures until the oldest leaves the minute', () => {
    const limiter = new LoginLimiter();

    for (let i = 0; i < 5; i += 1) limiter.recordFailure('a@example.com', `10.0.0.${i}`, i * 1_000);

    assert.equal(limiter.retryAfterSeconds('A@example.com ', '10.0.0.9', 5_000), 55);
    assert.equal(limiter.retryAfterSeconds('a@example.com', '10.0.0.9', 60_001), undefined);
    assert.equal(limiter.retryAfterSeconds('b@example.com', '10.0.0.9', 5_000), undefined);
  });

  it('refuses an address after twenty failures across accounts', () => {
    const limiter = new LoginLimiter();

    for (let i = 0; i < 20; i += 1) limiter.recordFailure(`u${i}@example.com`, '10.0.0.1', 0);

    assert.equal(limiter.retryAfterSeconds('new@example.com', '10.0.0.1', 1_000), 59);
    assert.equal(limiter.retryAfterSeconds('new@example.com', '10.0.0.2', 1_000), undefined);
  });

  it('forgets an account’s failures after a successful login', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 5; i += 1) limiter.recordFailure('a@example.com', `10.0.0.${i}`, 0);

    limiter.recordSuccess('a@example.com');

    assert.equal(limiter.retryAfterSeconds('a@example.com', '10.0.1.1', 1), undefined);
  });

  it('stays bounded in memory', () => {
    const limiter = new LoginLimiter({ maxKeys: 10 });

    for (let i = 0; i < 100; i += 1) limiter.recordFailure(`u${i}@example.com`, `ip${i}`, 0);

    assert.equal(limiter.retryAfterSeconds('u0@example.com', 'ip0', 1), undefined);
  });
});
