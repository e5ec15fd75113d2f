/**
 * What the Management API's routes share: the process's parts they read and change, and the
 * services built once per server (sessions, login limiter, debugger feed, minute statistics).
 */
import type { HttpClient } from '../deliver/http-client.js';
import type { ActiveIntegrations } from '../integrations/active-integrations.js';
import type { Logger } from '../observability/logger.js';
import type { TraceBus } from '../observability/trace.js';
import type { Store } from '../store/store.js';
import type { AuditEntryInput, ChangeSummary } from '../store/types.js';
import type { LoginLimiter } from './auth/login-limiter.js';
import type { Sessions } from './auth/sessions.js';
import type { DebuggerFeed } from './debugger/debugger-feed.js';
import type { MinuteStats } from './stats/minute-stats.js';

export interface AdminDeps {
  store: Store;
  traces: TraceBus;
  logger: Logger;
  /** The running integrations: tells "running" from "error" in each integration's status. */
  integrations?: ActiveIntegrations;
  /** The client vendor calls go through (test connection). */
  vendorHttp: HttpClient;
  /** Makes processing and delivery use the stored configuration at once. */
  reloadConfiguration(): Promise<void>;
  /** Base URL of the collection host for snippets; default: the origin the admin request used. */
  publicUrl?: string;
  /** Credentials of the first admin; default `SIGNAL_ADMIN_EMAIL` / `SIGNAL_ADMIN_PASSWORD`. */
  firstAdmin?: { email?: string | undefined; password?: string | undefined };
  /** Where a generated first-admin password is shown; default stdout. */
  announce?: (text: string) => void;
  /** The clock, in Unix ms; tests pass their own. */
  now?: () => number;
}

export interface AdminContext {
  store: Store;
  logger: Logger;
  deps: AdminDeps;
  sessions: Sessions;
  limiter: LoginLimiter;
  feed: DebuggerFeed;
  stats: MinuteStats;
  now(): number;
  /** After any configuration change: reload processing and delivery, refresh the debugger. */
  afterChange(): Promise<void>;
  /** Records one audit entry at the current time. */
  audit(entry: Omit<AuditEntryInput, 'at'>): Promise<void>;
}

/** `{type, id}` of an audit target and its changes, for the common case. */
export function auditEntry(
  actor: string,
  action: string,
  target: { type: string; id: string },
  changes: ChangeSummary[],
): Omit<AuditEntryInput, 'at'> {
  return { actor, action, targetType: target.type, targetId: target.id, changes };
}
