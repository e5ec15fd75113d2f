/**
 * The embedded store: one SQLite file (better-sqlite3, WAL mode) under the data directory, and
 * the event log in a second file beside it (see `event-log.ts`). better-sqlite3 is synchronous,
 * so each operation is one short transaction; the gateway's appends are grouped so that
 * concurrent requests share one commit, and so are delivery outcomes.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { Logger } from '../../observability/logger.js';
import { GroupCommit } from '../group-commit.js';
import { RecentMessageIds } from '../recent-message-ids.js';
import { loadSecretBox, type SecretBox } from '../secret-box.js';
import type { Store } from '../store.js';
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
  PruneReport,
  QueueDepth,
  RetentionPolicy,
  StoredEvent,
} from '../types.js';
import { discardDeadLetters, listDeadLetters, replayDeadLetters } from './dead-letters.js';
import {
  claimDue,
  markDelivered,
  moveToDeadLetter,
  recordAttempt,
  releaseClaims,
  releaseEveryClaim,
  returnToWaiting,
} from './delivery-queue.js';
import { listAttempts, nextDueAt, queueDepths } from './delivery-status.js';
import { eventLogPath, moveLegacyEvents, SqliteEventLog } from './event-log.js';
import { SqliteManagementStore } from './management-store.js';
import { MAIN_MIGRATIONS, migrate } from './migrate.js';
import { commitProcessing, findProfiles, readCursor } from './processing-state.js';
import { pruneHistory } from './retention.js';
import { prepared } from './statement-cache.js';

export interface SqliteStoreOptions {
  /** The main database file; its folder is created when missing. */
  path: string;
  logger?: Logger;
  /** Secret encryption; by default the key comes from `encryption.key` beside the file. */
  secretBox?: SecretBox;
  /**
   * How appends to the event log reach the disk. `full` (default) syncs every commit, so an
   * acknowledged event survives a power cut; `normal` survives a crash of the process but not
   * of the machine. Other writes (processing, queue bookkeeping) always use `normal`: losing
   * the last of them to a power cut only means some work is done again, never lost.
   */
  synchronous?: 'full' | 'normal';
}

/** Processed message ids remembered for dedupe (about 16 MB). */
const DEDUPE_WINDOW = 1_000_000;

/**
 * How long delivery outcomes wait for others to share their transaction. The call's slot is free
 * already; only a newer intent for the same key waits this long more. At 20 ms rather than 5
 * the delivery benchmark wrote about a tenth more profiles a second.
 */
const OUTCOME_GATHER_MS = 20;

const DEFAULT_CONSENT: ConsentSettings = { default: 'denied', mapping: {} };

export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  mkdirSync(dirname(options.path), { recursive: true });
  const log = SqliteEventLog.open(
    eventLogPath(options.path),
    options.synchronous ?? 'full',
    options.logger,
  );

  const db = new BetterSqlite3(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  moveLegacyEvents(db, eventLogPath(options.path));
  migrate(db, MAIN_MIGRATIONS);

  const secretBox =
    options.secretBox ??
    loadSecretBox({
      envValue: process.env.SIGNAL_ENCRYPTION_KEY,
      keyFile: join(dirname(options.path), 'encryption.key'),
    });
  return new SqliteStore(db, log, secretBox);
}

/** The event path lives here; users, sessions, revisions and audit in the base class. */
class SqliteStore extends SqliteManagementStore implements Store {
  /** Delivery outcomes finishing together are recorded in one transaction. */
  private readonly outcomes: GroupCommit<() => void>;
  /** Built on first use, so only the connection that processes pays for it. */
  private recentIds: RecentMessageIds | undefined;

  constructor(
    db: Database,
    private readonly log: SqliteEventLog,
    secrets: SecretBox,
  ) {
    super(db, secrets);
    // Outcomes are bookkeeping, not acknowledgements: a few milliseconds of gathering turns
    // many small transactions (and their page writes) into one.
    this.outcomes = new GroupCommit(
      (writes) => db.transaction(() => writes.forEach((write) => write()))(),
      OUTCOME_GATHER_MS,
    );
  }

  async close(): Promise<void> {
    await this.log.close();
    this.db.close();
  }

  // Configuration

  async upsertPipeline(pipeline: Pipeline): Promise<void> {
    const { hmacSecret, ...body } = pipeline;
    prepared(
      this.db,
      `INSERT INTO pipelines (id, key, body, hmac_secret, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET key = excluded.key, body = excluded.body,
           hmac_secret = excluded.hmac_secret, updated_at = excluded.updated_at`,
    ).run(
      pipeline.id,
      pipeline.key,
      JSON.stringify(body),
      hmacSecret ? this.secrets.seal(hmacSecret) : null,
      new Date().toISOString(),
    );
  }

  async listPipelines(): Promise<Pipeline[]> {
    const rows = prepared(this.db, 'SELECT body, hmac_secret FROM pipelines ORDER BY id').all();
    return rows.map((row) => this.toPipeline(row as PipelineRow));
  }

  async findPipelineByKey(key: string): Promise<Pipeline | undefined> {
    const row = prepared(this.db, 'SELECT body, hmac_secret FROM pipelines WHERE key = ?').get(key);
    return row ? this.toPipeline(row as PipelineRow) : undefined;
  }

  private toPipeline(row: PipelineRow): Pipeline {
    const pipeline = JSON.parse(row.body) as Pipeline;
    if (row.hmac_secret) pipeline.hmacSecret = this.secrets.open(row.hmac_secret);
    return pipeline;
  }

