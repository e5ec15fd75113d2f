/**
 * The Actito sandbox: a local emulator of Actito's REST API (token exchange, profile tables,
 * licence limits, fault injection), following reference/actito-api.md. State is in memory.
 *
 * ```ts
 * const sandbox = await startSandbox({ port: 0 });
 * // point a client at sandbox.url with API key "sandbox-key", entity "demo", table "Profiles"
 * await sandbox.close();
 * ```
 */
import { demoConfig, type SandboxConfig } from './config.js';
import { parseSandboxConfig } from './config-parse.js';
import { parseFaultSettings, type FaultSettings } from './fault-injector.js';
import type { RecordedRequest } from './request-recorder.js';
import { SandboxState, type SandboxStats } from './sandbox-state.js';
import { startServer } from './server.js';

export type {
  ApiKeyConfig,
  AttributeConfig,
  AttributeType,
  EntityConfig,
  LicenceConfig,
  LicenceLimits,
  LicenceNames,
  RightConfig,
  SandboxConfig,
  TableConfig,
  ValueType,
} from './config.js';
export { DEMO_API_KEY, demoConfig, namedLicenceConfig, overrideLimits } from './config.js';
export { loadSandboxConfigFile, parseSandboxConfig } from './config-parse.js';
export type { FaultErrorRule, FaultPaths, FaultSettings } from './fault-injector.js';
export type { RecordedRequest } from './request-recorder.js';
export { FaultSettingsError, SandboxConfigError, SandboxNotFoundError } from './sandbox-errors.js';
export type { SandboxStats } from './sandbox-state.js';

export interface SandboxOptions {
  /** Default 7070; 0 = any free port (read the result from `url`). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: the demo licence (key `sandbox-key`, entity `demo`, table `Profiles`). */
  config?: SandboxConfig;
  /** Access token lifetime; default 900 (Actito's 15 minutes). */
  tokenLifetimeSeconds?: number;
}

/** A running sandbox and its controls. */
export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:7070`, serving both the token and data endpoints. */
  url: string;
  close(): Promise<void>;
  /** Stored profiles of a table, oldest first; throws `SandboxNotFoundError` for an unknown one. */
  profiles(
    entity: string,
    table: string,
  ): Array<{ profileId: number; attributes: Record<string, unknown> }>;
  /**
   * Attributes of the profile with this e-mail, compared exactly as stored; throws
   * `SandboxNotFoundError` for an unknown table or one without an e-mail attribute.
   */
  profile(entity: string, table: string, email: string): Record<string, unknown> | undefined;
  /** Recorded API requests, oldest first (the last 10,000; credentials masked). */
  requests(): RecordedRequest[];
  clearRequests(): void;
  /** Clears profiles, requests, faults, tokens and statistics. */
  reset(): void;
  /** Replaces the current faults; throws `FaultSettingsError` when they are invalid. */
  setFaults(faults: FaultSettings): void;
  /** Every token issued so far is answered 401 from now on. */
  revokeTokens(): void;
  stats(): SandboxStats;
}

export const DEFAULT_SANDBOX_PORT = 7070;
export const DEFAULT_SANDBOX_HOST = '127.0.0.1';
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 900;

/** Starts a sandbox; rejects on an invalid configuration or a port that cannot be bound. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const port = options.port ?? DEFAULT_SANDBOX_PORT;
  const lifetime = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`sandbox port must be an integer from 0 to 65535, got ${port}`);
  }
  if (!Number.isInteger(lifetime) || lifetime < 1) {
    throw new RangeError(`tokenLifetimeSeconds must be a positive integer, got ${lifetime}`);
  }

  const config = parseSandboxConfig(options.config ?? demoConfig(), 'options.config');
  const state = new SandboxState(config, lifetime);
  const server = await startServer(state, options.host ?? DEFAULT_SANDBOX_HOST, port);

  return {
    url: server.url,
    close: () => server.close(),
    profiles: (entity, table) => state.profiles(entity, table),
    profile: (entity, table, email) => state.profile(entity, table, email),
    requests: () => state.recorder.list(),
    clearRequests: () => state.recorder.clear(),
    reset: () => state.reset(),
    setFaults: (faults) => state.faults.set(parseFaultSettings(faults)),
    revokeTokens: () => state.tokens.revokeAll(),
    stats: () => ({ ...state.stats }),
  };
}
