/**
 * Prepared statements, compiled once per connection and SQL text. Compiling a statement costs
 * more than running it, and the queue runs the same few statements for every delivery.
 */
import type { Database, Statement } from 'better-sqlite3';
import { memoPerOwner } from '../../core/memo-per-owner.js';

export const prepared: (db: Database, sql: string) => Statement = memoPerOwner(
  (db: Database, sql) => db.prepare(sql),
);
