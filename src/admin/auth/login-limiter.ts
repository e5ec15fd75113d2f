/**
 * Slows down password guessing: after too many failed logins within `windowMs` for one e-mail
 * address (5) or from one IP address (20), further attempts are refused (429 with `Retry-After`)
 * until the oldest failure leaves the window. Counting both stops one attacker trying many
 * passwords and many attackers trying one account; the address allows more, since one office
 * behind one address may hold many people mistyping their own passwords.
 *
 * Known limit: the counts live in this process's memory, so a restart forgets them and each node
 * of a cluster counts on its own (a cluster would keep them in the shared database).
 */

export interface LoginLimiterOptions {
  maxFailuresPerEmail?: number;
  maxFailuresPerIp?: number;
  windowMs?: number;
  /** Keys tracked at most; beyond it the oldest are forgotten, so memory stays bounded. */
  maxKeys?: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxPerEmail: number;
  private readonly maxPerIp: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(options: LoginLimiterOptions = {}) {
    this.maxPerEmail = options.maxFailuresPerEmail ?? 5;
    this.maxPerIp = options.maxFailuresPerIp ?? 20;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Seconds to wait before trying again, or undefined when a login may be attempted now. */
  retryAfterSeconds(email: string, ip: string, nowMs: number): number | undefined {
    const wait = Math.max(
      this.waitMs(keyOfEmail(email), this.maxPerEmail, nowMs),
      this.waitMs(keyOfIp(ip), this.maxPerIp, nowMs),
    );

    return wait > 0 ? Math.ceil(wait / 1000) : undefined;
  }

  recordFailure(email: string, ip: string, nowMs: number): void {
    for (const key of [keyOfEmail(email), keyOfIp(ip)]) {
      const recent = this.recent(key, nowMs);
      recent.push(nowMs);
      this.failures.delete(key);
      this.failures.set(key, recent);
    }

    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  /** A successful login clears the account's failures (not the address's). */
  recordSuccess(email: string): void {
    this.failures.delete(keyOfEmail(email));
  }

  private waitMs(key: string, max: number, nowMs: number): number {
    const recent = this.recent(key, nowMs);
    if (recent.length < max) return 0;

    const oldestCounted = recent[recent.length - max] ?? nowMs;
    return oldestCounted + this.windowMs - nowMs;
  }

  private recent(key: string, nowMs: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > nowMs - this.windowMs);
  }
}

function keyOfEmail(email: string): string {
  return `email:${email.trim().toLowerCase()}`;
}

function keyOfIp(ip: string): string {
  return `ip:${ip}`;
}
