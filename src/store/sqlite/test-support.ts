/**
 * Shared by the queue tests of the SQLite store: fresh stores in a folder removed after the
 * tests, and processing commits that hold only intents.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SecretBox } from '../secret-box.js';
import type { Store } from '../store.js';
import type { IntentFate, IntentInput } from '../types.js';
import { openSqliteStore } from './sqlite-store.js';

export const INTEGRATION = 'int-1';
export const LONG_LEASE_MS = 60_000;

/** A function opening a new, empty store each call; every file goes when the tests end. */
export function temporaryStores(): () => Promise<Store> {
  const root = mkdtempSync(join(tmpdir(), 'signal-store-'));
  const secretBox = new SecretBox(randomBytes(32));
  let next = 0;
  after(() => rmSync(root, { recursive: true, force: true }));

  return () => {
    next += 1;
    return openSqliteStore({ path: join(root, `db-${next}.db`), secretBox });
  };
}

/** Commits a processing step holding only these intents, as of `at`. */
export function enqueue(
  store: Store,
  intents: IntentInput[],
  at = new Date(),
): Promise<IntentFate[]> {
  return store.commitProcessing({
    cursor: 0,
    seen: [],
    profiles: [],
    mergedProfileIds: [],
    intents,
    drops: [],
    at: at.toISOString(),
  });
}
