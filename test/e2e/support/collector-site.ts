/**
 * A test website served by Signal itself, so the page, `/datafly.js` and the gateway share one
 * origin, as on a site's first-party collection host. Pages install the real built collector the
 * way the collector's README tells sites to: a script tag, or the inline snippet.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildCollector } from '../../../collector/build.js';
import { renderSnippet } from '../../../collector/src/snippet.js';
import { COLLECTOR_BUILD, COLLECTOR_MODULE_BUILD } from '../../../src/runtime/collector-routes.js';
import { PIPELINE_KEY } from '../../support/signal-harness.js';

/** A page on the test site without the collector, to navigate away to. */
export const AWAY_PATH = '/site/away';

/** The seed's snippet, verbatim, as a page would run it after the collector has loaded. */
export const SEED_SNIPPET = `
datafly.identify("user-123", {
  email: "Jane.Doe@Example.com ",
  first_name: "Jane",
  last_name: "Doe",
  phone: "+44 7700 900123"
});
datafly.track("Signed Up");`;

function html(title: string, head: string): string {
  return [
    // An inline icon keeps Chromium from asking for /favicon.ico, which Signal answers 404.
    '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">',
    `<title>${title}</title>`,
    head,
    `</head><body><a id="away" href="${AWAY_PATH}">away</a></body></html>`,
  ].join('\n');
}

/**
 * A page installing the collector with `<script async src="/datafly.js" ...>`, from the page's
 * own origin or, given `scriptOrigin`, from Signal on another origin.
 */
export function scriptTagPage(title = 'Script tag', scriptOrigin = ''): string {
  return html(
    title,
    `<script async src="${scriptOrigin}/datafly.js" data-pipeline-key="${PIPELINE_KEY}"></script>`,
  );
}

/**
 * A page that imports the ES module build from Signal at `signalOrigin`, as a site without a
 * bundler would, creates the collector pointed at Signal, then runs `calls` on it (`datafly`).
 */
export function modulePage(signalOrigin: string, calls: string, title = 'ES module'): string {
  const options = JSON.stringify({ pipelineKey: PIPELINE_KEY, endpoint: signalOrigin });

  return html(
    title,
    `<script type="module">
      import { createDatafly } from '${signalOrigin}/datafly.esm.js';
      const datafly = createDatafly(${options});
      ${calls}
    </script>`,
  );
}

/** A page installing the collector with the inline snippet, then running `calls` at once. */
export function snippetPage(calls: string, title = 'Inline snippet'): string {
  const snippet = renderSnippet({ scriptUrl: '/datafly.js', pipelineKey: PIPELINE_KEY });

  return html(title, `<script>${snippet}\n${calls}</script>`);
}

/** Routes serving each page at its path, plus the page without the collector at `AWAY_PATH`. */
export function siteRoutes(pages: Record<string, string>): (app: FastifyInstance) => void {
  const all = { [AWAY_PATH]: html('Away', ''), ...pages };

  return (app) => {
    for (const [path, page] of Object.entries(all)) {
      app.get(path, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
    }
  };
}

/**
 * The `OptanonConsent` cookie value as OneTrust writes it: a URL-encoded query string whose
 * `groups` reads `C0001:1,C0004:1`.
 */
export function oneTrustCookie(groups: Record<string, boolean>): string {
  const list = Object.entries(groups)
    .map(([code, granted]) => `${code}:${granted ? 1 : 0}`)
    .join(',');

  return new URLSearchParams({ isGpcEnabled: '0', groups: list, hosts: '' }).toString();
}

/**
 * Throws unless `dist/collector/datafly.js` and `datafly.esm.js`, the files Signal serves, are the
 * build of the current collector source: a stale build would test yesterday's collector.
 */
export async function assertCollectorBuildIsCurrent(): Promise<void> {
  const { script, module } = await buildCollector();

  for (const [file, built] of [
    [COLLECTOR_BUILD, script],
    [COLLECTOR_MODULE_BUILD, module],
  ] as const) {
    if (readServed(file) !== built) {
      throw new Error(
        `${file} is missing or older than collector/src: run "node scripts/build-collector.mjs"`,
      );
    }
  }
}

function readServed(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
