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
import { lazyBody, recordedBody } from './request-body.js';
import { maskHeaders, maskQuery, maskTokenResponse } from './request-recorder.js';
import type { SandboxState } from './sandbox-state.js';

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

  const body = lazyBody(req);

  if (pathname.startsWith(CONTROL_PREFIX)) {
    const { parsed } = await body();
    send(res, handleControl(state, method, pathname, query, parsed));
    return;
  }

  const result = await handleApiRequest(
    state,
    { method, pathname, query, headers: req.headers, body },
    signal,
  );
  // A request answered before its body was needed (404, 401, 429) still has it read, both for
  // the record and so that Node does not discard it under the reader.
  const read = await body();
  send(res, result);

  state.recorder.add({
    at,
    method,
    path: pathname,
    query: maskQuery(query),
    headers: maskHeaders(req.headers),
    body: recordedBody(read),
    status: result.status,
    responseBody: result.body === undefined ? null : maskTokenResponse(result.body),
  });
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
