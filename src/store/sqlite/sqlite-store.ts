/**
 * The embedded store: one SQLite file (better-sqlite3, WAL mode) under the data directory.
 * better-sqlite3 is synchronous, so each operation is one short transaction on the event loop;
 * the gateway's appends are grouped so that concurrent requests share one commit.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { StoreUnavailableError } from '../../core/errors.js';
import type { Logger } from '../../observability/logger.js';
import { GroupCommit } from '../group-commit.js';
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
  QueueDepth,
  StoredEvent,
} from '../types.js';
import {
  claimDue,
  enqueueIntent,
  markDelivered,
  moveToDeadLetter,
  recordAttempt,
  rememberMessages,
  returnToWaiting,
} from './delivery-queue.js';
import { SqliteManagementStore } from './management-store.js';
import { migrate } from './migrate.js';
import { prepared } from './statement-cache.js';

export interface SqliteStoreOptions {
  /** The database file; its folder is created when missing. */
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

/** How long delivery outcomes wait for others to share their transaction. */
const OUTCOME_GATHER_MS = 5;

const DEFAULT_CONSENT: ConsentSettings = { default: 'denied', mapping: {} };

export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  mkdirSync(dirname(options.path), { recursive: true });
  const db = new BetterSqlite3(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);

  const secretBox =
    options.secretBox ??
    loadSecretBox({
      envValue: process.env.SIGNAL_ENCRYPTION_KEY,
      keyFile: join(dirname(options.path), 'encryption.key'),
    });
  return new SqliteStore(db, secretBox, options.synchronous ?? 'full', options.logger);
}

/** The event path lives here; users, sessions, revisions and audit in the base class. */
class SqliteStore extends SqliteManagementStore implements Store {
  private readonly appends: GroupCommit<EventToAppend>;
  /** Delivery outcomes finishing together are recorded in one transaction. */
  private readonly outcomes: GroupCommit<() => void>;
  private readonly insertEvent;

  constructor(
    db: Database,
    secrets: SecretBox,
    appendSync: 'full' | 'normal',
    private readonly logger?: Logger,
  ) {
    super(db, secrets);
    this.insertEvent = db.prepare('INSERT INTO events (pipeline_id, body) VALUES (?, ?)');
    const appendAll = db.transaction((events: EventToAppend[]) => {
      for (const { pipelineId, event } of events) {
        this.insertEvent.run(pipelineId, JSON.stringify(event));
      }
    });
    // Outcomes are bookkeeping, not acknowledgements: a few milliseconds of gathering turns
    // many small transactions (and their page writes) into one.
    this.outcomes = new GroupCommit(
      (writes) => db.transaction(() => writes.forEach((write) => write()))(),
      OUTCOME_GATHER_MS,
    );

    const syncAppends = appendSync === 'full';
    this.appends = new GroupCommit((events) => {
      try {
        // In WAL mode FULL syncs the log at this commit, and with it every earlier commit.
        if (syncAppends) db.pragma('synchronous = FULL');
        appendAll(events);
      } catch (error) {
        this.logger?.error({ err: error }, 'appending events to the log failed');
        throw new StoreUnavailableError('STORE_UNAVAILABLE', 'the event log cannot be written', {
          cause: error,
        });
      } finally {
        if (syncAppends && db.open) db.pragma('synchronous = NORMAL');
      }
    });
  }

  async close(): Promise<void> {
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
    if (events.length === 0) return Promise.resolve();
    return this.appends.write(events);
  }

  // Process

