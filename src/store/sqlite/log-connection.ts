/** How every connection to the event log's file is set up, the writer's and the readers'. */
import type { Database } from 'better-sqlite3';

/**
 * Pages of write-ahead log after which the writer copies them back into the file (SQLite's own
 * default). The writer must be the one: SQLite starts the log over only when a checkpoint has
 * caught up with the last commit, which a reader's checkpoint never does while appends keep
 * coming. Under steady load the log then grew without end (87 MB in 10 s of the benchmark), and
 * every commit that grew it paid for a journal commit of the file system besides its own sync.
 * Checkpointed by the writer, it stays near 4 MB and its commits overwrite space already there.
 */
const WRITER_CHECKPOINT_PAGES = 1_000;

/**
 * `synchronous` is given for the writer only: how its commits reach the disk. Readers never
 * checkpoint on their own (their rare commits, retention's deletions, leave it to the writer).
 */
export function configureLogConnection(db: Database, synchronous?: 'full' | 'normal'): void {
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  if (synchronous) {
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  } else {
    db.pragma('wal_autocheckpoint = 0');
  }
}
