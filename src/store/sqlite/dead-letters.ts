/**
 * Dead letters in SQL: listing them, discarding them, and replaying them into the delivery queue
 * without ever bringing back a value that the vendor received later.
 */
import type { Database } from 'better-sqlite3';
import type { DeadLetter, DeadLetterFilter, DeliveryFailure } from '../types.js';
import { rememberMessages } from './delivery-queue.js';
import { prepared } from './statement-cache.js';

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

export function listDeadLetters(
  db: Database,
  filter: DeadLetterFilter,
  limit: number,
): DeadLetter[] {
  const { where, params } = deadLetterWhere(filter);
  const rows = prepared(db, `SELECT * FROM dead_letters ${where} ORDER BY id DESC LIMIT ?`).all(
    ...params,
    limit,
  ) as DeadLetterRow[];
  return rows.map(toDeadLetter);
}

/** Moves matching dead letters back into the queue, newest first; returns how many. */
export function replayDeadLetters(db: Database, filter: DeadLetterFilter): number {
  const { where, params } = deadLetterWhere(filter);

  return db.transaction(() => {
    const rows = prepared(db, `SELECT * FROM dead_letters ${where} ORDER BY id DESC`).all(
      ...params,
    ) as DeadLetterRow[];
    for (const row of rows) requeue(db, toDeadLetter(row));
    return rows.length;
  })();
}

/** Deletes these dead letters and returns them. */
export function discardDeadLetters(db: Database, ids: number[]): DeadLetter[] {
  const { where, params } = deadLetterWhere({ ids });

  return db.transaction(() => {
    const rows = prepared(db, `SELECT * FROM dead_letters ${where}`).all(...params);
    prepared(db, `DELETE FROM dead_letters ${where}`).run(...params);
    return (rows as DeadLetterRow[]).map(toDeadLetter);
  })();
}

/**
 * A replayed letter goes under any waiting intent for its key, so newer values win. It also
 * loses every attribute the vendor received a different value for after the letter failed:
 * that value came from a later event, and resending the letter's would bring back stale data.
 */
function requeue(db: Database, letter: DeadLetter): void {
  const nowMs = Date.now();
  const attributes = withoutSuperseded(db, letter);
  const waiting = prepared(
    db,
    `SELECT id, attributes, message_ids FROM deliveries
       WHERE integration_id = ? AND profile_key = ? AND state = 'waiting'`,
  ).get(letter.integrationId, letter.profileKey) as
    { id: number; attributes: string; message_ids: string } | undefined;

  if (waiting) {
    const merged = { ...attributes, ...JSON.parse(waiting.attributes) };
    const messages = rememberMessages(letter.messageIds, JSON.parse(waiting.message_ids));
    prepared(
      db,
      `UPDATE deliveries SET attributes = ?, message_ids = ?, next_attempt_at = ? WHERE id = ?`,
    ).run(JSON.stringify(merged), JSON.stringify(messages), nowMs, waiting.id);
  } else {
    prepared(
      db,
      `INSERT INTO deliveries (integration_id, profile_key, state, attributes, message_ids,
           next_attempt_at, created_at) VALUES (?, ?, 'waiting', ?, ?, ?, ?)`,
    ).run(
      letter.integrationId,
      letter.profileKey,
      JSON.stringify(attributes),
      JSON.stringify(letter.messageIds),
      nowMs,
      new Date(nowMs).toISOString(),
    );
  }

  prepared(db, 'DELETE FROM dead_letters WHERE id = ?').run(letter.id);
}

function withoutSuperseded(db: Database, letter: DeadLetter): Record<string, unknown> {
  const held = prepared(
    db,
    `SELECT attributes, attribute_times FROM delivered_state
       WHERE integration_id = ? AND profile_key = ?`,
  ).get(letter.integrationId, letter.profileKey) as
    { attributes: string; attribute_times: string } | undefined;
  if (!held) return letter.attributes;

  const values = JSON.parse(held.attributes) as Record<string, unknown>;
  const times = JSON.parse(held.attribute_times) as Record<string, number>;
  const failedAtMs = Date.parse(letter.failedAt);

  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(letter.attributes)) {
    const replaced = (times[name] ?? 0) > failedAtMs;
    const same = JSON.stringify(values[name]) === JSON.stringify(value);
    // An equal value is kept: it may be the profile key, which every write must carry.
    if (!replaced || same) kept[name] = value;
  }
  return kept;
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
