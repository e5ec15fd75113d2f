/**
 * Everything a running sandbox holds in memory, shared by the emulated API, the control
 * endpoints and the programmatic `Sandbox` handle.
 */
import type { SandboxConfig } from './config.js';
import { FaultInjector } from './fault-injector.js';
import { buildModel, type SandboxModel, type Table } from './model.js';
import { RequestRecorder } from './request-recorder.js';
import { SandboxNotFoundError } from './sandbox-errors.js';
import { TokenStore } from './token-store.js';

export interface SandboxStats {
  /** Most requests of one licence in flight at once. */
  maxConcurrent: number;
  /** Requests answered 429 because the licence's concurrency limit was reached. */
  rejectedConcurrency: number;
  /** Successful API key to token exchanges. */
  tokenExchanges: number;
  /** Successful profile creations and updates. */
  profileWrites: number;
}

export class SandboxState {
  readonly model: SandboxModel;
  readonly tokens: TokenStore;
  readonly recorder = new RequestRecorder();
  readonly faults = new FaultInjector();
  readonly stats: SandboxStats = emptyStats();

  constructor(
    config: SandboxConfig,
    readonly tokenLifetimeSeconds: number,
  ) {
    this.model = buildModel(config);
    this.tokens = new TokenStore(tokenLifetimeSeconds * 1000);
  }

  /** A table by entity and table name; `SandboxNotFoundError` for names the config lacks. */
  table(entity: string, table: string): Table {
    const found = this.model.tables.get(entity)?.get(table);
    if (found === undefined) {
      throw new SandboxNotFoundError(`the sandbox has no table "${table}" in entity "${entity}"`);
    }
    return found;
  }

  /** The stored profiles of a table, oldest first, as copies. */
  profiles(
    entity: string,
    table: string,
  ): Array<{ profileId: number; attributes: Record<string, unknown> }> {
    return this.table(entity, table)
      .store.list()
      .map((p) => ({ profileId: p.profileId, attributes: { ...p.attributes } }));
  }

  /** The attributes of the profile with this e-mail (compared exactly as stored). */
  profile(entity: string, table: string, email: string): Record<string, unknown> | undefined {
    const found = this.table(entity, table);
    const attribute = found.emailAttribute;
    if (attribute === undefined) {
      throw new SandboxNotFoundError(
        `table "${table}" of entity "${entity}" has no EMAIL_ADDRESS attribute`,
      );
    }

    const profile = found.uniqueAttributes.includes(attribute)
      ? found.store.findByUnique(attribute, email)
      : found.store.list().find((p) => p.attributes[attribute] === email);
    return profile === undefined ? undefined : { ...profile.attributes };
  }

  /** Clears profiles, recorded requests, faults, tokens, statistics and call windows. */
  reset(): void {
    for (const tables of this.model.tables.values()) {
      for (const table of tables.values()) table.store.clear();
    }
    for (const licence of this.model.licences) licence.limiter.resetWindow();

    this.recorder.clear();
    this.faults.clear();
    this.tokens.revokeAll();
    Object.assign(this.stats, emptyStats());
  }
}

function emptyStats(): SandboxStats {
  return { maxConcurrent: 0, rejectedConcurrency: 0, tokenExchanges: 0, profileWrites: 0 };
}
