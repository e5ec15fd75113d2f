/**
 * Per-pipeline token buckets: each pipeline may send `rateLimitPerSecond` requests a second on
 * average, with bursts of up to one second's worth. The buckets live in this process's memory,
 * so N gateway processes together accept up to N times the limit.
 */

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** One token bucket per pipeline id. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Takes one request's token from the pipeline's bucket. Returns 0 when the request may go on,
   * else the whole seconds to wait before a token is available (for `Retry-After`). A rate of 0
   * or less means no limit.
   */
  take(pipelineId: string, ratePerSecond: number, nowMs: number): number {
    if (!(ratePerSecond > 0)) return 0;

    const capacity = Math.max(ratePerSecond, 1);
    let bucket = this.buckets.get(pipelineId);
    if (bucket === undefined) {
      bucket = { tokens: capacity, updatedAt: nowMs };
      this.buckets.set(pipelineId, bucket);
    }

    const elapsedSeconds = Math.max(nowMs - bucket.updatedAt, 0) / 1000;
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsedSeconds * ratePerSecond);
    bucket.updatedAt = nowMs;

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }

    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond));
  }
}
