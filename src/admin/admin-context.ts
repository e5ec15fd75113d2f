/**
 * What the Management API's routes share: the process's parts they read and change, and the
 * services built once per server (sessions, login limiter).
 */
import type { HttpClient } from '../deliver/http-client.js';
import type { ActiveIntegrations } from '../integrations/active-integrations.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import type { AuditEntryInput, ChangeSummary } from '../store/types.js';
import type { LoginLimiter } from './auth/login-limiter.js';
import type { Sessions } from './auth/sessions.js';
import type { TraceView } from './debugger/trace-view.js';

export interface AdminDeps {
  store: Store;
  /** The engine's traces: the Event Debugger and the overview chart read them. */
  traces: TraceView;
  logger: Logger;
  /** The running integrations: tells "running" from "error" in each integration's status. */
  integrations?: ActiveIntegrations;
  /** The client vendor calls go through (test connection). */
  vendorHttp: HttpClient;
  /** Makes processing, delivery and the debugger use the stored configuration at once. */
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
  traces: TraceView;
  now(): number;
  /** After any configuration change: reload processing, delivery and the debugger. */
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
