/**
 * The `pipelines` section of the configuration file: the sources events arrive from, each with
 * its public key, optional HMAC secret for server sources, allowed page origins and integrations.
 */
import type { Pipeline } from '../store/types.js';
import {
  checkId,
  childPath,
  expectObject,
  fail,
  optionalArray,
  optionalBoolean,
  optionalInteger,
  optionalString,
  rejectUnknownKeys,
  unique,
} from './config-checks.js';

const PIPELINE_KEYS = [
  'id',
  'name',
  'key',
  'hmac_secret',
  'allowed_origins',
  'integrations',
  'rate_limit_per_second',
  'enabled',
] as const;

/** `dk_` and at least 8 URL-safe characters: the collector sends it in a query string. */
const KEY_PATTERN = /^dk_[A-Za-z0-9_-]{8,}$/;

/** Shorter shared secrets are guessable; 16 characters is the least we accept for HMAC-SHA256. */
const MIN_HMAC_SECRET_LENGTH = 16;

const DEFAULT_RATE_LIMIT_PER_SECOND = 1000;

/**
 * Checks `pipelines[index]` and returns the record the store keeps. `integrationIds` are the ids
 * of the file's integrations, which the pipeline's list must name.
 */
export function parsePipeline(
  raw: unknown,
  path: string,
  integrationIds: ReadonlySet<string>,
): Pipeline {
  const entry = expectObject(raw, path);
  rejectUnknownKeys(entry, PIPELINE_KEYS, path);

  const id = checkId(entry.id, childPath(path, 'id'));
  const hmacSecret = parseHmacSecret(entry.hmac_secret, childPath(path, 'hmac_secret'));

  const integrationsPath = childPath(path, 'integrations');
  const integrations = optionalArray(entry.integrations, integrationsPath, (value, where) => {
    if (typeof value !== 'string') fail(where, 'must be the id of an integration, as a string');

    if (!integrationIds.has(value)) {
      const known = [...integrationIds].join(', ') || 'none';
      fail(where, `"${value}" is not the id of an integration in this file (ids: ${known})`);
    }
    return value;
  });

  return {
    id,
    name: optionalString(entry.name, childPath(path, 'name')) ?? id,
    key: parseKey(entry.key, childPath(path, 'key')),
    ...(hmacSecret === undefined ? {} : { hmacSecret }),
    allowedOrigins: unique(
      optionalArray(entry.allowed_origins, childPath(path, 'allowed_origins'), parseOrigin),
    ),
    integrationIds: unique(integrations),
    rateLimitPerSecond: optionalInteger(
      entry.rate_limit_per_second,
      childPath(path, 'rate_limit_per_second'),
      { min: 1 },
      DEFAULT_RATE_LIMIT_PER_SECOND,
    ),
    enabled: optionalBoolean(entry.enabled, childPath(path, 'enabled'), true),
  };
}

function parseKey(raw: unknown, path: string): string {
  if (raw === undefined) fail(path, 'is required');

  if (typeof raw !== 'string' || !KEY_PATTERN.test(raw)) {
    fail(path, 'must be "dk_" followed by at least 8 letters, digits, "_" or "-"');
  }

  return raw;
}

function parseHmacSecret(raw: unknown, path: string): string | undefined {
  if (raw === undefined) return undefined;

  // The value is never echoed, and neither is its length.
  if (typeof raw !== 'string') fail(path, 'must be a string');
  if (raw.length < MIN_HMAC_SECRET_LENGTH) {
    fail(path, `must be at least ${MIN_HMAC_SECRET_LENGTH} characters long`);
  }

  return raw;
}

/**
 * `*`, or a page origin `http(s)://host[:port]`, stored in the form browsers send in `Origin`
 * (lower-case host, default port dropped). A trailing `/` is forgiven; a path is not, since no
 * `Origin` header carries one and the entry would never match.
 */
function parseOrigin(raw: unknown, path: string): string {
  if (typeof raw !== 'string') fail(path, 'must be a string');

  const value = raw.trim();
  if (value === '*') return value;

  const problem =
    `"${value}" must be an origin such as https://www.example.com ` +
    '(scheme, host, optional port) or *';
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    fail(path, problem, error);
  }

  const bare =
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    /^https?:\/\/[^/]+\/?$/i.test(value);
  if (!bare) fail(path, problem);

  return url.origin;
}
