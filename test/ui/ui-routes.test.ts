/**
 * How Signal serves the built management UI under /ui/: the page for every client-side route,
 * cacheable hashed assets, and plain JSON 404s (including when the UI was never built).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerUiRoutes } from '../../src/runtime/ui-routes.js';
import { buildUi } from '../../ui/build.js';

describe('the UI routes', () => {
  let dir: string;
  let app: FastifyInstance;
  let assets: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signal-ui-routes-'));
    await buildUi(join(dir, 'ui'));
    assets = readdirSync(join(dir, 'ui', 'assets'));
    app = Fastify();
    registerUiRoutes(app, { directory: join(dir, 'ui') });
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers index.html for the root and for any client-side route, never cached stale', async () => {
    for (const url of ['/ui/', '/ui/integrations/actito/mappings', '/ui/debugger?integration=x']) {
      const response = await app.inject({ url });

      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(response.headers['cache-control'], 'no-cache');
      assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
      assert.match(response.body, /<script type="module" src="\/ui\/assets\/main-[A-Z0-9]+\.js">/);
    }
  });

  it('redirects /ui to /ui/', async () => {
    const response = await app.inject({ url: '/ui' });

    assert.equal(response.statusCode, 301);
    assert.equal(response.headers.location, '/ui/');
  });

  it('serves hashed assets with their content type, cached for a year', async () => {
    const script = assets.find((name) => name.endsWith('.js'))!;
    const styles = assets.find((name) => name.endsWith('.css'))!;

    const js = await app.inject({ url: `/ui/assets/${script}` });
    const css = await app.inject({ url: `/ui/assets/${styles}` });

    assert.equal(js.statusCode, 200);
    assert.equal(js.headers['content-type'], 'application/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  });

  it('answers a JSON 404 for an unknown asset or a path that tries to leave the folder', async () => {
    for (const url of [
      '/ui/assets/nope.js',
      '/ui/assets/..%2F..%2Fpackage.json',
      '/ui/assets/x.exe',
    ]) {
      const response = await app.inject({ url });

      assert.equal(response.statusCode, 404, url);
      assert.equal(response.json().error.code, 'NOT_FOUND');
    }
  });

  it('says how to build the UI when it is not built', async () => {
    const bare = Fastify();
    registerUiRoutes(bare, { directory: join(dir, 'missing') });

    const response = await bare.inject({ url: '/ui/' });

    assert.equal(response.statusCode, 404);
    assert.match(response.json().error.message, /not built: run "npm run build"/);
    await bare.close();
  });
});