  async upsertIntegration(integration: IntegrationRecord): Promise<void> {
    this.writeIntegration(integration);
  }

  protected writeIntegration(integration: IntegrationRecord): void {
    const { config, ...body } = integration;
    prepared(
      this.db,
      `INSERT INTO integrations (id, vendor, body, config, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET vendor = excluded.vendor, body = excluded.body,
           config = excluded.config, updated_at = excluded.updated_at`,
    ).run(
      integration.id,
      integration.vendor,
      JSON.stringify(body),
      this.secrets.seal(JSON.stringify(config)),
      new Date().toISOString(),
    );
  }

  async listIntegrations(): Promise<IntegrationRecord[]> {
    const rows = prepared(this.db, 'SELECT body, config FROM integrations ORDER BY id').all() as {
      body: string;
      config: Buffer;
    }[];
    return rows.map((row) => ({
      ...(JSON.parse(row.body) as Omit<IntegrationRecord, 'config'>),
      config: JSON.parse(this.secrets.open(row.config)) as Record<string, unknown>,
    }));
  }

  async getConsentSettings(): Promise<ConsentSettings> {
    const row = prepared(this.db, `SELECT value FROM settings WHERE name = 'consent'`).get() as
      { value: string } | undefined;
    return row ? (JSON.parse(row.value) as ConsentSettings) : { ...DEFAULT_CONSENT };
  }

  async putConsentSettings(settings: ConsentSettings): Promise<void> {
    prepared(
      this.db,
      `INSERT INTO settings (name, value) VALUES ('consent', ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ).run(JSON.stringify(settings));
  }

  // Ingest

  appendEvents(events: EventToAppend[]): Promise<void> {
    return this.log.append(events);
  }

  // Process

  async readCursor(): Promise<number> {
    return readCursor(this.db);
  }

  async readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return this.log.read(afterSeq, limit);
  }

  async findSeenMessageIds(pipelineId: string, messageIds: string[]): Promise<Set<string>> {
    const recent = this.recentMessageIds();
    return new Set(messageIds.filter((messageId) => recent.has(pipelineId, messageId)));
  }

  async findProfiles(lookup: { userIds: string[]; anonymousIds: string[] }): Promise<Profile[]> {
    return findProfiles(this.db, lookup);
  }

  async commitProcessing(commit: ProcessingCommit): Promise<IntentFate[]> {
    // Recovered before the commit, from the events through the cursor it replaces.
    const recent = this.recentMessageIds();
    const fates = commitProcessing(this.db, commit);

    for (const { pipelineId, messageId } of commit.seen) recent.add(pipelineId, messageId);
    return fates;
  }

  private recentMessageIds(): RecentMessageIds {
    this.recentIds ??= this.log.recentMessageIds(readCursor(this.db), DEDUPE_WINDOW);
    return this.recentIds;
  }

  async pruneHistory(policy: RetentionPolicy, nowMs: number): Promise<PruneReport> {
    return pruneHistory(this.db, this.log, policy, nowMs);
  }

  // Deliver

  async claimDeliveries(
    integrationId: string,
    limit: number,
    leaseMs: number,
  ): Promise<ClaimedDelivery[]> {
    return this.db.transaction(() =>
      claimDue(this.db, integrationId, limit, leaseMs, Date.now()),
    )();
  }

  completeDelivery(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<void> {
    return this.outcomes.write([
      () => {
        markDelivered(this.db, delivery, Date.now());
        recordAttempt(this.db, attempt);
      },
    ]);
  }

  retryDelivery(
    delivery: ClaimedDelivery,
    attempt: AttemptRecord,
    nextAttemptAt: Date,
  ): Promise<void> {
    const lastError = attempt.error ? JSON.stringify(attempt.error) : null;
    return this.outcomes.write([
      () => {
        returnToWaiting(
          this.db,
          delivery,
          delivery.attempts + 1,
          nextAttemptAt.getTime(),
          lastError,
        );
        recordAttempt(this.db, attempt);
      },
    ]);
  }

  deadLetterDelivery(
    delivery: ClaimedDelivery,
    attempt: AttemptRecord,
    error: DeliveryFailure,
  ): Promise<void> {
    return this.outcomes.write([
      () => {
        moveToDeadLetter(this.db, delivery, delivery.attempts + 1, error, attempt.at);
        recordAttempt(this.db, attempt);
      },
    ]);
  }

  async releaseClaims(deliveries: ClaimedDelivery[]): Promise<void> {
    releaseClaims(this.db, deliveries, Date.now());
  }

  async recoverClaims(): Promise<number> {
    return releaseEveryClaim(this.db, Date.now());
  }

  async nextDueAt(integrationId: string): Promise<Date | undefined> {
    return nextDueAt(this.db, integrationId);
  }

  async listDeadLetters(filter: DeadLetterFilter = {}, limit = 100): Promise<DeadLetter[]> {
    return listDeadLetters(this.db, filter, limit);
  }

  async replayDeadLetters(filter: DeadLetterFilter = {}): Promise<number> {
    return replayDeadLetters(this.db, filter);
  }

  async listAttempts(integrationId: string, limit: number): Promise<AttemptRecord[]> {
    return listAttempts(this.db, integrationId, limit);
  }

  async queueDepths(): Promise<QueueDepth[]> {
    return queueDepths(this.db);
  }

  async discardDeadLetters(ids: number[]): Promise<DeadLetter[]> {
    return discardDeadLetters(this.db, ids);
  }
}

interface PipelineRow {
  body: string;
  hmac_secret: Buffer | null;
}
