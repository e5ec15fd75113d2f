/**
 * The delivery queue in SQL: one waiting and at most one in-flight row per
 * (integration, profile key). Every function runs inside the caller's transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { prepared } from './statement-cache.js';
import type {
  AttemptRecord,
  ClaimedDelivery,
  DeliveryFailure,
  IntentFate,
  IntentInput,
} from '../types.js';

/** How many message ids an intent remembers; older ones are summarised by the count. */
const MAX_REMEMBERED_MESSAGES = 50;

interface DeliveryRow {
  id: number;
  integration_id: string;
  profile_key: string;
  attributes: string;
  message_ids: string;
  attempts: number;
  next_attempt_at: number;
  claim_id: string | null;
  created_at: string;
}

export function toClaimed(row: DeliveryRow): ClaimedDelivery {
  return {
    id: row.id,
    claimId: row.claim_id ?? '',
    integrationId: row.integration_id,
    profileKey: row.profile_key,
    attributes: JSON.parse(row.attributes) as Record<string, unknown>,
    messageIds: JSON.parse(row.message_ids) as string[],
    attempts: row.attempts,
    createdAt: row.created_at,
  };
}

export function rememberMessages(older: string[], newer: string[]): string[] {
  const all = [...older, ...newer];
  return all.length > MAX_REMEMBERED_MESSAGES ? all.slice(-MAX_REMEMBERED_MESSAGES) : all;
}

function findRow(db: Database, integrationId: string, key: string, state: string) {
  return prepared(
    db,
    `SELECT * FROM deliveries WHERE integration_id = ? AND profile_key = ? AND state = ?`,
  ).get(integrationId, key, state) as DeliveryRow | undefined;
}

/** True when every attribute of the intent already has that value at the vendor. */
function isUnchanged(db: Database, intent: IntentInput, nowMs: number): boolean {
  if (intent.unchangedMaxAgeMs === null) return false;

  const row = prepared(
    db,
    `SELECT attributes, delivered_at FROM delivered_state
       WHERE integration_id = ? AND profile_key = ?`,
  ).get(intent.integrationId, intent.profileKey) as
    { attributes: string; delivered_at: number } | undefined;
  if (!row || nowMs - row.delivered_at > intent.unchangedMaxAgeMs) return false;

  const delivered = JSON.parse(row.attributes) as Record<string, unknown>;
  return Object.entries(intent.attributes).every(
    ([name, value]) => JSON.stringify(delivered[name]) === JSON.stringify(value),
  );
}

/** Merges an intent into the queue: into the waiting row, as a new row, or not at all. */
export function enqueueIntent(db: Database, intent: IntentInput, nowMs: number): IntentFate {
  const waiting = findRow(db, intent.integrationId, intent.profileKey, 'waiting');
  if (waiting) {
    const merged = { ...JSON.parse(waiting.attributes), ...intent.attributes };
    const messages = rememberMessages(JSON.parse(waiting.message_ids), [intent.messageId]);
    prepared(db, `UPDATE deliveries SET attributes = ?, message_ids = ? WHERE id = ?`).run(
      JSON.stringify(merged),
      JSON.stringify(messages),
      waiting.id,
    );
    return 'merged';
  }

  const inFlight = findRow(db, intent.integrationId, intent.profileKey, 'in_flight');
  if (!inFlight && isUnchanged(db, intent, nowMs)) return 'unchanged';

  prepared(
    db,
    `INSERT INTO deliveries
       (integration_id, profile_key, state, attributes, message_ids, next_attempt_at, created_at)
     VALUES (?, ?, 'waiting', ?, ?, ?, ?)`,
  ).run(
    intent.integrationId,
    intent.profileKey,
    JSON.stringify(intent.attributes),
    JSON.stringify([intent.messageId]),
    nowMs,
    new Date(nowMs).toISOString(),
  );
  return 'queued';
}

/**
 * Puts an in-flight row back in the waiting state. When a newer intent waits for the same key,
 * the two become one: the newer values win, so a retry never brings back stale data.
 */
export function returnToWaiting(
  db: Database,
  row: { id: number; claimId: string; integrationId: string; profileKey: string },
  attempts: number,
  nextAttemptAt: number,
  lastError: string | null,
): void {
  const current = findClaimed(db, row);
  if (!current) return;

  const waiting = findRow(db, row.integrationId, row.profileKey, 'waiting');
  if (!waiting) {
    prepared(
      db,
      `UPDATE deliveries SET state = 'waiting', attempts = ?, next_attempt_at = ?,
         lease_until = NULL, last_error = ? WHERE id = ?`,
    ).run(attempts, nextAttemptAt, lastError, row.id);
    return;
  }

  const merged = { ...JSON.parse(current.attributes), ...JSON.parse(waiting.attributes) };
  const messages = rememberMessages(
    JSON.parse(current.message_ids),
    JSON.parse(waiting.message_ids),
  );
  prepared(db, `DELETE FROM deliveries WHERE id = ?`).run(row.id);
  prepared(
    db,
    `UPDATE deliveries SET attributes = ?, message_ids = ?, attempts = ?,
       next_attempt_at = MAX(next_attempt_at, ?), last_error = ?, created_at = ? WHERE id = ?`,
  ).run(
    JSON.stringify(merged),
    JSON.stringify(messages),
    attempts,
    nextAttemptAt,
    lastError,
    current.created_at,
    waiting.id,
  );
}

