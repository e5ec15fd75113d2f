import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';

import type { SignalEvent } from '../../core/envelope.js';
import { SecretBox } from '../secret-box.js';
import type { EventToAppend } from '../types.js';
import { eventLogPath } from './event-log.js';
import { openSqliteStore } from './sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'signal-store-'));
const secretBox = new SecretBox(randomBytes(32));
let nextDatabase = 0;

after(() => rmSync(root, { recursive: true, force: true }));

function freshPath(): string {
  nextDatabase += 1;
  return join(root, `db-${nextDatabase}.db`);
}

function appended(messageId: string, pipelineId = 'pl-1'): EventToAppend {
  const event: SignalEvent = {
    type: 'track',
    event: 'Product Viewed',
    properties: { sku: messageId },
    traits: {},
    context: {},
    timestamp: '2024-05-01T10:00:00.000Z',
    messageId,
    receivedAt: '2024-05-01T10:00:00.100Z',
  };
  return { pipelineId, event };
}

/** WAL frames written since the last call: each separate commit writes at least one. */
function walFrameCounter(path: string) {
  const probe = new BetterSqlite3(path);
  probe.pragma('wal_checkpoint(TRUNCATE)');

  return {
    framesSinceLastRead(): number {
      const [status] = probe.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      probe.pragma('wal_checkpoint(TRUNCATE)');
      return status?.log ?? 0;
    },
    close: () => probe.close(),
  };
}

