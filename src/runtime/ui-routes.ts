/**
 * Serves the management UI built by `node scripts/build-ui.mjs` from `dist/ui/` under `/ui/`.
 * Assets have content-hashed names and are cached for a year; every other `/ui/*` path answers
 * `index.html` (revalidated on each load) so the UI's own client-side routes survive a reload.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const UI_BUILD = join(ROOT, 'dist', 'ui');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

// The UI renders untrusted event data; a strict policy means a rendering slip cannot run script.
// `connect-src 'self'` covers the debugger's same-origin WebSocket.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
    "form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

/** A single file name: no directories, so a request can never leave `dist/ui/assets`. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export interface UiRoutesOptions {
  /** Where the build lives; tests point it elsewhere. Default `dist/ui`. */
  directory?: string;
}

export function registerUiRoutes(app: FastifyInstance, options: UiRoutesOptions = {}): void {
  const directory = options.directory ?? UI_BUILD;

  app.get('/ui', async (_request, reply) => reply.redirect('/ui/', 301));

  app.get<{ Params: { file: string } }>('/ui/assets/:file', async (request, reply) => {
    const { file } = request.params;
    const type = CONTENT_TYPES[extname(file)];
    if (!ASSET_NAME.test(file) || !type) return notFound(reply, `no UI asset named ${file}`);

    const body = await readOrUndefined(join(directory, 'assets', file));
    if (!body) return notFound(reply, `no UI asset named ${file}`);

    return reply
      .type(type)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('X-Content-Type-Options', 'nosniff')
      .send(body);
  });

  // Any other path is a client-side route of the single-page app.
  app.get('/ui/*', async (_request, reply) => {
    const page = await readOrUndefined(join(directory, 'index.html'));
    if (!page) {
      return notFound(
        reply,
        'the management UI is not built: run "npm run build" (or "node scripts/build-ui.mjs")',
      );
    }

    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .headers(SECURITY_HEADERS)
      .send(page);
  });
}

async function readOrUndefined(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

function notFound(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(404)
    .type('application/json; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .send({ error: { code: 'NOT_FOUND', message } });
}
