/**
 * A cache of short-lived vendor access tokens, shared by every delivery of the process.
 *
 * Vendors such as Actito trade a long-lived API key for an access token that lives a few minutes.
 * Fetching a token per call doubles the traffic and burns the vendor's rate limit; caching the
 * first token forever breaks when it expires. This cache keeps one token per (host, credential),
 * refreshes it shortly before it expires, lets concurrent callers share one in-flight exchange,
 * and turns a burst of 401s into exactly one refresh.
 *
 * The cache knows nothing about any vendor: the caller passes the exchange as a function.
 *
 * Known limit: the cache lives in process memory. Several Signal processes sharing one database
 * each hold their own token (one exchange per process per lifetime), which is harmless for
 * correctness but is not the cluster-wide cache the design asks for eventually.
 */
import { createHash } from 'node:crypto';

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
  /** When callers stop using the token and trade for a new one. */
  refreshAt: number;
  /** The exchange every concurrent caller waits on, when one is running. */
  inFlight: Promise<string> | undefined;
}

/** Lifetimes at or below this are refreshed at a fraction of their length, not a fixed margin. */
const SHORT_LIFETIME_MS = 120_000;
/** How long before expiry a normal token is replaced. */
const REFRESH_MARGIN_MS = 60_000;
const SHORT_LIFETIME_FRACTION = 0.75;

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
   * exchange shared by every caller that asks meanwhile. A failed exchange rejects every waiting
   * caller with its error and is not cached, so the next call tries again.
   */
  get(scope: TokenScope, exchange: TokenExchange): Promise<string> {
    const key = scopeKey(scope);
    const entry = this.entryFor(key);

    if (entry.inFlight) return entry.inFlight;

    if (entry.token !== undefined && this.now() < entry.refreshAt) {
      return Promise.resolve(entry.token);
    }

    entry.inFlight = this.runExchange(key, entry, exchange);
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
      entry = { token: undefined, refreshAt: 0, inFlight: undefined };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private async runExchange(key: string, entry: Entry, exchange: TokenExchange): Promise<string> {
    // The lifetime is counted from before the request left: the vendor started the clock when it
    // issued the token, which is no earlier than this.
    const startedAt = this.now();

    try {
      const issued = await exchange();

      entry.token = issued.accessToken;
      entry.refreshAt = startedAt + refreshAfterMs(issued.expiresInMs);
      return issued.accessToken;
    } catch (error) {
      // A scope that never got a token (a mistyped key) is not kept around.
      if (entry.token === undefined) this.entries.delete(key);
      throw error;
    } finally {
      entry.inFlight = undefined;
    }
  }
}

function scopeKey(scope: TokenScope): string {
  return createHash('sha256')
    .update(scope.host)
    .update('\0')
    .update(scope.credential)
    .digest('base64url');
}
