/**
 * Where a Signal process keeps its data, and how to open it. Commands and the engine thread
 * open their store through here, so nothing outside `src/store/` names an implementation.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../observability/logger.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Plain data, so it can be handed to another thread and opened there too. */
export interface StoreLocation {
  kind: 'sqlite';
  /** The main database file. */
  path: string;
  /** How event-log commits reach the disk (see `SqliteStoreOptions.synchronous`). */
  synchronous: 'full' | 'normal';
}

/** The embedded store of a data directory. */
export function embeddedStore(
  dataDir: string,
  synchronous: 'full' | 'normal' = 'full',
): StoreLocation {
  return { kind: 'sqlite', path: join(dataDir, 'signal.db'), synchronous };
}

/** Whether a store was ever created there (opening one that was not creates it, empty). */
export function storeExists(location: StoreLocation): boolean {
  return existsSync(location.path);
}

export function openStore(location: StoreLocation, logger?: Logger): Promise<Store> {
  return openSqliteStore({
    path: location.path,
    synchronous: location.synchronous,
    ...(logger ? { logger } : {}),
  });
}
