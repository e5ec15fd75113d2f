/**
 * The demo page (`/`) and a read-only view of the sandbox's profiles for it (`/demo/profiles`),
 * so the page can show what reached "Actito" without talking to the sandbox itself.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../sandbox/index.js';
import { DEMO_PIPELINE_KEY } from './demo-config.js';

const PAGE = join(dirname(fileURLToPath(import.meta.url)), 'demo-page.html');

export function registerDemoRoutes(app: FastifyInstance, deps: { sandbox: Sandbox }): void {
  const page = readFileSync(PAGE, 'utf8').replaceAll('{{PIPELINE_KEY}}', DEMO_PIPELINE_KEY);

  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(page),
  );

  app.get('/demo/profiles', async (_request, reply) =>
    reply.header('Cache-Control', 'no-store').send({
      profiles: deps.sandbox.profiles('demo', 'Profiles'),
    }),
  );
}
