/**
 * When to try a failed delivery again. The policy is data (delays, jitter) validated at start:
 * by default five retries spread over about a day, then the dead letter.
 */
import { ConfigError } from '../core/errors.js';

export interface RetryPolicy {
  /** Wait before retry n (index n - 1); the list's length is the number of retries. */
  delaysMs: number[];
  /** Each wait is spread randomly by ± this fraction, so a vendor outage does not end in a stampede. */
  jitter: number;
  /** A vendor's `Retry-After` longer than the schedule is honoured, up to this. */
  maxRetryAfterMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** 1 min, 5 min, 30 min, 2 h, 12 h: about 14.6 hours of retrying, a day with the last wait. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  delaysMs: [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR],
  jitter: 0.2,
  maxRetryAfterMs: 24 * HOUR,
};

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (policy.delaysMs.length === 0) {
    throw new ConfigError('INVALID_CONFIG', 'retry policy: at least one retry delay is needed');
  }
  if (policy.delaysMs.some((delay) => !Number.isFinite(delay) || delay < 0)) {
    throw new ConfigError('INVALID_CONFIG', 'retry policy: delays must be non-negative numbers');
  }
  if (!(policy.jitter >= 0 && policy.jitter < 1)) {
    throw new ConfigError('INVALID_CONFIG', 'retry policy: jitter must be at least 0 and below 1');
  }
  return policy;
}

/**
 * The wait before the next attempt after `failedAttempts` failures, or undefined when the
 * retries are used up.
 */
export function nextRetryDelay(
  policy: RetryPolicy,
  failedAttempts: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  const base = policy.delaysMs[failedAttempts - 1];
  if (base === undefined) return undefined;

  const spread = base * policy.jitter * (random() * 2 - 1);
  const scheduled = Math.round(base + spread);
  const asked = Math.min(retryAfterMs ?? 0, policy.maxRetryAfterMs);
  return Math.max(scheduled, asked);
}
