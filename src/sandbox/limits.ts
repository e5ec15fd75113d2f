/**
 * Actito's per-licence limits, shared by all the keys of a licence.
 *
 * Concurrency: at most `concurrency` requests in flight; the next one is answered 429 at once and
 * does not count as a call. A request is in flight from its arrival until its response is sent:
 * it is admitted on its headers alone, so the upload of its body counts, and so do any slow-down,
 * latency or stall, because the client is still waiting on it. Without latency the sandbox
 * answers in well under a millisecond, so requests rarely overlap: set `latencyMs` to Actito's
 * response time to test a client's concurrency.
 *
 * Calls per minute: Actito does not reject calls over the budget, it slows them down, more
 * each time the limit is exceeded. The sandbox's model (Actito's exact curve is undocumented):
 * over a sliding window of the last 60 seconds (sixty one-second buckets), the n-th call over
 * the budget waits `n × 200 ms` before it is handled, capped at 3 s. The window forgets calls as
 * they age, so a client that backs off recovers within a minute.
 */
import type { LicenceLimits } from './config.js';

/** Extra wait per call over the minute's budget. */
export const SLOWDOWN_STEP_MS = 200;

/** Longest wait imposed on one call, so a client timeout is not provoked by the budget alone. */
export const SLOWDOWN_CAP_MS = 3000;

const WINDOW_SECONDS = 60;

/** Admission control and call counting for one licence. */
export class LicenceLimiter {
  /** Requests admitted and not yet answered. */
  inFlight = 0;

  private readonly bucketSecond = new Float64Array(WINDOW_SECONDS).fill(-1);
  private readonly bucketCount = new Uint32Array(WINDOW_SECONDS);

  constructor(private readonly limits: LicenceLimits) {}

  /** Admits a request when under the concurrency limit; the caller must `release()` it. */
  tryAcquire(): boolean {
    if (this.limits.concurrency !== null && this.inFlight >= this.limits.concurrency) return false;

    this.inFlight += 1;
    return true;
  }

  release(): void {
    this.inFlight -= 1;
  }

  /** Counts an admitted call and returns how long it must wait (0 within the budget). */
  countCall(nowMs: number): number {
    const budget = this.limits.calls_per_minute;
    if (budget === null) return 0;

    const calls = this.record(nowMs);
    const excess = calls - budget;
    return excess > 0 ? Math.min(excess * SLOWDOWN_STEP_MS, SLOWDOWN_CAP_MS) : 0;
  }

  /** Forgets the calls of the window (in-flight requests are left alone: they still finish). */
  resetWindow(): void {
    this.bucketSecond.fill(-1);
    this.bucketCount.fill(0);
  }

  /** Adds one call to the current second and returns the calls of the last 60 seconds. */
  private record(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    const slot = second % WINDOW_SECONDS;

    if (this.bucketSecond[slot] !== second) {
      this.bucketSecond[slot] = second;
      this.bucketCount[slot] = 0;
    }
    this.bucketCount[slot] = (this.bucketCount[slot] ?? 0) + 1;

    let total = 0;
    const oldest = second - WINDOW_SECONDS;
    for (let i = 0; i < WINDOW_SECONDS; i++) {
      if ((this.bucketSecond[i] ?? -1) > oldest) total += this.bucketCount[i] ?? 0;
    }
    return total;
  }
}
