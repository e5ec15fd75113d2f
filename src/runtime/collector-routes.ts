/**
 * Serves the browser collector from Signal's own origin, so a site loads it from its first-party
 * subdomain: `/datafly.js`, the script-tag build, and `/datafly.esm.js`, the ES module a page can
 * import. Both are the files `npm run build` writes to `dist/collector`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = join(ROOT, 'dist', 'collector');

export const COLLECTOR_BUILD = join(BUILD, 'datafly.js');
export const COLLECTOR_MODULE_BUILD = join(BUILD, 'datafly.esm.js');

export function registerCollectorRoutes(app: FastifyInstance): void {
  serveBuiltFile(app, '/datafly.js', COLLECTOR_BUILD, {});

  // Browsers fetch a module script in CORS mode: without this header, a page on the site's own
  // origin could not import the module from the collection subdomain. The file is public.
  serveBuiltFile(app, '/datafly.esm.js', COLLECTOR_MODULE_BUILD, {
    'access-control-allow-origin': '*',
  });
}

/** Serves `file`, read once on the first request, or a 404 that says how to build it. */
function serveBuiltFile(
  app: FastifyInstance,
  path: string,
  file: string,
  headers: Record<string, string>,
): void {
  let content: Buffer | undefined;

  app.get(path, async (_request, reply) => {
    try {
      content ??= readFileSync(file);
    } catch {
      return reply
        .code(404)
        .type('application/json')
        .send({
          error: {
            code: 'NOT_FOUND',
            message: `${path.slice(1)} is not built: run "npm run build"`,
          },
        });
    }

    return reply
      .type('application/javascript; charset=utf-8')
      .header('Cache-Control', 'public, max-age=300')
      .headers(headers)
      .send(content);
  });
}
