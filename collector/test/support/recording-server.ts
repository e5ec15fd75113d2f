/**
 * A one-origin HTTP server for the collector's browser tests: it serves test pages and the freshly
 * built `datafly.js` and `datafly.esm.js`, records every `POST /v1/batch` body, and fails on
 * demand (503, 429, 400, or a dropped connection) to exercise retries.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../../../test/support/eventually.js';
import { buildCollector } from '../../build.js';
import type { DataflyEvent } from '../../src/types.js';

export interface BatchBody {
  batch: DataflyEvent[];
  sentAt: string;
  writeKey: string;
}

export interface RecordedBatch {
  body: BatchBody;
  headers: IncomingHttpHeaders;
  /** The status answered, or 0 when the connection was dropped. */
  status: number;
  /** Sent by `navigator.sendBeacon` (a no-cors request), not by `fetch` (cors). */
  beacon: boolean;
  /** `Date.now()` when the whole body had arrived. */
  receivedAt: number;
}

export type Failure = 503 | 429 | 400 | 'abort';

export interface RecordingServer {
  origin: string;
  /** Every batch request received, failed ones included, in arrival order. */
  batches: RecordedBatch[];
  /** Serves `html` at `path` (a path without query). */
  page(path: string, html: string): void;
  /** Fails every batch request from now on, or stops failing when given undefined. */
  fail(failure: Failure | undefined): void;
  /** Events of the batches answered 200, in arrival order. */
  delivered(): DataflyEvent[];
  /** Resolves once `delivered()` holds an event matching `predicate`. */
  waitForEvent(
    predicate: (event: DataflyEvent) => boolean,
    timeoutMs?: number,
  ): Promise<DataflyEvent>;
  /** Resolves with the delivered events matching `predicate` once there are `count` of them. */
  waitForEvents(
    predicate: (event: DataflyEvent) => boolean,
    count: number,
    timeoutMs?: number,
  ): Promise<DataflyEvent[]>;
  /** Resolves once `batches` holds a batch matching `predicate`. */
  waitForBatch(
    predicate: (batch: RecordedBatch) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedBatch>;
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const { script, module } = await buildCollector();
  const pages = new Map<string, string>();
  const batches: RecordedBatch[] = [];
  let failure: Failure | undefined;

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://test').pathname;
    const cors = {
      'Access-Control-Allow-Origin': request.headers.origin ?? '*',
      'Access-Control-Allow-Credentials': 'true',
    };

    if (path === '/v1/batch' && request.method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST' }).end();
      return;
    }

    if (path === '/v1/batch' && request.method === 'POST') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BatchBody;
        const status = failure === 'abort' ? 0 : (failure ?? 200);
        const beacon = request.headers['sec-fetch-mode'] === 'no-cors';
        batches.push({ body, headers: request.headers, status, beacon, receivedAt: Date.now() });

        if (status === 0) {
          request.socket.destroy();
          return;
        }
        response.writeHead(status, { ...cors, 'Content-Type': 'application/json' });
        response.end(status === 200 ? '{"success":true}' : '{"error":{"code":"TEST_FAILURE"}}');
      });
      return;
    }

    if (path === '/datafly.js' || path === '/datafly.esm.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
      response.end(path === '/datafly.js' ? script : module);
      return;
    }

    const html = pages.get(path);
    if (html === undefined) {
      response.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const delivered = () => batches.filter((b) => b.status === 200).flatMap((b) => b.body.batch);

  return {
    origin: `http://127.0.0.1:${port}`,
    batches,
    page: (path, html) => void pages.set(path, html),
    fail: (next) => void (failure = next),
    delivered,
    waitForEvent: (predicate, timeoutMs) =>
      eventually(() => delivered().find(predicate), 'event', timeoutMs),
    waitForEvents: (predicate, count, timeoutMs) =>
      eventually(
        () => {
          const matching = delivered().filter(predicate);
          return matching.length >= count ? matching : undefined;
        },
        `${count} events`,
        timeoutMs,
      ),
    waitForBatch: (predicate, timeoutMs) =>
      eventually(() => batches.find(predicate), 'batch', timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
