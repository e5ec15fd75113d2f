/**
 * Retention in SQL: processed events, delivery attempts (which hold the vendor exchanges) and
 * drop records older than the policy are deleted, a bounded batch per table and call, so that no
 * other writer waits long behind a cleanup.
 */
import { closeSync, fdatasyncSync, openSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { PruneReport, RetentionPolicy } from '../types.js';
import type { SqliteEventLog } from './event-log.js';
import { readCursor } from './processing-state.js';
import { prepared } from './statement-cache.js';

export function pruneHistory(
  db: Database,
  log: SqliteEventLog,
  policy: RetentionPolicy,
  nowMs: number,
): PruneReport {
  const before = nowMs - policy.maxAgeMs;
  const beforeIso = new Date(before).toISOString();
  const limit = policy.batchSize;

  // Only events the processor has read may go: the rest are still work to do.
  const cursor = readCursor(db);
  syncWriteAheadLog(db);
  const events = log.prune(cursor, before, limit);
  const attempts = prepared(
    db,
    `DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE at < ? ORDER BY id LIMIT ?)`,
  );
  const drops = prepared(
    db,
    `DELETE FROM drops WHERE id IN (SELECT id FROM drops WHERE at < ? ORDER BY id LIMIT ?)`,
  );

  return {
    events,
    attempts: attempts.run(beforeIso, limit).changes,
    drops: drops.run(beforeIso, limit).changes,
  };
}

/**
 * The processing cursor is committed with `synchronous = NORMAL`: a power cut may take back its
 * latest moves, until the write-ahead log next reaches the disk. Events are deleted only behind
 * a cursor that is on disk, or the cursor could come back behind events that are gone. Without
 * a write-ahead log file, every commit is in the database file, synced when it was checkpointed.
 */
function syncWriteAheadLog(db: Database): void {
  // SQLite's own name for the file: absolute, with symbolic links resolved, as its log's is.
  const main = (db.pragma('database_list') as { name: string; file: string }[]).find(
    (database) => database.name === 'main',
  );
  if (!main?.file) return;

  let fd: number;
  try {
    fd = openSync(`${main.file}-wal`, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }

  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
