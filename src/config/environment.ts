/**
 * The process settings that come from environment variables, read and checked once at start so
 * that a typo fails loudly with the variable's name instead of surfacing later as odd behaviour.
 */
import { resolve } from 'node:path';
import { pino, type LevelWithSilent } from 'pino';
import { ConfigError } from '../core/errors.js';

export type SqliteSynchronous = 'full' | 'normal';

export interface Environment {
  /** `SIGNAL_PORT`, default 8080; 0 lets the system pick a free port. */
  port: number;
  /** `SIGNAL_HOST`, default `0.0.0.0`. */
  host: string;
  /** `SIGNAL_DATA_DIR`, default `./data`, always absolute. */
  dataDir: string;
  /** `SIGNAL_CONFIG`: a configuration file applied on each start, absolute; absent when unset. */
  configFile?: string;
  /** `LOG_LEVEL`, default `info`. */
  logLevel: LevelWithSilent;
  /**
   * `DATABASE_URL`, as given. Only the embedded SQLite store exists today, so the caller refuses
   * a set value rather than silently ignoring it.
   */
  databaseUrl?: string;
  /** `SIGNAL_ENCRYPTION_KEY`: 32 bytes as 64 hex digits or base64; absent means the key file. */
  encryptionKey?: string;
  /** `SIGNAL_TRUST_PROXY`, default false: whether `X-Forwarded-*` headers are believed. */
  trustProxy: boolean;
  /** `SIGNAL_SQLITE_SYNCHRONOUS`, default `full` (an acknowledged event survives a power cut). */
  sqliteSynchronous: SqliteSynchronous;
  /**
   * `SIGNAL_RETENTION_DAYS`, default 7: processed events (and with them the memory of their
   * message ids), delivery attempts and drop records older than this are deleted; 0 keeps all.
   */
  retentionDays: number;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LevelWithSilent[] = [
  ...(Object.keys(pino.levels.values) as LevelWithSilent[]),
  'silent',
];
const SYNCHRONOUS_MODES: readonly SqliteSynchronous[] = ['full', 'normal'];

/**
 * Reads Signal's settings from `env`. A variable set to an empty string counts as unset, as
 * container tools often pass `NAME=` for "no value".
 *
 * @throws ConfigError `INVALID_CONFIG` naming the variable and what it expects; the value of
 * `SIGNAL_ENCRYPTION_KEY` is never part of the message.
 */
export function readEnvironment(env: Env = process.env): Environment {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const configFile = read('SIGNAL_CONFIG');
  const databaseUrl = read('DATABASE_URL');
  const encryptionKey = read('SIGNAL_ENCRYPTION_KEY');
  if (encryptionKey !== undefined) checkEncryptionKey(encryptionKey);

  return {
    port: parsePort(read('SIGNAL_PORT')),
    host: read('SIGNAL_HOST') ?? '0.0.0.0',
    dataDir: resolve(read('SIGNAL_DATA_DIR') ?? './data'),
    ...(configFile === undefined ? {} : { configFile: resolve(configFile) }),
    logLevel: parseChoice('LOG_LEVEL', read('LOG_LEVEL')?.toLowerCase(), LOG_LEVELS, 'info'),
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(encryptionKey === undefined ? {} : { encryptionKey }),
    trustProxy: parseBoolean('SIGNAL_TRUST_PROXY', read('SIGNAL_TRUST_PROXY'), false),
    sqliteSynchronous: parseChoice(
      'SIGNAL_SQLITE_SYNCHRONOUS',
      read('SIGNAL_SQLITE_SYNCHRONOUS')?.toLowerCase(),
      SYNCHRONOUS_MODES,
      'full',
    ),
    retentionDays: parseRetention(read('SIGNAL_RETENTION_DAYS')),
  };
}

function parseRetention(value: string | undefined): number {
  if (value === undefined) return 7;

  const days = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(days)) {
    throw invalid('SIGNAL_RETENTION_DAYS', 'a whole number of days (0 keeps everything)', value);
  }

  return days;
}

function invalid(name: string, expected: string, value?: string): ConfigError {
  const shown = value === undefined ? '' : ` (got "${value}")`;
  return new ConfigError('INVALID_CONFIG', `${name} must be ${expected}${shown}`);
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 8080;

  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw invalid('SIGNAL_PORT', 'a whole number from 0 to 65535', value);
  }

  return port;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;

  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;

  throw invalid(name, 'true or false', value);
}

function parseChoice<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;

  const choice = choices.find((c) => c === value);
  if (choice === undefined) throw invalid(name, `one of ${choices.join(', ')}`, value);

  return choice;
}

/**
 * The same rule the secret box applies when it opens the store, checked here so that a bad key
 * is refused before anything else starts. The value is never echoed.
 */
function checkEncryptionKey(value: string): void {
  const bytes = /^[0-9a-f]{64}$/i.test(value)
    ? Buffer.from(value, 'hex')
    : Buffer.from(value, 'base64');

  if (bytes.length !== 32) {
    throw invalid('SIGNAL_ENCRYPTION_KEY', '32 bytes, written as 64 hex digits or in base64');
  }
}
