/**
 * What the delivery queue holds and has done, read for the workers (when the next intent is
 * due), for `/metrics` (queue depths) and for the Management API (recent attempts).
 */
import type { Database } from 'better-sqlite3';
import type { AttemptRecord, DeliveryFailure, QueueDepth } from '../types.js';
import { prepared } from './statement-cache.js';

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

/** When the next waiting intent whose key has no call in flight is due. */
export function nextDueAt(db: Database, integrationId: string): Date | undefined {
  const row = prepared(
    db,
    `SELECT MIN(d.next_attempt_at) AS due FROM deliveries AS d
       WHERE d.integration_id = ? AND d.state = 'waiting'
         AND NOT EXISTS (SELECT 1 FROM deliveries AS f
                         WHERE f.integration_id = d.integration_id
                           AND f.profile_key = d.profile_key AND f.state = 'in_flight')`,
  ).get(integrationId) as { due: number | null };
  return row.due === null ? undefined : new Date(row.due);
}

export function queueDepths(db: Database): QueueDepth[] {
  const rows = prepared(
    db,
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

/** The latest attempts of an integration, newest first. */
export function listAttempts(db: Database, integrationId: string, limit: number): AttemptRecord[] {
  const rows = prepared(
    db,
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
