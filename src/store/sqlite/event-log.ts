/**
 * The event log of the embedded store, in a SQLite file of its own beside the main one.
 *
 * SQLite lets one connection write a file at a time. With the log in the main file, the
 * gateway's appends would queue behind the processor's and the delivery workers' transactions,
 * blocking the gateway's event loop while waiting. In its own file the log has a single writer,
 * the gateway's (`log-writer.ts`), and readers never block it in WAL mode.
 */
import type { Database } from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../../observability/logger.js';
import { RecentMessageIds } from '../recent-message-ids.js';
import type { EventToAppend, StoredEvent } from '../types.js';
import { configureLogConnection } from './log-connection.js';
import { LogWriter } from './log-writer.js';
import { LOG_MIGRATIONS, migrate } from './migrate.js';
import { prepared } from './statement-cache.js';

/** The log's file for a main file: `signal.db` → `signal-events.db`. */
export function eventLogPath(mainPath: string): string {
  return mainPath.endsWith('.db') ? `${mainPath.slice(0, -3)}-events.db` : `${mainPath}-events`;
}

export class SqliteEventLog {
  private readonly writer: LogWriter;

  /**
   * `db` is this connection's, for reads and retention. `synchronous` decides how the writer's
   * commits reach the disk: `full` syncs every commit, so an acknowledged event survives a
   * power cut; `normal` survives a crash of the process only.
   */
  constructor(
    private readonly db: Database,
    path: string,
    synchronous: 'full' | 'normal',
    logger?: Logger,
  ) {
    configureLogConnection(db);
    migrate(db, LOG_MIGRATIONS);

    this.writer = new LogWriter({ path, synchronous }, logger);
  }

  static open(path: string, synchronous: 'full' | 'normal', logger?: Logger): SqliteEventLog {
    return new SqliteEventLog(new BetterSqlite3(path), path, synchronous, logger);
  }

  /** Resolves once the events are durable; appends of one turn of the loop share a commit. */
  append(events: EventToAppend[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return this.writer.append(events);
  }

  /** Events after `afterSeq`, in order. */
  read(afterSeq: number, limit: number): StoredEvent[] {
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

  /**
   * The message ids of the last `capacity` events through `throughSeq` (those processed), in the
   * order they came, for dedupe after a restart. SQLite reads the ids out of the bodies.
   */
  recentMessageIds(throughSeq: number, capacity: number): RecentMessageIds {
    const recent = new RecentMessageIds(capacity);
    const rows = prepared(
      this.db,
      `SELECT pipeline_id, message_id FROM (
         SELECT seq, pipeline_id, json_extract(body, '$.messageId') AS message_id FROM events
           WHERE seq <= ? ORDER BY seq DESC LIMIT ?)
       ORDER BY seq`,
    ).iterate(throughSeq, capacity) as IterableIterator<{
      pipeline_id: string;
      message_id: unknown;
    }>;

    for (const row of rows) {
      if (typeof row.message_id === 'string') recent.add(row.pipeline_id, row.message_id);
    }
    return recent;
  }

  /**
   * Deletes processed events (up to `throughSeq`) received before `beforeMs`, a bounded number at
   * a time so that the gateway's appends never wait long behind it; returns how many went.
   */
  prune(throughSeq: number, beforeMs: number, limit: number): number {
    return prepared(
      this.db,
      `DELETE FROM events WHERE seq IN (
         SELECT seq FROM events WHERE seq <= ? AND received_at < ? ORDER BY seq LIMIT ?)`,
    ).run(throughSeq, beforeMs, limit).changes;
  }

  /** Lets the appends in progress finish, then closes the writer and this connection. */
  async close(): Promise<void> {
    await this.writer.close();
    this.db.close();
  }
}

/**
 * Moves the events of a main file written before the log had its own file into the log, once.
 * Copies first and drops after, so an interruption between the two only copies again (the
 * positions are kept, and a position already copied is skipped).
 */
export function moveLegacyEvents(main: Database, logPath: string): number {
  const legacy = main
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'`)
    .get();
  if (!legacy) return 0;

  main.prepare('ATTACH DATABASE ? AS log').run(logPath);
  try {
    return main.transaction(() => {
      const copied = main
        .prepare(
          `INSERT OR IGNORE INTO log.events (seq, pipeline_id, body, received_at)
             SELECT seq, pipeline_id, body, CAST(unixepoch('now') AS INTEGER) * 1000
             FROM main.events`,
        )
        .run().changes;
      main.exec('DROP TABLE main.events');
      return copied;
    })();
  } finally {
    main.exec('DETACH DATABASE log');
  }
}
