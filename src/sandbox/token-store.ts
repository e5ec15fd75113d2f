/**
 * Access tokens issued by `GET /auth/token`: opaque random strings bound to the API key that
 * asked for them, valid for the configured lifetime. Nothing about the key can be read back
 * from a token.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiKey } from './model.js';

export interface TokenGrant {
  key: ApiKey;
  expiresAt: number;
  jti: string;
}

/**
 * Live tokens kept at most. A client that fetches a token per request (a known mistake) would
 * otherwise grow the map without end; beyond this, expired then oldest tokens are dropped.
 */
const MAX_TOKENS = 50_000;

export class TokenStore {
  private readonly grants = new Map<string, TokenGrant>();

  constructor(private readonly lifetimeMs: number) {}

  /** Issues a new token for `key`. */
  issue(key: ApiKey, nowMs: number): { token: string; grant: TokenGrant } {
    const token = randomBytes(32).toString('base64url');
    const grant: TokenGrant = { key, expiresAt: nowMs + this.lifetimeMs, jti: randomUUID() };

    this.grants.set(token, grant);
    if (this.grants.size > MAX_TOKENS) this.prune(nowMs);

    return { token, grant };
  }

  /** The grant of a live token; `expired` once its lifetime is over; undefined when unknown. */
  verify(token: string, nowMs: number): TokenGrant | 'expired' | undefined {
    const grant = this.grants.get(token);
    if (grant === undefined) return undefined;

    if (grant.expiresAt <= nowMs) {
      // Kept until pruned so the client is told "expired" rather than "unknown".
      return 'expired';
    }
    return grant;
  }

  /** Every token issued so far becomes invalid; new exchanges work again. */
  revokeAll(): void {
    this.grants.clear();
  }

  private prune(nowMs: number): void {
    for (const [token, grant] of this.grants) {
      if (grant.expiresAt <= nowMs) this.grants.delete(token);
    }

    // Insertion order is issue order, so the first entries are the oldest tokens.
    for (const token of this.grants.keys()) {
      if (this.grants.size <= MAX_TOKENS) break;
      this.grants.delete(token);
    }
  }
}
