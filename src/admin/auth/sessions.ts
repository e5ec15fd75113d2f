/**
 * Sessions of the Management API. A token is 32 random bytes (base64url), handed to the client
 * once; the store keeps only its SHA-256, so the database never holds a usable token. Opaque
 * stored tokens, rather than signed ones, make logout and a password change revoke at once, on
 * every node that shares the database, with no server signing key to guard.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { AdminSession, AdminUser } from '../../store/types.js';

/** A session unused for this long ends; each use moves the end forward. */
export const SESSION_IDLE_MS = 15 * 60_000;
/** However much it is used, a session ends this long after login. */
export const SESSION_MAX_MS = 12 * 60 * 60_000;

export interface Authenticated {
  user: AdminUser;
  session: AdminSession;
}

export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** Opens a session for `user`; returns the token, which is not kept anywhere. */
  async open(user: AdminUser): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const nowMs = this.now();

    await this.store.createSession({
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: new Date(nowMs).toISOString(),
      expiresAtMs: nowMs + SESSION_IDLE_MS,
      absoluteExpiresAtMs: nowMs + SESSION_MAX_MS,
    });

    return token;
  }

  /** The user and session of a live token; extends the session when half its idle time is used. */
  async check(token: string): Promise<Authenticated | undefined> {
    const nowMs = this.now();
    const session = await this.store.findSession(hashToken(token), nowMs);
    if (!session) return undefined;

    const user = await this.store.findUserById(session.userId);
    if (!user) return undefined;

    // Writing on every request would cost a commit each; half the idle time is close enough.
    if (session.expiresAtMs - nowMs < SESSION_IDLE_MS / 2) {
      await this.store.extendSession(session.tokenHash, nowMs + SESSION_IDLE_MS);
    }

    return { user, session };
  }

  async close(token: string): Promise<void> {
    await this.store.deleteSession(hashToken(token));
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
