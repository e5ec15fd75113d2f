import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst of one second of requests, then refills at the rate', () => {
    const limiter = new RateLimiter();

    const burst = Array.from({ length: 10 }, () => limiter.take('p', 10, 0));
    const overBurst = limiter.take('p', 10, 0);
    const afterTenthOfASecond = limiter.take('p', 10, 100);

    assert.deepEqual(burst, Array(10).fill(0));
    assert.equal(overBurst, 1);
    assert.equal(afterTenthOfASecond, 0);
  });

  it('says how many whole seconds to wait when the rate is below one a second', () => {
    const limiter = new RateLimiter();
    limiter.take('p', 0.25, 0);

    assert.equal(limiter.take('p', 0.25, 0), 4);
  });

  it('keeps pipelines apart and treats a rate of 0 as no limit', () => {
    const limiter = new RateLimiter();
    limiter.take('a', 1, 0);

    assert.equal(limiter.take('a', 1, 0), 1);
    assert.equal(limiter.take('b', 1, 0), 0);
    assert.equal(limiter.take('c', 0, 0), 0);
    assert.equal(limiter.take('c', 0, 0), 0);
  });
});
