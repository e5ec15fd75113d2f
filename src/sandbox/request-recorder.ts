/**
 * The last requests made to the emulated API, for tests and the demo to read back. A fixed-size
 * ring, so a benchmark can run for hours; credentials are masked before anything is stored.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  /** ISO time the request arrived. */
  at: string;
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  query: Record<string, string>;
  /** Authorization masked: `****` for a raw key, `Bearer ****` for a token. */
  headers: Record<string, string>;
  /** Parsed JSON when JSON, the text otherwise, null when empty. */
  body: unknown;
  status: number;
  responseBody: unknown;
}

/** Requests kept; older ones are overwritten. */
export const MAX_RECORDED_REQUESTS = 10_000;

const MASK = '****';
const SECRET_HEADERS = new Set(['cookie', 'proxy-authorization', 'x-api-key']);
const SECRET_QUERY = /token|key|secret|password|auth/i;

export class RequestRecorder {
  private readonly ring: Array<RecordedRequest | undefined> = new Array(MAX_RECORDED_REQUESTS);
  private next = 0;
  private size = 0;

  add(request: RecordedRequest): void {
    this.ring[this.next] = request;
    this.next = (this.next + 1) % MAX_RECORDED_REQUESTS;
    if (this.size < MAX_RECORDED_REQUESTS) this.size += 1;
  }

  /** Oldest first. */
  list(): RecordedRequest[] {
    const start = (this.next - this.size + MAX_RECORDED_REQUESTS) % MAX_RECORDED_REQUESTS;
    const result: RecordedRequest[] = [];

    for (let i = 0; i < this.size; i++) {
      const item = this.ring[(start + i) % MAX_RECORDED_REQUESTS];
      if (item !== undefined) result.push(item);
    }
    return result;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}

/** Copies request headers with every credential replaced by a mask. */
export function maskHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};

  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;

    if (name === 'authorization') {
      // Keep the scheme: it shows whether the client sent a raw key or a Bearer token.
      result[name] = /^bearer\s/i.test(text) ? `Bearer ${MASK}` : MASK;
    } else {
      result[name] = SECRET_HEADERS.has(name) ? MASK : text;
    }
  }
  return result;
}

/** Copies a query with values of credential-like parameters (`access_token`...) masked. */
export function maskQuery(query: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};

  for (const [name, value] of Object.entries(query)) {
    result[name] = SECRET_QUERY.test(name) ? MASK : value;
  }
  return result;
}

/** The token response as recorded: the access token itself is never kept. */
export function maskTokenResponse(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('accessToken' in body)) return body;

  return { ...body, accessToken: MASK };
}
