/**
 * The sandbox's HTTP server, on Node's own `http` module: the emulator needs exact control of
 * 404/405, of when a response is held and of what is recorded, and the benchmarks need a lean
 * hot path (no logging, no per-request framework work).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest } from './api-pipeline.js';
import { apiError, type ApiResult } from './api-result.js';
import { handleControl } from './control-routes.js';
import type { RequestBody } from './profile-handlers.js';
import { maskHeaders, maskQuery, maskTokenResponse } from './request-recorder.js';
import type { SandboxState } from './sandbox-state.js';

/** Largest request body read; beyond it the request is answered 413. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Longest non-JSON body text kept in a recorded request. */
const MAX_RECORDED_TEXT = 10_000;

const CONTROL_PREFIX = '/__sandbox/';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts listening; resolves once the port is bound. */
export async function startServer(
  state: SandboxState,
  host: string,
  port: number,
): Promise<RunningServer> {
  const shutdown = new AbortController();

  const server = createServer((req, res) => {
    handle(state, req, res, shutdown.signal).catch(() => {
      // Aborted waits at close, or a bug: answer if still possible, never crash the sandbox.
      if (!res.headersSent && !res.destroyed) send(res, apiError(500, 'sandbox internal error'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;

  return {
    url: `http://${shownHost}:${address.port}`,
    close: async () => {
      shutdown.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Stalled responses and keep-alive connections would otherwise hold close() open.
      server.closeAllConnections();
      await closed;
    },
  };
}

async function handle(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const at = new Date().toISOString();
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? {} : Object.fromEntries(new URLSearchParams(url.slice(q + 1)));

  const raw = await readBody(req);
  const body = parseBody(raw);

  if (pathname.startsWith(CONTROL_PREFIX)) {
    send(res, handleControl(state, method, pathname, query, body));
    return;
  }

  const result =
    raw === 'too-large'
      ? apiError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`)
      : await handleApiRequest(
          state,
          { method, pathname, query, headers: req.headers, body },
          signal,
        );
  send(res, result);

  state.recorder.add({
    at,
    method,
    path: pathname,
    query: maskQuery(query),
    headers: maskHeaders(req.headers),
    body: recordedBody(raw, body),
    status: result.status,
    responseBody: result.body === undefined ? null : maskTokenResponse(result.body),
  });
}

/** The body as text; `too-large` past the limit (the rest is drained, not kept). */
async function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  // Most calls (GET, token exchange) have no body: skip the stream machinery entirely.
  if (
    req.headers['content-length'] === undefined &&
    req.headers['transfer-encoding'] === undefined
  ) {
    return '';
  }

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string | 'too-large'): RequestBody {
  if (raw === 'too-large') return { json: false };
  if (raw === '') return { json: true, value: undefined };

  try {
    return { json: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { json: false };
  }
}

function recordedBody(raw: string | 'too-large', body: RequestBody): unknown {
  if (raw === 'too-large') return '[body too large]';
  if (body.json) return body.value ?? null;
  return raw.length > MAX_RECORDED_TEXT ? `${raw.slice(0, MAX_RECORDED_TEXT)}…` : raw;
}

function send(res: ServerResponse, result: ApiResult): void {
  // A client that gave up during a stall has gone: nothing to answer.
  if (res.destroyed) return;

  const headers: Record<string, string | number> = { ...result.headers };
  if (result.body === undefined) {
    res.writeHead(result.status, headers);
    res.end();
    return;
  }

  const text = JSON.stringify(result.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(result.status, headers);
  res.end(text);
}
