/** How every connection to the event log's file is set up, the writer thread's and the readers'. */
import type { Database } from 'better-sqlite3';

/**
 * Pages of write-ahead log after which a connection copies them back into the file on its own.
 * Far above SQLite's default (1,000): normally the reader does it (see `SqliteEventLog.read`),
 * and a checkpoint the writer ran on every commit while the processor kept reading would cost
 * it a third of its time without ever emptying the log.
 */
const AUTO_CHECKPOINT_PAGES = 50_000;

/** `synchronous` matters to the writer only: how its commits reach the disk. */
export function configureLogConnection(db: Database, synchronous?: 'full' | 'normal'): void {
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  if (synchronous) db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
}
