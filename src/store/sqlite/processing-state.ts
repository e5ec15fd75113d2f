/**
 * What the processor reads and writes in SQL: the log cursor, the visitors' profiles and
 * identity links, and the atomic commit of one processed batch. (The message ids already seen
 * are kept in memory, see `RecentMessageIds`.)
 */
import type { Database } from 'better-sqlite3';
import type { IntentFate, ProcessingCommit, Profile } from '../types.js';
import { enqueueIntent } from './delivery-queue.js';
import { prepared } from './statement-cache.js';

export function readCursor(db: Database): number {
  const row = prepared(db, `SELECT seq FROM cursors WHERE name = 'process'`).get() as
    { seq: number } | undefined;
  return row?.seq ?? 0;
}

export function findProfiles(
  db: Database,
  lookup: { userIds: string[]; anonymousIds: string[] },
): Profile[] {
  const ids = new Set(lookup.userIds.map((userId) => `user:${userId}`));
  const link = prepared(db, 'SELECT profile_id FROM identity_links WHERE anonymous_id = ?');
  for (const anonymousId of lookup.anonymousIds) {
    const row = link.get(anonymousId) as { profile_id: string } | undefined;
    if (row) ids.add(row.profile_id);
  }

  const read = prepared(db, 'SELECT body FROM profiles WHERE id = ?');
  const profiles: Profile[] = [];
  for (const id of ids) {
    const row = read.get(id) as { body: string } | undefined;
    if (row) profiles.push(JSON.parse(row.body) as Profile);
  }
  return profiles;
}

/** Writes one processed batch: profiles, drops, intents and the cursor. */
export function commitProcessing(db: Database, commit: ProcessingCommit): IntentFate[] {
  const nowMs = Date.parse(commit.at);

  return db.transaction(() => {
    const removeProfile = prepared(db, 'DELETE FROM profiles WHERE id = ?');
    for (const id of commit.mergedProfileIds) removeProfile.run(id);
    saveProfiles(db, commit.profiles);

    const saveDrop = prepared(
      db,
      `INSERT INTO drops (message_id, pipeline_id, integration_id, reason, at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    for (const drop of commit.drops) {
      saveDrop.run(
        drop.messageId,
        drop.pipelineId,
        drop.integrationId ?? null,
        drop.reason,
        drop.at,
      );
    }

    const fates = commit.intents.map((intent) => enqueueIntent(db, intent, nowMs));

    prepared(
      db,
      `INSERT INTO cursors (name, seq) VALUES ('process', ?)
         ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`,
    ).run(commit.cursor);
    return fates;
  })();
}

function saveProfiles(db: Database, profiles: Profile[]): void {
  const saveProfile = prepared(
    db,
    `INSERT INTO profiles (id, body, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
  );
  const saveLink = prepared(
    db,
    `INSERT INTO identity_links (anonymous_id, profile_id) VALUES (?, ?)
     ON CONFLICT (anonymous_id) DO UPDATE SET profile_id = excluded.profile_id`,
  );

  for (const profile of profiles) {
    saveProfile.run(profile.id, JSON.stringify(profile), profile.updatedAt);
    for (const anonymousId of profile.anonymousIds) saveLink.run(anonymousId, profile.id);
  }
}