  async readCursor(): Promise<number> {
    const row = prepared(this.db, `SELECT seq FROM cursors WHERE name = 'process'`).get() as
      { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  async readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const rows = prepared(
      this.db,
      'SELECT seq, pipeline_id, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    ).all(afterSeq, limit) as { seq: number; pipeline_id: string; body: string }[];
    return rows.map((row) => ({
      seq: row.seq,
      pipelineId: row.pipeline_id,
      event: JSON.parse(row.body) as StoredEvent['event'],
    }));
  }

  async findSeenMessageIds(pipelineId: string, messageIds: string[]): Promise<Set<string>> {
    const seen = new Set<string>();
    const query = prepared(
      this.db,
      'SELECT 1 FROM seen_messages WHERE pipeline_id = ? AND message_id = ?',
    );
    for (const id of messageIds) if (query.get(pipelineId, id)) seen.add(id);
    return seen;
  }

  async findProfiles(lookup: { userIds: string[]; anonymousIds: string[] }): Promise<Profile[]> {
    const ids = new Set(lookup.userIds.map((userId) => `user:${userId}`));
    const link = prepared(this.db, 'SELECT profile_id FROM identity_links WHERE anonymous_id = ?');
    for (const anonymousId of lookup.anonymousIds) {
      const row = link.get(anonymousId) as { profile_id: string } | undefined;
      if (row) ids.add(row.profile_id);
    }

    const read = prepared(this.db, 'SELECT body FROM profiles WHERE id = ?');
    const profiles: Profile[] = [];
    for (const id of ids) {
      const row = read.get(id) as { body: string } | undefined;
      if (row) profiles.push(JSON.parse(row.body) as Profile);
    }
    return profiles;
  }

  async commitProcessing(commit: ProcessingCommit): Promise<IntentFate[]> {
    const nowMs = Date.parse(commit.at);
    const write = this.db.transaction(() => {
      const markSeen = prepared(
        this.db,
        'INSERT OR IGNORE INTO seen_messages (pipeline_id, message_id, seen_at) VALUES (?, ?, ?)',
      );
      for (const { pipelineId, messageId } of commit.seen)
        markSeen.run(pipelineId, messageId, nowMs);

      const removeProfile = prepared(this.db, 'DELETE FROM profiles WHERE id = ?');
      for (const id of commit.mergedProfileIds) removeProfile.run(id);

      const saveProfile = prepared(
        this.db,
        `INSERT INTO profiles (id, body, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      );
      const saveLink = prepared(
        this.db,
        `INSERT INTO identity_links (anonymous_id, profile_id) VALUES (?, ?)
         ON CONFLICT (anonymous_id) DO UPDATE SET profile_id = excluded.profile_id`,
      );
      for (const profile of commit.profiles) {
        saveProfile.run(profile.id, JSON.stringify(profile), profile.updatedAt);
        for (const anonymousId of profile.anonymousIds) saveLink.run(anonymousId, profile.id);
      }

      const saveDrop = prepared(
        this.db,
        `INSERT INTO drops (message_id, pipeline_id, integration_id, reason, at)
         VALUES (?, ?, ?, ?, ?)`,
      );
      for (const drop of commit.drops) {
        saveDrop.run(
          drop.messageId,
          drop.pipelineId,
          drop.integrationId ?? null,
          drop.reason,
          drop.at,
        );
      }

      const fates = commit.intents.map((intent) => enqueueIntent(this.db, intent, nowMs));

      prepared(
        this.db,
        `INSERT INTO cursors (name, seq) VALUES ('process', ?)
           ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`,
      ).run(commit.cursor);
      return fates;
    });
    return write();
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

  async recoverClaims(): Promise<number> {
    const rows = prepared(
      this.db,
      `SELECT id, claim_id, integration_id, profile_key, attempts FROM deliveries
         WHERE state = 'in_flight'`,
    ).all() as InFlightRow[];
    this.db.transaction(() => {
      for (const row of rows) {
        const ref = {
          id: row.id,
          claimId: row.claim_id,
          integrationId: row.integration_id,
          profileKey: row.profile_key,
        };
        returnToWaiting(this.db, ref, row.attempts, Date.now(), 'interrupted by a restart');
      }
    })();
    return rows.length;
  }

  async nextDueAt(integrationId: string): Promise<Date | undefined> {
    const row = prepared(
      this.db,
      `SELECT MIN(d.next_attempt_at) AS due FROM deliveries AS d
         WHERE d.integration_id = ? AND d.state = 'waiting'
           AND NOT EXISTS (SELECT 1 FROM deliveries AS f
                           WHERE f.integration_id = d.integration_id
                             AND f.profile_key = d.profile_key AND f.state = 'in_flight')`,
    ).get(integrationId) as { due: number | null };
    return row.due === null ? undefined : new Date(row.due);
  }

  async listDeadLetters(filter: DeadLetterFilter = {}, limit = 100): Promise<DeadLetter[]> {
    const { where, params } = deadLetterWhere(filter);
    const rows = prepared(
      this.db,
      `SELECT * FROM dead_letters ${where} ORDER BY id DESC LIMIT ?`,
    ).all(...params, limit) as DeadLetterRow[];
    return rows.map(toDeadLetter);
  }

  async replayDeadLetters(filter: DeadLetterFilter = {}): Promise<number> {
    const { where, params } = deadLetterWhere(filter);
    return this.db.transaction(() => {
      const rows = prepared(this.db, `SELECT * FROM dead_letters ${where} ORDER BY id DESC`).all(
        ...params,
      ) as DeadLetterRow[];
      for (const row of rows) this.requeue(toDeadLetter(row));
      return rows.length;
    })();
  }

  /**
   * A replayed dead letter goes under any waiting intent for its key, so newer values win;
   * letters are replayed newest first for the same reason.
   */
  private requeue(letter: DeadLetter): void {
    const nowMs = Date.now();
    const waiting = prepared(
      this.db,
      `SELECT id, attributes, message_ids FROM deliveries
         WHERE integration_id = ? AND profile_key = ? AND state = 'waiting'`,
    ).get(letter.integrationId, letter.profileKey) as
      { id: number; attributes: string; message_ids: string } | undefined;

    if (waiting) {
      const merged = { ...letter.attributes, ...JSON.parse(waiting.attributes) };
      const messages = rememberMessages(letter.messageIds, JSON.parse(waiting.message_ids));
      prepared(
        this.db,
        `UPDATE deliveries SET attributes = ?, message_ids = ?, next_attempt_at = ?
                  WHERE id = ?`,
      ).run(JSON.stringify(merged), JSON.stringify(messages), nowMs, waiting.id);
    } else {
      prepared(
        this.db,
        `INSERT INTO deliveries (integration_id, profile_key, state, attributes, message_ids,
             next_attempt_at, created_at) VALUES (?, ?, 'waiting', ?, ?, ?, ?)`,
      ).run(
        letter.integrationId,
        letter.profileKey,
        JSON.stringify(letter.attributes),
        JSON.stringify(letter.messageIds),
        nowMs,
        new Date(nowMs).toISOString(),
      );
    }
    prepared(this.db, 'DELETE FROM dead_letters WHERE id = ?').run(letter.id);
  }

  async listAttempts(integrationId: string, limit: number): Promise<AttemptRecord[]> {
    const rows = prepared(
      this.db,
      'SELECT * FROM attempts WHERE integration_id = ? ORDER BY id DESC LIMIT ?',
    ).all(integrationId, limit) as AttemptRow[];
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      integrationId: row.integration_id,
      profileKey: row.profile_key,
      attempt: row.attempt,
      outcome: row.outcome as AttemptRecord['outcome'],
      status: row.status ?? undefined,
      error: row.error ? (JSON.parse(row.error) as DeliveryFailure) : undefined,
      latencyMs: row.latency_ms,
      exchanges: JSON.parse(row.exchanges) as AttemptRecord['exchanges'],
      at: row.at,
    }));
  }

  async queueDepths(): Promise<QueueDepth[]> {
    const rows = prepared(
      this.db,
      `SELECT i.id AS integration_id,
           (SELECT COUNT(*) FROM deliveries d WHERE d.integration_id = i.id
              AND d.state = 'waiting') AS waiting,
           (SELECT COUNT(*) FROM deliveries d WHERE d.integration_id = i.id
              AND d.state = 'in_flight') AS in_flight,
           (SELECT COUNT(*) FROM dead_letters l WHERE l.integration_id = i.id) AS dead
         FROM integrations i ORDER BY i.id`,
    ).all() as { integration_id: string; waiting: number; in_flight: number; dead: number }[];
    return rows.map((row) => ({
      integrationId: row.integration_id,
      waiting: row.waiting,
      inFlight: row.in_flight,
      deadLetters: row.dead,
    }));
  }

  async discardDeadLetters(ids: number[]): Promise<DeadLetter[]> {
    const { where, params } = deadLetterWhere({ ids });
    return this.db.transaction(() => {
      const rows = prepared(this.db, `SELECT * FROM dead_letters ${where}`).all(...params);
      prepared(this.db, `DELETE FROM dead_letters ${where}`).run(...params);
      return (rows as DeadLetterRow[]).map(toDeadLetter);
    })();
  }
}

interface InFlightRow {
  id: number;
  claim_id: string;
  integration_id: string;
  profile_key: string;
  attempts: number;
}

interface PipelineRow {
  body: string;
  hmac_secret: Buffer | null;
}

interface DeadLetterRow {
  id: number;
  integration_id: string;
  profile_key: string;
  attributes: string;
  message_ids: string;
  attempts: number;
  error: string;
  failed_at: string;
}

interface AttemptRow {
  delivery_id: number;
  integration_id: string;
  profile_key: string;
  attempt: number;
  outcome: string;
  status: number | null;
  error: string | null;
  latency_ms: number;
  exchanges: string;
  at: string;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    integrationId: row.integration_id,
    profileKey: row.profile_key,
    attributes: JSON.parse(row.attributes) as Record<string, unknown>,
    messageIds: JSON.parse(row.message_ids) as string[],
    attempts: row.attempts,
    error: JSON.parse(row.error) as DeliveryFailure,
    failedAt: row.failed_at,
  };
}

function deadLetterWhere(filter: DeadLetterFilter): { where: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  if (filter.integrationId !== undefined) {
    clauses.push('integration_id = ?');
    params.push(filter.integrationId);
  }
  if (filter.profileKey !== undefined) {
    clauses.push('profile_key = ?');
    params.push(filter.profileKey);
  }
  if (filter.ids !== undefined) {
    // One parameter for any number of ids, so the statement stays the same (and cached).
    clauses.push('id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.ids.map(Number).filter(Number.isInteger)));
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
