/**
 * Applies the versioned schema files of a folder that a database has not seen yet, each in its
 * own transaction, so a file opened by an older Signal is brought up to date on start. The main
 * file takes `migrations/`, the event log's file `log-migrations/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

const HERE = dirname(fileURLToPath(import.meta.url));

export const MAIN_MIGRATIONS = join(HERE, 'migrations');
export const LOG_MIGRATIONS = join(HERE, 'log-migrations');

export function migrate(db: Database, directory: string): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => (row as { version: number }).version),
  );

  const pending = readdirSync(directory)
    .filter((file) => /^\d+-.+\.sql$/.test(file))
    .map((file) => ({ version: Number.parseInt(file, 10), file }))
    .filter((migration) => !applied.has(migration.version))
    .sort((a, b) => a.version - b.version);

  for (const { version, file } of pending) {
    const sql = readFileSync(join(directory, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        version,
        new Date().toISOString(),
      );
    })();
  }

  return pending.map((migration) => migration.version);
}
