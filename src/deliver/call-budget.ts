/**
 * A calls-per-minute budget: at most `perMinute` calls start in any sliding 60-second window.
 * Kept in process memory, which is exact for the embedded mode; several processes sharing a
 * vendor licence would each need a share of it.
 */
const WINDOW_MS = 60_000;

export class CallBudget {
  private readonly starts: number[] = [];

  constructor(private readonly perMinute: number | null) {}

  /** How long until a call may start (0: now). */
  waitMs(now = Date.now()): number {
    if (this.perMinute === null) return 0;

    this.forget(now);
    if (this.starts.length < this.perMinute) return 0;
    return this.starts[0]! + WINDOW_MS - now;
  }

  /** Counts a call that starts now. */
  spend(now = Date.now()): void {
    if (this.perMinute === null) return;
    this.starts.push(now);
  }

  /** How many calls may start now. */
  available(now = Date.now()): number {
    if (this.perMinute === null) return Number.POSITIVE_INFINITY;
    this.forget(now);
    return this.perMinute - this.starts.length;
  }

  private forget(now: number): void {
    while (this.starts.length > 0 && this.starts[0]! <= now - WINDOW_MS) this.starts.shift();
  }
}
