/**
 * The one HTTP client every integration uses to reach its vendor: a timeout on every call,
 * response bodies trimmed, and a record of each exchange with credentials masked, ready for the
 * debugger and the delivery log.
 */
import { Agent, request, errors as undiciErrors } from 'undici';
import { maskHeaders as maskSecretHeaders } from '../core/secret-text.js';

/** Header names whose values are credentials; they are masked in every recorded exchange. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** Longest vendor response body kept for messages and the debugger. */
export const MAX_KEPT_BODY = 2_000;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text, trimmed to `MAX_KEPT_BODY` characters. */
  body: string;
  latencyMs: number;
}

/** One request and its response (or failure), safe to store and show. */
export interface RecordedExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; body: string };
  error?: string;
  latencyMs: number;
  at: string;
}

export type HttpFailureKind = 'timeout' | 'connection';

/** The vendor could not be reached or did not answer in time. */
export class HttpFailure extends Error {
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    readonly latencyMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpFailure';
  }
}

export interface HttpClientOptions {
  timeoutMs?: number;
  /** Keep-alive connections per origin. */
  connections?: number;
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  /** Unix ms by which every request of this client ends; set by `withDeadline`. */
  private readonly deadlineMs: number | undefined;
  private readonly ownsAgent: boolean;

  constructor(options: HttpClientOptions = {}, shared?: { agent: Agent; deadlineMs: number }) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.deadlineMs = shared?.deadlineMs;
    this.ownsAgent = shared === undefined;
    this.agent =
      shared?.agent ??
      new Agent({
        connections: options.connections ?? 16,
        keepAliveTimeout: 30_000,
      });
  }

  /**
   * This client, sharing its connections, with every request also ended by `deadlineMs` (Unix
   * ms): a delivery's several requests (token, profile, retry) then end by a known time.
   */
  withDeadline(deadlineMs: number): HttpClient {
    return new HttpClient({ timeoutMs: this.timeoutMs }, { agent: this.agent, deadlineMs });
  }

  /**
   * Sends one request. Resolves with any HTTP status (classifying it is the caller's job);
   * rejects only with `HttpFailure` when no answer arrived.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const ownTimeoutMs = req.timeoutMs ?? this.timeoutMs;
    const leftMs = this.deadlineMs === undefined ? Infinity : this.deadlineMs - Date.now();
    // One timer per request either way: the nearer of the request's timeout and the deadline.
    const timeoutMs = Math.max(Math.min(ownTimeoutMs, leftMs), 0);
    const byDeadline = timeoutMs < ownTimeoutMs;
    const started = performance.now();

    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        dispatcher: this.agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.body.text();

      return {
        status: res.statusCode,
        headers: flattenHeaders(res.headers),
        body: trimBody(text),
        latencyMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      if (isTimeout(error) && byDeadline) {
        const message = 'the delivery ran out of time before an answer';
        throw new HttpFailure('timeout', message, latencyMs, { cause: error });
      }
      if (isTimeout(error)) {
        throw new HttpFailure('timeout', `no answer within ${timeoutMs} ms`, latencyMs, {
          cause: error,
        });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new HttpFailure('connection', `connection failed: ${reason}`, latencyMs, {
        cause: error,
      });
    }
  }

  /** Closes the connections; a client made by `withDeadline` leaves them to its origin. */
  async close(): Promise<void> {
    if (this.ownsAgent) await this.agent.close();
  }
}

/** A copy of the request headers with credential values replaced by a mask. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return maskSecretHeaders(headers, (name) => SECRET_HEADERS.has(name.toLowerCase()));
}

export function trimBody(text: string): string {
  return text.length > MAX_KEPT_BODY ? `${text.slice(0, MAX_KEPT_BODY)}…` : text;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>) {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function isTimeout(error: unknown): boolean {
  if (error instanceof undiciErrors.HeadersTimeoutError) return true;
  if (error instanceof undiciErrors.BodyTimeoutError) return true;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return true;
  }
  return false;
}