describe('SqliteStore.appendEvents', () => {
  it('reads appended events back in order with increasing positions', async () => {
    const store = await openSqliteStore({ path: freshPath(), secretBox });
    await store.appendEvents([appended('m1'), appended('m2', 'pl-2')]);
    await store.appendEvents([appended('m3')]);

    const all = await store.readEvents(0, 10);
    const afterFirst = await store.readEvents(all[0]?.seq ?? 0, 1);
    await store.close();

    assert.deepEqual(
      all.map(({ event }) => event.messageId),
      ['m1', 'm2', 'm3'],
    );
    assert.deepEqual(all[1], { seq: all[1]?.seq, ...appended('m2', 'pl-2') });
    assert.ok(all.every((stored, i) => i === 0 || stored.seq > (all[i - 1]?.seq ?? 0)));
    assert.deepEqual(
      afterFirst.map(({ event }) => event.messageId),
      ['m2'],
    );
  });

  it('stores every event of two hundred concurrent appends', async () => {
    const store = await openSqliteStore({ path: freshPath(), secretBox });
    const ids = Array.from({ length: 200 }, (_, i) => `m${i}`);

    await Promise.all(ids.map((id) => store.appendEvents([appended(id)])));
    const stored = await store.readEvents(0, 1000);
    await store.close();

    assert.equal(stored.length, 200);
    assert.deepEqual(
      stored.map(({ event }) => event.messageId),
      ids,
    );
  });

  it('commits concurrent appends together rather than one transaction each', async () => {
    const path = freshPath();
    const store = await openSqliteStore({ path, secretBox });
    const wal = walFrameCounter(eventLogPath(path));

    for (let i = 0; i < 20; i += 1) await store.appendEvents([appended(`s${i}`)]);
    const sequentialFrames = wal.framesSinceLastRead();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.appendEvents([appended(`c${i}`)])),
    );
    const concurrentFrames = wal.framesSinceLastRead();
    wal.close();
    await store.close();

    assert.ok(sequentialFrames >= 20, `20 separate commits wrote ${sequentialFrames} frames`);
    assert.ok(concurrentFrames < 20, `200 concurrent appends wrote ${concurrentFrames} frames`);
  });

  it('finishes the appends in progress before it closes', async () => {
    const path = freshPath();
    const store = await openSqliteStore({ path, secretBox });

    const appends = ['x1', 'x2', 'x3'].map((id) => store.appendEvents([appended(id)]));
    await store.close();
    await Promise.all(appends);
    const reopened = await openSqliteStore({ path, secretBox });
    const stored = await reopened.readEvents(0, 10);
    await reopened.close();

    assert.deepEqual(
      stored.map(({ event }) => event.messageId),
      ['x1', 'x2', 'x3'],
    );
  });

  it('resolves at once when given no events', async () => {
    const store = await openSqliteStore({ path: freshPath(), secretBox });

    await store.appendEvents([]);
    const stored = await store.readEvents(0, 10);
    await store.close();

    assert.deepEqual(stored, []);
  });

  it('rejects with StoreUnavailableError and writes nothing when the insert fails', async () => {
    const path = freshPath();
    const store = await openSqliteStore({ path, secretBox });
    const saboteur = new BetterSqlite3(eventLogPath(path));
    saboteur.exec(`CREATE TRIGGER fail_on_bad BEFORE INSERT ON events
      WHEN NEW.pipeline_id = 'bad' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    saboteur.close();

    const append = store.appendEvents([appended('m1'), appended('m2', 'bad')]);

    await assert.rejects(append, { name: 'StoreUnavailableError', code: 'STORE_UNAVAILABLE' });
    assert.deepEqual(await store.readEvents(0, 10), []);
    await store.close();
  });

  it('rejects with StoreUnavailableError once the database is closed', async () => {
    const path = freshPath();
    const store = await openSqliteStore({ path, secretBox });
    await store.close();

    const append = store.appendEvents([appended('m1')]);

    await assert.rejects(append, {
      name: 'StoreUnavailableError',
      code: 'STORE_UNAVAILABLE',
      status: 503,
    });
    const reopened = await openSqliteStore({ path, secretBox });
    assert.deepEqual(await reopened.readEvents(0, 10), []);
    await reopened.close();
  });
});

describe('the event log file', () => {
  it('keeps the events of a file written before the log had a file of its own', async () => {
    const path = freshPath();
    const legacy = new BetterSqlite3(path);
    legacy.exec(`CREATE TABLE events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, pipeline_id TEXT NOT NULL, body TEXT NOT NULL)`);
    const insert = legacy.prepare('INSERT INTO events (seq, pipeline_id, body) VALUES (?, ?, ?)');
    insert.run(7, 'pl-1', JSON.stringify(appended('old-1').event));
    insert.run(9, 'pl-1', JSON.stringify(appended('old-2').event));
    legacy.close();

    const store = await openSqliteStore({ path, secretBox });
    await store.appendEvents([appended('new-1')]);
    const events = await store.readEvents(0, 10);
    await store.close();

    assert.deepEqual(
      events.map(({ seq, event }) => [seq, event.messageId]),
      [
        [7, 'old-1'],
        [9, 'old-2'],
        [10, 'new-1'],
      ],
    );
    const main = new BetterSqlite3(path, { readonly: true });
    const table = main.prepare(`SELECT name FROM sqlite_master WHERE name = 'events'`).get();
    main.close();
    assert.equal(table, undefined, 'the main file no longer holds an events table');
  });

  it('prunes only processed events older than the retention, a batch at a time', async () => {
    const store = await openSqliteStore({ path: freshPath(), secretBox });
    await store.appendEvents(['a', 'b', 'c', 'd'].map((id) => appended(id)));
    const [, second] = await store.readEvents(0, 10);
    await store.commitProcessing({
      cursor: second!.seq,
      seen: [],
      profiles: [],
      mergedProfileIds: [],
      intents: [],
      drops: [],
      at: new Date().toISOString(),
    });
    const policy = { maxAgeMs: 60_000, batchSize: 1 };

    const tooYoung = await store.pruneHistory(policy, Date.now());
    const first = await store.pruneHistory(policy, Date.now() + 120_000);
    const again = await store.pruneHistory(policy, Date.now() + 120_000);
    const done = await store.pruneHistory(policy, Date.now() + 120_000);
    const left = await store.readEvents(0, 10);
    await store.close();

    assert.deepEqual([tooYoung.events, first.events, again.events, done.events], [0, 1, 1, 0]);
    assert.deepEqual(
      left.map(({ event }) => event.messageId),
      ['c', 'd'],
      'unprocessed events stay however old they are',
    );
  });

  it('reuses its write-ahead log under steady appends instead of letting it grow', async () => {
    const path = freshPath();
    const store = await openSqliteStore({ path, secretBox });
    const padding = 'x'.repeat(2_000);
    let cursor = 0;

    // 40 MB of events, read as they come, as the processor reads them.
    for (let batch = 0; batch < 400; batch++) {
      const events = Array.from({ length: 50 }, (_, i) => appended(`m${batch}-${i}`));
      for (const { event } of events) event.properties = { padding };
      await store.appendEvents(events);
      const read = await store.readEvents(cursor, 1_000);
      cursor = read[read.length - 1]?.seq ?? cursor;
    }
    const walBytes = statSync(`${eventLogPath(path)}-wal`).size;
    const all = await store.readEvents(0, 30_000);
    await store.close();

    assert.equal(all.length, 20_000);
    assert.ok(walBytes < 6 * 1024 * 1024, `the log's WAL stays small (${walBytes} bytes)`);
  });
});
