/**
 * The storage boundary. Every operation is asynchronous and atomic, so the same processor and
 * delivery code runs on the embedded SQLite file or on a shared PostgreSQL database; nothing
 * outside `src/store/` knows which.
 */
import type {
  AdminSession,
  AdminUser,
  AttemptRecord,
  AuditEntry,
  AuditEntryInput,
  ChangeMeta,
  ClaimedDelivery,
  ConsentSettings,
  DeadLetter,
  DeadLetterFilter,
  DeliveryFailure,
  DeliveryHealth,
  EventToAppend,
  IntegrationRecord,
  IntegrationRevision,
  IntentFate,
  Pipeline,
  ProcessingCommit,
  Profile,
  PruneReport,
  QueueDepth,
  RetentionPolicy,
  StoredEvent,
} from './types.js';

export interface Store {
  close(): Promise<void>;

  // Configuration
  upsertPipeline(pipeline: Pipeline): Promise<void>;
  listPipelines(): Promise<Pipeline[]>;
  findPipelineByKey(key: string): Promise<Pipeline | undefined>;
  upsertIntegration(integration: IntegrationRecord): Promise<void>;
  listIntegrations(): Promise<IntegrationRecord[]>;
  getConsentSettings(): Promise<ConsentSettings>;
  putConsentSettings(settings: ConsentSettings): Promise<void>;

  // Ingest
  /**
   * Appends events to the log. Resolves only once they are durable; concurrent calls share one
   * transaction (group commit). Rejects with `StoreUnavailableError` when the write failed.
   */
  appendEvents(events: EventToAppend[]): Promise<void>;

  // Process
  /** The log position up to which events have been processed (0 at the start). */
  readCursor(): Promise<number>;
  readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Of these message ids, those already processed for that pipeline, among the recent ones a
   * store remembers (the SQLite store: the last million, and none older than its event log).
   */
  findSeenMessageIds(pipelineId: string, messageIds: string[]): Promise<Set<string>>;
  /** Profiles by user id and by anonymous id (an anonymous id linked to a user finds the user). */
  findProfiles(lookup: { userIds: string[]; anonymousIds: string[] }): Promise<Profile[]>;
  /**
   * Writes one processing step atomically: cursor, dedupe marks, profiles, drops, and the
   * intents merged into the delivery queue. Returns each intent's fate, in order.
   */
  commitProcessing(commit: ProcessingCommit): Promise<IntentFate[]>;
  /**
   * Deletes history older than the policy: processed events (and their dedupe marks), attempts
   * and drops, a bounded batch of each per call. Never an event the processor has not read yet.
   */
  pruneHistory(policy: RetentionPolicy, nowMs: number): Promise<PruneReport>;

  // Deliver
  /**
   * Claims up to `limit` due intents of one integration, at most one per profile key and never a
   * key that already has a call in flight. A claim not completed within `leaseMs` is released.
   */
  claimDeliveries(
    integrationId: string,
    limit: number,
    leaseMs: number,
  ): Promise<ClaimedDelivery[]>;
  /** The call succeeded: remember what the vendor now holds, drop the intent. */
  completeDelivery(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<void>;
  /** Try again at `nextAttemptAt`, merged under any intent that arrived meanwhile. */
  retryDelivery(
    delivery: ClaimedDelivery,
    attempt: AttemptRecord,
    nextAttemptAt: Date,
  ): Promise<void>;
  /** Give up: the intent becomes a dead letter with its error. */
  deadLetterDelivery(
    delivery: ClaimedDelivery,
    attempt: AttemptRecord,
    error: DeliveryFailure,
  ): Promise<void>;
  /** Hands claimed intents back unsent, no attempt counted, due at once for a later claim. */
  releaseClaims(deliveries: ClaimedDelivery[]): Promise<void>;
  /**
   * Releases every claim at once. Only for a process that knows it is the sole deliverer (the
   * embedded mode after a restart); otherwise expired leases are released by `claimDeliveries`.
   */
  recoverClaims(): Promise<number>;
  /** When the next intent of this integration is due (undefined: none waiting). */
  nextDueAt(integrationId: string): Promise<Date | undefined>;

  listDeadLetters(filter?: DeadLetterFilter, limit?: number): Promise<DeadLetter[]>;
  /** Moves matching dead letters back into the queue; returns how many. */
  replayDeadLetters(filter?: DeadLetterFilter): Promise<number>;
  listAttempts(integrationId: string, limit: number): Promise<AttemptRecord[]>;
  queueDepths(): Promise<QueueDepth[]>;
  /** Deletes these dead letters and returns them (the caller records them in the audit log). */
  discardDeadLetters(ids: number[]): Promise<DeadLetter[]>;
  /** Per integration: attempts delivered and failed since `sinceIso`, and the latest attempt. */
  deliveryHealth(sinceIso: string): Promise<DeliveryHealth[]>;

  // Management
  /** Adds a user; false when the e-mail is already taken. */
  createUser(user: AdminUser): Promise<boolean>;
  findUserByEmail(email: string): Promise<AdminUser | undefined>;
  findUserById(id: string): Promise<AdminUser | undefined>;
  listUsers(): Promise<AdminUser[]>;
  countUsers(): Promise<number>;
  setUserPassword(id: string, passwordHash: string, at: string): Promise<void>;
  /** Stores a new session and forgets expired ones. */
  createSession(session: AdminSession): Promise<void>;
  /** The session of this token hash, if it exists and has not expired at `nowMs`. */
  findSession(tokenHash: string, nowMs: number): Promise<AdminSession | undefined>;
  extendSession(tokenHash: string, expiresAtMs: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of a user except, when given, the one with `keepTokenHash`. */
  deleteUserSessions(userId: string, keepTokenHash?: string): Promise<void>;
  /**
   * Writes the integration, appends its next revision and the matching audit entry in one
   * transaction; returns the revision number.
   */
  saveIntegrationRevision(record: IntegrationRecord, meta: ChangeMeta): Promise<number>;
  /** Every revision of an integration, newest first. */
  listIntegrationRevisions(integrationId: string): Promise<IntegrationRevision[]>;
  getIntegrationRevision(
    integrationId: string,
    revision: number,
  ): Promise<IntegrationRevision | undefined>;
  appendAudit(entries: AuditEntryInput[]): Promise<void>;
  /** Audit entries newest first, those with an id below `beforeId` when given. */
  listAudit(options: { beforeId?: number; limit: number }): Promise<AuditEntry[]>;
}
