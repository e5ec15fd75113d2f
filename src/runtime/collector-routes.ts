/**
 * Serves the browser collector from Signal's own origin (`/datafly.js`), so a site loads it from
 * its first-party subdomain. The file is the minified build made by `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COLLECTOR_BUILD = join(ROOT, 'dist', 'collector', 'datafly.js');

export function registerCollectorRoutes(app: FastifyInstance): void {
  let script: Buffer | undefined;

  app.get('/datafly.js', async (_request, reply) => {
    try {
      script ??= readFileSync(COLLECTOR_BUILD);
    } catch {
      return reply
        .code(404)
        .type('application/json')
        .send({
          error: { code: 'NOT_FOUND', message: 'datafly.js is not built: run "npm run build"' },
        });
    }
    return reply
      .type('application/javascript; charset=utf-8')
      .header('Cache-Control', 'public, max-age=300')
      .send(script);
  });
}
