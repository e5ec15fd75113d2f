import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';

import { SecretBox } from '../secret-box.js';
import type { SignalEvent } from '../../core/envelope.js';
import type { EventToAppend, ProcessingCommit, Profile } from '../types.js';
import { openSqliteStore } from './sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'signal-store-'));
const secretBox = new SecretBox(randomBytes(32));
let nextDatabase = 0;

after(() => rmSync(root, { recursive: true, force: true }));

function freshPath(): string {
  nextDatabase += 1;
  return join(root, `db-${nextDatabase}.db`);
}

/** A processing step that writes nothing but what `parts` says. */
function step(parts: Partial<ProcessingCommit>): ProcessingCommit {
  return {
    cursor: 0,
    seen: [],
    profiles: [],
    mergedProfileIds: [],
    intents: [],
    drops: [],
    at: '2024-05-01T10:00:00.000Z',
    ...parts,
  };
}

function trackEvent(messageId: string): EventToAppend {
  const event: SignalEvent = {
    type: 'track',
    event: 'Product Viewed',
    properties: {},
    traits: {},
    context: {},
    timestamp: '2024-05-01T10:00:00.000Z',
    messageId,
    receivedAt: '2024-05-01T10:00:00.100Z',
  };
  return { pipelineId: 'pl-1', event };
}

function anonymousProfile(anonymousId: string): Profile {
  return {
    id: `anon:${anonymousId}`,
    anonymousIds: [anonymousId],
    traits: { plan: 'free' },
    updatedAt: '2024-05-01T10:00:00.000Z',
  };
}

function userProfile(userId: string, anonymousIds: string[]): Profile {
  return {
    id: `user:${userId}`,
    userId,
    anonymousIds,
    traits: { email: 'ada@example.com', plan: 'free' },
    updatedAt: '2024-05-01T10:05:00.000Z',
  };
}

