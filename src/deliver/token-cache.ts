/**
 * A cache of short-lived vendor access tokens, shared by every delivery of the process.
 *
 * Vendors such as Actito trade a long-lived API key for an access token that lives a few minutes.
 * Fetching a token per call doubles the traffic and burns the vendor's rate limit; caching the
 * first token forever breaks when it expires. This cache keeps one token per (host, credential),
 * refreshes it shortly before it expires, lets concurrent callers share one in-flight exchange,
 * and turns a burst of 401s into exactly one refresh.
 *
 * The early refresh is a precaution, not a deadline: when it fails (the token endpoint answers
 * 503, or times out) while the current token still has life left, callers keep that token and a
 * later call tries the refresh again. Only once the token has really expired does a failing
 * exchange reach the callers.
 *
 * The cache knows nothing about any vendor: the caller passes the exchange as a function.
 *
 * Known limit: the cache lives in process memory. Several Signal processes sharing one database
 * each hold their own token (one exchange per process per lifetime), which is harmless for
 * correctness but is not the cluster-wide cache the design asks for eventually.
 */
import { createHash } from 'node:crypto';

import { memoPerObject } from '../core/memo-per-owner.js';
import type { Logger } from '../observability/logger.js';

/** A token as a vendor issued it. */
export interface IssuedToken {
  accessToken: string;
  /** Lifetime announced by the vendor, in milliseconds. */
  expiresInMs: number;
}

/** Whose token: the vendor host and the long-lived credential (API key) it was exchanged from. */
export interface TokenScope {
  host: string;
  credential: string;
}

/** Trades the long-lived credential for a fresh token; rejects with the caller's own error. */
export type TokenExchange = () => Promise<IssuedToken>;

export interface TokenCacheOptions {
  /** Clock in milliseconds, replaceable in tests. */
  now?: () => number;
}

interface Entry {
  token: string | undefined;
  /** When the next caller trades for a new token (the token itself is still good until expiry). */
  refreshAt: number;
  /** When the token stops being usable: the lifetime the vendor announced. */
  expiresAt: number;
  /** The exchange every concurrent caller waits on, when one is running. */
  inFlight: Promise<string> | undefined;
  /** Whether the current run of failed early refreshes has been logged already. */
  warned: boolean;
}

/** Lifetimes at or below this are refreshed at a fraction of their length, not a fixed margin. */
const SHORT_LIFETIME_MS = 120_000;
/** How long before expiry a normal token is replaced. */
const REFRESH_MARGIN_MS = 60_000;
const SHORT_LIFETIME_FRACTION = 0.75;
/**
 * After a failed early refresh, how long callers keep the current token before one of them tries
 * again: often enough to get a new token well before expiry, rare enough that an outage of the
 * token endpoint does not add a token call to every data call.
 */
export const REFRESH_RETRY_MS = 10_000;

/**
 * How long after issue a token with this lifetime should be replaced: a minute before expiry,
 * or at 75% of the lifetime when the lifetime is two minutes or less (a fixed minute would leave
 * a very short token almost no useful life).
 */
export function refreshAfterMs(lifetimeMs: number): number {
  if (lifetimeMs <= 0) return 0;

  return lifetimeMs > SHORT_LIFETIME_MS
    ? lifetimeMs - REFRESH_MARGIN_MS
    : Math.floor(lifetimeMs * SHORT_LIFETIME_FRACTION);
}

/** Access tokens per (host, credential), single-flight, refreshed before they expire. */
export class TokenCache {
  // Keyed by a hash so that no printable key of this map (in a heap dump, a debugger, a log of
  // the map) ever holds the API key itself.
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(options: TokenCacheOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /**
   * A usable token for the scope: the cached one while it is fresh, otherwise the result of one
   * exchange shared by every caller that asks meanwhile.
   *
   * While an early refresh runs, or after it failed, callers get the current token as long as it
   * has not expired; `logger` receives one warning per run of failed refreshes. A failed exchange
   * with no usable token to fall back on rejects every waiting caller with its error and is not
   * cached, so the next call tries again.
   */
  get(scope: TokenScope, exchange: TokenExchange, logger?: Logger): Promise<string> {
    const key = scopeKey(scope);
    const entry = this.entryFor(key);
    const now = this.now();

    if (entry.inFlight) return usable(entry, now) ? Promise.resolve(entry.token) : entry.inFlight;

    if (usable(entry, now) && now < entry.refreshAt) return Promise.resolve(entry.token);

    entry.inFlight = this.runExchange(key, entry, exchange, logger);
    return entry.inFlight;
  }

  /**
   * Drops `staleToken` after the vendor rejected it. Only the first caller holding that token
   * drops it; later callers holding the same stale token find a newer token (or the exchange
   * already running) on their next `get`, so many concurrent 401s cause one refresh.
   *
   * @returns true when this call dropped the token.
   */
  invalidate(scope: TokenScope, staleToken: string): boolean {
    const entry = this.entries.get(scopeKey(scope));
    if (entry?.token !== staleToken) return false;

    entry.token = undefined;
    return true;
  }

  /** Forgets every token (tests; a credential rotation). */
  clear(): void {
    this.entries.clear();
  }

  /** Number of scopes held. */
  get size(): number {
    return this.entries.size;
  }

  private entryFor(key: string): Entry {
    let entry = this.entries.get(key);

    if (!entry) {
      entry = { token: undefined, refreshAt: 0, expiresAt: 0, inFlight: undefined, warned: false };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private async runExchange(
    key: string,
    entry: Entry,
    exchange: TokenExchange,
    logger: Logger | undefined,
  ): Promise<string> {
    // The lifetime is counted from before the request left: the vendor started the clock when it
    // issued the token, which is no earlier than this.
    const startedAt = this.now();

    try {
      const issued = await exchange();

      entry.token = issued.accessToken;
      entry.refreshAt = startedAt + refreshAfterMs(issued.expiresInMs);
      entry.expiresAt = startedAt + Math.max(0, issued.expiresInMs);
      entry.warned = false;
      return issued.accessToken;
    } catch (error) {
      const now = this.now();
      if (usable(entry, now)) return this.keepCurrentToken(entry, now, error, logger);

      // A scope that never got a token (a mistyped key) is not kept around.
      if (entry.token === undefined) this.entries.delete(key);
      throw error;
    } finally {
      entry.inFlight = undefined;
    }
  }

  /** After a failed early refresh: serve the token that still works, and try again later. */
  private keepCurrentToken(
    entry: Entry & { token: string },
    now: number,
    error: unknown,
    logger?: Logger,
  ): string {
    // Never later than expiry: past it, the next caller must wait for a real exchange.
    entry.refreshAt = Math.min(now + REFRESH_RETRY_MS, entry.expiresAt);

    if (!entry.warned) {
      entry.warned = true;
      logger?.warn(
        { err: error, remainingMs: entry.expiresAt - now },
        'token refresh failed; using the current token until it expires',
      );
    }
    return entry.token;
  }
}

/** Whether the entry holds a token that has not expired (it may be due for refresh). */
function usable(entry: Entry, now: number): entry is Entry & { token: string } {
  return entry.token !== undefined && now < entry.expiresAt;
}

/** Keys already computed, by scope object: callers that keep their scope skip the hash. */
const scopeKey = memoPerObject((scope: TokenScope) =>
  createHash('sha256').update(scope.host).update('\0').update(scope.credential).digest('base64url'),
);
