/**
 * The baseline: a bare `node:http` server that reads the whole body and answers what the gateway
 * answers, with no parsing, validation or storage. Signal's ingestion is compared with it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpuMs, serveParent } from './child-rpc.js';

const BODY = '{"success":true}';

const server = createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(BODY),
    });
    response.end(BODY);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

serveParent(
  { url: `http://127.0.0.1:${port}`, idleRssBytes: process.memoryUsage.rss() },
  {
    sample: async () => ({ cpuMs: cpuMs() }),
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      return { maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    },
  },
);
