/**
 * Retention in SQL: processed events, delivery attempts (which hold the vendor exchanges) and
 * drop records older than the policy are deleted, a bounded batch per table and call, so that no
 * other writer waits long behind a cleanup.
 */
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
  const events = log.prune(readCursor(db), before, limit);
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