describe('SqliteStore.commitProcessing', () => {
  it('advances the cursor from zero', async () => {
    const store = await openSqliteStore({ path: freshPath(), secretBox });
    const initial = await store.readCursor();

    await store.commitProcessing(step({ cursor: 7 }));
    await store.commitProcessing(step({ cursor: 12 }));

    assert.equal(initial, 0);
    assert.equal(await store.readCursor(), 12);
    await store.close();
  });

  it('remembers handled message ids per pipeline', async () => {
    const store = await openSqliteStore({ path: freshPath(), secretBox });
    await store.commitProcessing(
      step({
        seen: [
          { pipelineId: 'pl-1', messageId: 'm1' },
          { pipelineId: 'pl-1', messageId: 'm2' },
        ],
      }),
    );

    const inPipeline = await store.findSeenMessageIds('pl-1', ['m1', 'm2', 'm3']);
    const inOther = await store.findSeenMessageIds('pl-2', ['m1']);
    await store.close();

    assert.deepEqual(inPipeline, new Set(['m1', 'm2']));
    assert.deepEqual(inOther, new Set());
  });

  it('remembers after a restart the message ids of the events processed, and of no others', async () => {
    const path = freshPath();
    const first = await openSqliteStore({ path, secretBox });
    await first.appendEvents(['m1', 'm2', 'm3'].map((messageId) => trackEvent(messageId)));
    const [, second] = await first.readEvents(0, 10);
    await first.commitProcessing(
      step({
        cursor: second!.seq,
        seen: ['m1', 'm2'].map((messageId) => ({ pipelineId: 'pl-1', messageId })),
      }),
    );
    await first.close();

    const reopened = await openSqliteStore({ path, secretBox });
    const seen = await reopened.findSeenMessageIds('pl-1', ['m1', 'm2', 'm3']);
    const elsewhere = await reopened.findSeenMessageIds('pl-2', ['m1']);
    await reopened.close();

    assert.deepEqual(seen, new Set(['m1', 'm2']), 'm3 is after the cursor: not processed yet');
    assert.deepEqual(elsewhere, new Set());
  });

  it('finds a saved profile by user id and by each linked anonymous id', async () => {
    const store = await openSqliteStore({ path: freshPath(), secretBox });
    const ada = userProfile('u1', ['a1', 'a2']);
    await store.commitProcessing(step({ profiles: [ada] }));

    const byUser = await store.findProfiles({ userIds: ['u1'], anonymousIds: [] });
    const byAnonymous = await store.findProfiles({ userIds: [], anonymousIds: ['a2'] });
    const byBoth = await store.findProfiles({ userIds: ['u1'], anonymousIds: ['a1', 'a2'] });
    const unknown = await store.findProfiles({ userIds: ['u9'], anonymousIds: ['a9'] });
    await store.close();

    assert.deepEqual(byUser, [ada]);
    assert.deepEqual(byAnonymous, [ada]);
    assert.deepEqual(byBoth, [ada]);
    assert.deepEqual(unknown, []);
  });

  it('removes a merged anonymous profile and links its anonymous id to the user', async () => {
    const path = freshPath();
    const store = await openSqliteStore({ path, secretBox });
    await store.commitProcessing(step({ profiles: [anonymousProfile('a1')] }));
    const beforeLogin = await store.findProfiles({ userIds: [], anonymousIds: ['a1'] });
    const ada = userProfile('u1', ['a1']);

    await store.commitProcessing(step({ profiles: [ada], mergedProfileIds: ['anon:a1'] }));
    const afterLogin = await store.findProfiles({ userIds: [], anonymousIds: ['a1'] });
    await store.close();

    assert.deepEqual(beforeLogin, [anonymousProfile('a1')]);
    assert.deepEqual(afterLogin, [ada]);
    const db = new BetterSqlite3(path, { readonly: true });
    const ids = db.prepare('SELECT id FROM profiles ORDER BY id').all();
    db.close();
    assert.deepEqual(ids, [{ id: 'user:u1' }]);
  });

  it('records the drops of the step', async () => {
    const path = freshPath();
    const store = await openSqliteStore({ path, secretBox });
    const at = '2024-05-01T10:00:00.000Z';

    await store.commitProcessing(
      step({
        drops: [
          { messageId: 'm1', pipelineId: 'pl-1', integrationId: 'int-1', reason: 'consent', at },
          { messageId: 'm2', pipelineId: 'pl-1', reason: 'duplicate', at },
        ],
      }),
    );
    await store.close();

    const db = new BetterSqlite3(path, { readonly: true });
    const drops = db
      .prepare('SELECT message_id, pipeline_id, integration_id, reason, at FROM drops ORDER BY id')
      .all();
    db.close();
    assert.deepEqual(drops, [
      { message_id: 'm1', pipeline_id: 'pl-1', integration_id: 'int-1', reason: 'consent', at },
      { message_id: 'm2', pipeline_id: 'pl-1', integration_id: null, reason: 'duplicate', at },
    ]);
  });

  it('writes nothing of a step that fails part way', async () => {
    const store = await openSqliteStore({ path: freshPath(), secretBox });
    await store.commitProcessing(step({ cursor: 3 }));
    const unwritable = {
      messageId: 'm2',
      pipelineId: 'pl-1',
      reason: null as unknown as string,
      at: '2024-05-01T10:00:00.000Z',
    };

    const failing = store.commitProcessing(
      step({
        cursor: 9,
        seen: [{ pipelineId: 'pl-1', messageId: 'm1' }],
        profiles: [userProfile('u1', ['a1'])],
        drops: [unwritable],
      }),
    );

    await assert.rejects(failing);
    assert.equal(await store.readCursor(), 3);
    assert.deepEqual(await store.findSeenMessageIds('pl-1', ['m1']), new Set());
    assert.deepEqual(await store.findProfiles({ userIds: ['u1'], anonymousIds: ['a1'] }), []);
    await store.close();
  });
});