/** The row still held by this claim, or undefined when the claim expired meanwhile. */
function findClaimed(db: Database, claim: { id: number; claimId: string }) {
  return prepared(
    db,
    `SELECT * FROM deliveries WHERE id = ? AND state = 'in_flight' AND claim_id = ?`,
  ).get(claim.id, claim.claimId) as DeliveryRow | undefined;
}

/** Hands claimed rows back unsent, no attempt counted, due at `nowMs`. */
export function releaseClaims(db: Database, deliveries: ClaimedDelivery[], nowMs: number): void {
  db.transaction(() => {
    for (const delivery of deliveries) {
      returnToWaiting(db, delivery, delivery.attempts, nowMs, 'released unsent');
    }
  })();
}

/** Hands every claim back (after a restart of the only deliverer); returns how many. */
export function releaseEveryClaim(db: Database, nowMs: number): number {
  const rows = prepared(
    db,
    `SELECT id, claim_id, integration_id, profile_key, attempts FROM deliveries
       WHERE state = 'in_flight'`,
  ).all() as DeliveryRow[];

  db.transaction(() => unclaim(db, rows, nowMs, 'interrupted by a restart'))();
  return rows.length;
}

/** Puts in-flight rows whose claim is void back in the waiting state, their attempts kept. */
function unclaim(db: Database, rows: DeliveryRow[], nowMs: number, why: string): void {
  for (const row of rows) {
    const ref = {
      id: row.id,
      claimId: row.claim_id ?? '',
      integrationId: row.integration_id,
      profileKey: row.profile_key,
    };
    returnToWaiting(db, ref, row.attempts, nowMs, why);
  }
}

export function claimDue(
  db: Database,
  integrationId: string,
  limit: number,
  leaseMs: number,
  nowMs: number,
): ClaimedDelivery[] {
  const expired = prepared(
    db,
    `SELECT id, claim_id, integration_id, profile_key, attempts FROM deliveries
       WHERE integration_id = ? AND state = 'in_flight' AND lease_until < ?`,
  ).all(integrationId, nowMs) as DeliveryRow[];
  unclaim(db, expired, nowMs, 'claim expired before the call finished');

  const due = prepared(
    db,
    `SELECT * FROM deliveries AS d
       WHERE d.integration_id = ? AND d.state = 'waiting' AND d.next_attempt_at <= ?
         AND NOT EXISTS (SELECT 1 FROM deliveries AS f
                         WHERE f.integration_id = d.integration_id
                           AND f.profile_key = d.profile_key AND f.state = 'in_flight')
       ORDER BY d.next_attempt_at, d.id
       LIMIT ?`,
  ).all(integrationId, nowMs, limit) as DeliveryRow[];

  const claim = prepared(
    db,
    `UPDATE deliveries SET state = 'in_flight', lease_until = ?, claim_id = ? WHERE id = ?`,
  );
  for (const row of due) {
    row.claim_id = randomUUID();
    claim.run(nowMs + leaseMs, row.claim_id, row.id);
  }

  return due.map(toClaimed);
}

export function recordAttempt(db: Database, attempt: AttemptRecord): void {
  prepared(
    db,
    `INSERT INTO attempts (delivery_id, integration_id, profile_key, attempt, outcome, status,
       error, latency_ms, exchanges, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    attempt.deliveryId,
    attempt.integrationId,
    attempt.profileKey,
    attempt.attempt,
    attempt.outcome,
    attempt.status ?? null,
    attempt.error ? JSON.stringify(attempt.error) : null,
    attempt.latencyMs,
    JSON.stringify(attempt.exchanges),
    attempt.at,
  );
}

export function markDelivered(db: Database, delivery: ClaimedDelivery, nowMs: number): void {
  // A late success still updates what the vendor holds, but the row now belongs to a newer claim.
  prepared(db, `DELETE FROM deliveries WHERE id = ? AND state = 'in_flight' AND claim_id = ?`).run(
    delivery.id,
    delivery.claimId,
  );

  const previous = prepared(
    db,
    `SELECT attributes, attribute_times FROM delivered_state
       WHERE integration_id = ? AND profile_key = ?`,
  ).get(delivery.integrationId, delivery.profileKey) as
    { attributes: string; attribute_times: string } | undefined;
  const held = { ...(previous ? JSON.parse(previous.attributes) : {}), ...delivery.attributes };
  const times: Record<string, number> = previous ? JSON.parse(previous.attribute_times) : {};
  for (const name of Object.keys(delivery.attributes)) times[name] = nowMs;

  prepared(
    db,
    `INSERT INTO delivered_state (integration_id, profile_key, attributes, attribute_times,
       delivered_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (integration_id, profile_key) DO UPDATE SET attributes = excluded.attributes,
       attribute_times = excluded.attribute_times, delivered_at = excluded.delivered_at`,
  ).run(
    delivery.integrationId,
    delivery.profileKey,
    JSON.stringify(held),
    JSON.stringify(times),
    nowMs,
  );
}

export function moveToDeadLetter(
  db: Database,
  delivery: ClaimedDelivery,
  attempts: number,
  error: DeliveryFailure,
  at: string,
): void {
  if (!findClaimed(db, delivery)) return;

  prepared(db, `DELETE FROM deliveries WHERE id = ?`).run(delivery.id);
  prepared(
    db,
    `INSERT INTO dead_letters (integration_id, profile_key, attributes, message_ids, attempts,
       error, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    delivery.integrationId,
    delivery.profileKey,
    JSON.stringify(delivery.attributes),
    JSON.stringify(delivery.messageIds),
    attempts,
    JSON.stringify(error),
    at,
  );
}
