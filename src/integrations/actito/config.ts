/**
 * The Actito settings of one integration, validated and normalised once when they are saved or
 * loaded, so delivery code never re-checks them.
 */
import { ConfigError } from '../../core/errors.js';

export type PathStyle = 'documented' | 'prefixed';
export type BodyFormat = 'flat' | 'native';

export interface ActitoConfig {
  entity: string;
  /** Case-sensitive, exactly as in the Actito Dashboard. */
  profileTable: string;
  apiKey: string;
  /** A preview token used as is and never exchanged; absent in production. */
  accessToken: string | undefined;
  /** Scheme and host (and an optional path prefix), without a trailing slash. */
  apiHost: string;
  /** `documented`: `/v4/...`; `prefixed`: `/profiles/v4/...`. */
  pathStyle: PathStyle;
  /** `flat`: `{ email, firstName }`; `native`: `{ attributes: [{ name, value }] }`. */
  bodyFormat: BodyFormat;
  timeoutMs: number;
}

export const DEFAULT_API_HOST = 'https://api.actito.com';
export const DEFAULT_TIMEOUT_MS = 10_000;
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 120_000;

const PATH_STYLES: readonly PathStyle[] = ['documented', 'prefixed'];
const BODY_FORMATS: readonly BodyFormat[] = ['flat', 'native'];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Validates raw settings (secrets already decrypted) and returns them normalised. Throws
 * `ConfigError('INVALID_CONFIG')` naming the field; a message never contains a secret's value.
 */
export function parseConfig(raw: Record<string, unknown>): ActitoConfig {
  const accessToken = optionalString(raw, 'access_token');

  return {
    entity: pathName(raw, 'entity'),
    profileTable: pathName(raw, 'profile_table'),
    apiKey: requiredString(raw, 'api_key'),
    accessToken,
    apiHost: parseHost(raw.api_host),
    pathStyle: parseChoice(raw, 'path_style', PATH_STYLES, 'documented'),
    bodyFormat: parseChoice(raw, 'body_format', BODY_FORMATS, 'flat'),
    timeoutMs: parseTimeout(raw.timeout_ms),
  };
}

function invalid(message: string): ConfigError {
  return new ConfigError('INVALID_CONFIG', message);
}

function optionalString(raw: Record<string, unknown>, field: string): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;

  // The value is never echoed: the field may be a secret.
  if (typeof value !== 'string') throw invalid(`${field} must be a string`);

  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function requiredString(raw: Record<string, unknown>, field: string): string {
  const value = optionalString(raw, field);
  if (value === undefined) throw invalid(`${field} is required`);

  return value;
}

/**
 * A name that becomes one segment of the profile URL. `.` and `..` survive path-encoding
 * unchanged and URL parsing then removes them with the segment before (entity `..` would send
 * to `/v4/table/...`), so such a name could never reach Actito intact: it is refused here.
 */
function pathName(raw: Record<string, unknown>, field: string): string {
  const value = requiredString(raw, field);
  if (value === '.' || value === '..') {
    throw invalid(`${field} must be an Actito name, not "${value}" (a URL dot segment)`);
  }

  return value;
}

function parseChoice<T extends string>(
  raw: Record<string, unknown>,
  field: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = optionalString(raw, field);
  if (value === undefined) return fallback;

  const choice = choices.find((c) => c === value);
  if (!choice) throw invalid(`${field} must be one of ${choices.join(', ')}`);

  return choice;
}

/**
 * Any https URL is accepted (Actito licences live on several regional hosts, and a company may
 * route through its own gateway); plain http only for a loopback host, which is the sandbox.
 * A bare host name is read as https.
 */
function parseHost(value: unknown): string {
  if (value === undefined || value === null) return DEFAULT_API_HOST;
  if (typeof value !== 'string') throw invalid('api_host must be a string');

  const trimmed = value.trim();
  if (trimmed === '') return DEFAULT_API_HOST;

  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw invalid('api_host must be a URL such as https://api.actito.com');
  }

  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw invalid('api_host must use https (http is accepted only for 127.0.0.1, localhost, ::1)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid('api_host must be an https URL such as https://api.actito.com');
  }
  // Credentials in a URL would end up in every recorded exchange and log line.
  if (url.username !== '' || url.password !== '') {
    throw invalid('api_host must not contain a user name or password');
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalid('api_host must not contain a query string or fragment');
  }

  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseTimeout(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_TIMEOUT_MS;

  // The UI sends form values as strings.
  const ms = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof ms !== 'number' || !Number.isInteger(ms)) {
    throw invalid('timeout_ms must be a whole number of milliseconds');
  }
  if (ms < MIN_TIMEOUT_MS || ms > MAX_TIMEOUT_MS) {
    throw invalid(`timeout_ms must be between ${MIN_TIMEOUT_MS} and ${MAX_TIMEOUT_MS}`);
  }

  return ms;
}
