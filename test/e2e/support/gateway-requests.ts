/**
 * Raw requests to the gateway for the end-to-end tests of what it refuses and accepts: pipelines
 * set up for each kind of refusal, `node:http` requests that read early answers too, and server
 * requests signed correctly or not.
 */
import { request } from 'node:http';
import { signBody } from '../../../src/ingest/signature.js';
import type { Pipeline } from '../../../src/store/types.js';

export const SITE_ORIGIN = 'https://www.example.com';
export const SIGNED_KEY = 'dk_test_signed_source';
export const HMAC_SECRET = 'hs_test_4b7e19d2c8a05f63';
export const DISABLED_KEY = 'dk_test_disabled_pipeline';
export const THROTTLED_KEY = 'dk_test_one_request_a_second';
export const FIVE_MB = 5 * 1024 * 1024;

/** Pipelines added beside the harness's own, each set up for one kind of refusal. */
export const EXTRA_PIPELINES: Pipeline[] = [
  pipeline('signed', SIGNED_KEY, { hmacSecret: HMAC_SECRET }),
  pipeline('disabled', DISABLED_KEY, { enabled: false }),
  pipeline('throttled', THROTTLED_KEY, { rateLimitPerSecond: 1 }),
];

function pipeline(id: string, key: string, overrides: Partial<Pipeline>): Pipeline {
  return {
    id,
    name: id,
    key,
    allowedOrigins: [SITE_ORIGIN],
    integrationIds: ['actito'],
    rateLimitPerSecond: 100_000,
    enabled: true,
    ...overrides,
  };
}

export interface RawRequest {
  method?: 'GET' | 'POST' | 'OPTIONS';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends one request with `node:http`, which, unlike `fetch`, still reads the answer when the
 * server answers early and stops reading a body it refuses (413).
 */
export function send(baseUrl: string, spec: RawRequest): Promise<RawAnswer> {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const headers = {
    ...(body === undefined ? {} : { 'content-length': String(body.length) }),
    ...spec.headers,
  };

  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${baseUrl}${spec.path}`,
      { method: spec.method ?? 'POST', headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    outgoing.end(body);
  });
}

export function json(
  key: string | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'content-type': 'application/json',
    ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    ...extra,
  };
}

/** A `/v1/events` request from a server source, signed as `sign` says. */
export function signed(
  sign: 'valid' | 'none' | 'wrong-secret' | 'stale',
  body: unknown,
): RawRequest {
  const raw = JSON.stringify(body);
  const sixMinutesAgo = Date.now() - 6 * 60 * 1000;
  const timestamp = String(sign === 'stale' ? sixMinutesAgo : Date.now());
  const secret = sign === 'wrong-secret' ? 'hs_test_not_the_secret' : HMAC_SECRET;
  const signature: Record<string, string> =
    sign === 'none'
      ? {}
      : { 'x-timestamp': timestamp, 'x-signature': signBody(secret, timestamp, raw) };

  return { path: '/v1/events', headers: json(SIGNED_KEY, signature), body: raw };
}
