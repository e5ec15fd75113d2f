import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import {
  DEFAULT_RETRY_POLICY,
  nextRetryDelay,
  validateRetryPolicy,
  type RetryPolicy,
} from './retry-policy.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** `random()` at 0.5 puts the jitter at zero. */
const MIDDLE = () => 0.5;

describe('nextRetryDelay', () => {
  it('waits 1 min, 5 min, 30 min, 2 h and 12 h before the five retries', () => {
    const delays = [1, 2, 3, 4, 5].map((failed) =>
      nextRetryDelay(DEFAULT_RETRY_POLICY, failed, undefined, MIDDLE),
    );

    assert.deepEqual(delays, [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR]);
  });

  it('gives up after the sixth failed attempt', () => {
    const delay = nextRetryDelay(DEFAULT_RETRY_POLICY, 6, undefined, MIDDLE);

    assert.equal(delay, undefined);
  });

  it('spreads each wait by at most the jitter fraction either way', () => {
    const shortest = nextRetryDelay(DEFAULT_RETRY_POLICY, 2, undefined, () => 0);
    const longest = nextRetryDelay(DEFAULT_RETRY_POLICY, 2, undefined, () => 0.999_999);

    assert.equal(shortest, 4 * MINUTE);
    assert.equal(longest, Math.round(5 * MINUTE * (1 + 0.2 * (0.999_999 * 2 - 1))));
    assert.ok(longest! <= 6 * MINUTE);
  });

  it('honours a Retry-After longer than the scheduled wait', () => {
    const delay = nextRetryDelay(DEFAULT_RETRY_POLICY, 1, 10 * MINUTE, MIDDLE);

    assert.equal(delay, 10 * MINUTE);
  });

  it('keeps the scheduled wait when Retry-After asks for less', () => {
    const delay = nextRetryDelay(DEFAULT_RETRY_POLICY, 3, 5_000, MIDDLE);

    assert.equal(delay, 30 * MINUTE);
  });

  it('caps a Retry-After at maxRetryAfterMs', () => {
    const policy: RetryPolicy = { delaysMs: [MINUTE], jitter: 0, maxRetryAfterMs: 2 * HOUR };

    const delay = nextRetryDelay(policy, 1, 48 * HOUR, MIDDLE);

    assert.equal(delay, 2 * HOUR);
  });

  it('ends a custom policy after as many retries as it has delays', () => {
    const policy: RetryPolicy = { delaysMs: [10, 20], jitter: 0, maxRetryAfterMs: 0 };

    const delays = [1, 2, 3].map((failed) => nextRetryDelay(policy, failed, undefined));

    assert.deepEqual(delays, [10, 20, undefined]);
  });
});

describe('validateRetryPolicy', () => {
  it('accepts the default policy as it is', () => {
    const policy = validateRetryPolicy(DEFAULT_RETRY_POLICY);

    assert.equal(policy, DEFAULT_RETRY_POLICY);
  });

  it('refuses a policy without retries, a negative delay, or a jitter of 1 or more', () => {
    const bad: RetryPolicy[] = [
      { ...DEFAULT_RETRY_POLICY, delaysMs: [] },
      { ...DEFAULT_RETRY_POLICY, delaysMs: [MINUTE, -1] },
      { ...DEFAULT_RETRY_POLICY, delaysMs: [Number.NaN] },
      { ...DEFAULT_RETRY_POLICY, jitter: 1 },
      { ...DEFAULT_RETRY_POLICY, jitter: -0.1 },
    ];

    for (const policy of bad) {
      assert.throws(
        () => validateRetryPolicy(policy),
        (error: unknown) => error instanceof ConfigError && error.code === 'INVALID_CONFIG',
        JSON.stringify(policy),
      );
    }
  });
});
