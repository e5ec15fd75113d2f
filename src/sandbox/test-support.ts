/**
 * Helpers for the sandbox's own tests: plain HTTP calls and a token exchange. Not part of the
 * public API.
 */
import { request } from 'undici';
import type { Sandbox } from './index.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Milliseconds from sending to the full answer. */
  elapsedMs: number;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is. */
  text?: string;
}

/** The demo table's profile path, unprefixed form. */
export const DEMO_PROFILE_PATH = '/v4/entity/demo/table/Profiles/profile';

/** Makes one HTTP call and reads the whole answer. */
export async function call(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.text;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }

  const started = performance.now();
  const response = await request(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.body.text();

  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    status: response.statusCode,
    headers: flat,
    body: text === '' ? null : (JSON.parse(text) as unknown),
    elapsedMs: performance.now() - started,
  };
}

/** Exchanges an API key for an access token; fails the test when it cannot. */
export async function fetchToken(sandbox: Sandbox, apiKey = 'sandbox-key'): Promise<string> {
  const reply = await call(sandbox.url, 'GET', '/auth/token', {
    headers: { authorization: apiKey, accept: 'application/json' },
  });
  const token = (reply.body as { accessToken?: unknown } | null)?.accessToken;
  if (reply.status !== 200 || typeof token !== 'string') {
    throw new Error(`token exchange failed with ${reply.status}`);
  }
  return token;
}

/** Calls with `Authorization: Bearer <token>`. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
