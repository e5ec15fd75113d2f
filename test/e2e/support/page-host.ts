/**
 * The site's own web server, on another origin than Signal's, as in production where the shop
 * (`shop.example`) loads datafly.js from its collection host (`data.shop.example`). It serves the
 * test pages and records every request, so a test can tell that no batch went to the page's
 * origin. It listens on 127.0.0.1 and is reached under any loopback name Chromium resolves:
 * `localhost`, or a `*.localhost` name that makes Signal's origin a subdomain of the site.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageHost {
  /** `http://<hostname>:<port>`. */
  origin: string;
  /** Serves `html` at `path` (a path without query). */
  page(path: string, html: string): void;
  /** Every request received, in arrival order. */
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function startPageHost(hostname: string): Promise<PageHost> {
  const pages = new Map<string, string>();
  const requests: PageHost['requests'] = [];

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname;
    requests.push({ method: request.method ?? 'GET', path });

    const html = pages.get(path);
    if (html === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://${hostname}:${port}`,
    page: (path, html) => void pages.set(path, html),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `origin` under another host name: the same loopback server, reached by another name. */
export function renameOrigin(origin: string, hostname: string): string {
  const renamed = new URL(origin);
  renamed.hostname = hostname;

  return renamed.origin;
}
