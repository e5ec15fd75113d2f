/**
 * The storage boundary. Every operation is asynchronous and atomic, so the same processor and
 * delivery code runs on the embedded SQLite file or on a shared PostgreSQL database; nothing
 * outside `src/store/` knows which.
 */
import type {
  AttemptRecord,
  ClaimedDelivery,
  ConsentSettings,
  DeadLetter,
  DeadLetterFilter,
  DeliveryFailure,
  EventToAppend,
  IntegrationRecord,
  IntentFate,
  Pipeline,
  ProcessingCommit,
  Profile,
  QueueDepth,
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
  /** Of these message ids, those already processed for that pipeline. */
  findSeenMessageIds(pipelineId: string, messageIds: string[]): Promise<Set<string>>;
  /** Profiles by user id and by anonymous id (an anonymous id linked to a user finds the user). */
  findProfiles(lookup: { userIds: string[]; anonymousIds: string[] }): Promise<Profile[]>;
  /**
   * Writes one processing step atomically: cursor, dedupe marks, profiles, drops, and the
   * intents merged into the delivery queue. Returns each intent's fate, in order.
   */
  commitProcessing(commit: ProcessingCommit): Promise<IntentFate[]>;

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
}
