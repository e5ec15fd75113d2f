/**
 * Records kept by the store. These are plain data: the store implementations (SQLite, and later
 * PostgreSQL) serialise them, every other module reads and writes them only through `Store`.
 */
import type { ConsentState } from '../core/consent.js';
import type { JsonObject, SignalEvent } from '../core/envelope.js';
import type { RecordedExchange } from '../deliver/http-client.js';

export interface Pipeline {
  id: string;
  name: string;
  /** The public pipeline key (`dk_...`) the collector sends. */
  key: string;
  /** Shared secret of server sources signing `/v1/events` (HMAC-SHA256); absent when unused. */
  hmacSecret?: string;
  allowedOrigins: string[];
  integrationIds: string[];
  /** Requests per second accepted from this pipeline before answering 429. */
  rateLimitPerSecond: number;
  enabled: boolean;
}

export interface IntegrationRecord {
  id: string;
  vendor: string;
  name: string;
  presetId: string;
  /** Vendor settings, secrets included in clear: the store encrypts them at rest. */
  config: Record<string, unknown>;
  /** Field mappings; absent means "the preset's mappings". */
  mappings?: unknown;
  /** Canonical consent categories that must all be granted for an event to be delivered. */
  consentCategories: string[];
  enabled: boolean;
  /** Delivery behaviour (limits, retries, unchanged detection). */
  delivery: DeliverySettings;
}

export interface DeliverySettings {
  /** Calls in flight at once (Actito allows 5 per licence). */
  concurrency: number;
  /** Calls started per minute; `null` for no budget. */
  callsPerMinute: number | null;
  /** Skip a call whose attributes equal what was last delivered. */
  skipUnchanged: boolean;
  /** After this long an unchanged profile is sent again anyway. */
  unchangedMaxAgeMs: number;
  /** Send a minimal opt-out update when a known profile withdraws a gating category. */
  propagateOptOut: boolean;
}

export interface ConsentSettings {
  /** State of every non-essential category when nothing else says. */
  default: 'granted' | 'denied';
  /** CMP code (`C0004`, `marketing`, `tcf:1`) → canonical category. */
  mapping: Record<string, string>;
}

/** An event as appended to the log by the gateway. */
export interface EventToAppend {
  pipelineId: string;
  event: SignalEvent;
}

/** An event read back from the log, with its position. */
export interface StoredEvent {
  seq: number;
  pipelineId: string;
  event: SignalEvent;
}

/** What the store knows of a visitor: merged traits and latest consent. */
export interface Profile {
  /** `user:<userId>` once identified, else `anon:<anonymousId>`. */
  id: string;
  userId?: string;
  anonymousIds: string[];
  traits: JsonObject;
  consent?: ConsentState;
  updatedAt: string;
}

/** A delivery intent produced by planning one event for one integration. */
export interface IntentInput {
  integrationId: string;
  profileKey: string;
  attributes: Record<string, unknown>;
  messageId: string;
  /**
   * When set, an intent whose attributes all equal what the vendor was last sent for this key,
   * less than this long ago, completes as `unchanged` without a call.
   */
  unchangedMaxAgeMs: number | null;
}

/** Why an event did not reach an integration. */
export interface DropRecord {
  messageId: string;
  pipelineId: string;
  integrationId?: string;
  reason: string;
  at: string;
}

/** Everything one processing step decided, written atomically with the log cursor. */
export interface ProcessingCommit {
  /** The log position after the last event handled. */
  cursor: number;
  /** Message ids handled now, per pipeline, for duplicate detection. */
  seen: { pipelineId: string; messageId: string }[];
  profiles: Profile[];
  /** Profiles merged into another (anonymous visitor who logged in): removed. */
  mergedProfileIds: string[];
  intents: IntentInput[];
  drops: DropRecord[];
  at: string;
}

export type IntentFate = 'queued' | 'merged' | 'unchanged';

/** How long history is kept: processed events, delivery attempts and drops. */
export interface RetentionPolicy {
  /** Records older than this are deleted (a duplicate arriving later is processed again). */
  maxAgeMs: number;
  /** At most this many rows per table and call. */
  batchSize: number;
  /** How soon after start the first pass runs, then how often (30 s and 10 min by default). */
  firstRunAfterMs?: number;
  everyMs?: number;
}

/** Rows deleted by one retention pass, per kind. */
export interface PruneReport {
  events: number;
  attempts: number;
  drops: number;
}

export interface ClaimedDelivery {
  id: number;
  /** Identifies this claim: an outcome reported after the claim expired changes nothing. */
  claimId: string;
  integrationId: string;
  profileKey: string;
  attributes: Record<string, unknown>;
  messageIds: string[];
  /** Failed attempts so far. */
  attempts: number;
  createdAt: string;
}

export interface DeliveryFailure {
  code: string;
  message: string;
  hint?: string;
  vendorStatus?: number;
  vendorBody?: string;
}

export interface AttemptRecord {
  deliveryId: number;
  integrationId: string;
  profileKey: string;
  attempt: number;
  outcome: 'delivered' | 'retry' | 'failed';
  status?: number;
  error?: DeliveryFailure;
  latencyMs: number;
  exchanges: RecordedExchange[];
  at: string;
}

export interface DeadLetter {
  id: number;
  integrationId: string;
  profileKey: string;
  attributes: Record<string, unknown>;
  messageIds: string[];
  attempts: number;
  error: DeliveryFailure;
  failedAt: string;
}

export interface DeadLetterFilter {
  integrationId?: string;
  profileKey?: string;
  /** Only these dead letters. */
  ids?: number[];
}

export interface QueueDepth {
  integrationId: string;
  waiting: number;
  inFlight: number;
  deadLetters: number;
}

// Management: users, sessions, revisions, audit

export type AdminRole = 'admin' | 'viewer';

export interface AdminUser {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  role: AdminRole;
  /** `scrypt$N$r$p$salt$hash`, never the password. */
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

/** A signed-in session. Only the SHA-256 of its token is kept, so a stolen database holds none. */
export interface AdminSession {
  tokenHash: string;
  userId: string;
  createdAt: string;
  /** Unix ms after which the session is no longer accepted; moved forward on use. */
  expiresAtMs: number;
  /** Unix ms after which the session ends however much it is used. */
  absoluteExpiresAtMs: number;
}

/** One changed field in an audit entry or a revision; a secret's values are never kept. */
export interface ChangeSummary {
  field: string;
  change: 'added' | 'changed' | 'removed';
  from?: unknown;
  to?: unknown;
}

/** Who changed what, when: the metadata of a revision and of its audit entry. */
export interface ChangeMeta {
  actor: string;
  action: string;
  changes: ChangeSummary[];
  at: string;
}

/** An immutable snapshot of an integration, secrets included (encrypted at rest). */
export interface IntegrationRevision extends ChangeMeta {
  integrationId: string;
  revision: number;
  record: IntegrationRecord;
}

export interface AuditEntryInput extends ChangeMeta {
  targetType: string;
  targetId: string;
}

export interface AuditEntry extends AuditEntryInput {
  id: number;
}

/** Recent delivery outcomes of one integration, for its health badge. */
export interface DeliveryHealth {
  integrationId: string;
  delivered: number;
  /** Attempts that failed (to be retried or dead-lettered). */
  failed: number;
  last?: { outcome: AttemptRecord['outcome']; status?: number; at: string };
}
