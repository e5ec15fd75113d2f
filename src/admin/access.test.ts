/**
 * Who may call what, generated from the OpenAPI document the server serves, so a new route is
 * covered the moment it is added to the contract (and refused until it is).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { HttpClient } from '../deliver/http-client.js';
import { silentLogger } from '../observability/logger.js';
import { TraceRecorder } from './debugger/trace-recorder.js';
import { TraceBus } from '../observability/trace.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { ADMIN_OPERATIONS, toRoutePath } from './api-operations.js';
import { registerAdminRoutes } from './admin-routes.js';
import { ADMIN_PREFIX } from './openapi.js';
import { callApi, startAdminRig, type AdminRig } from './test-support.js';

interface DocumentOperation {
  method: string;
  path: string;
  access: string;
}

let rig: AdminRig;
let operations: DocumentOperation[];

before(async () => {
  rig = await startAdminRig();
  const document = await callApi(rig.url, 'GET', '/openapi.json');
  operations = operationsOf(document.body);
});

after(() => rig.close());

/** Every operation of the served document, with its access rule. */
function operationsOf(document: unknown): DocumentOperation[] {
  const paths = (document as { paths: Record<string, Record<string, Record<string, unknown>>> })
    .paths;

  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: path
        .slice(ADMIN_PREFIX.length)
        .replace(/\{n\}/g, '1')
        .replace(/\{[^}]+\}/g, 'x'),
      access: String(operation['x-signal-access']),
    })),
  );
}

describe('the contract', () => {
  it('is served without authentication as OpenAPI 3.1', async () => {
    const reply = await callApi(rig.url, 'GET', '/openapi.json');

    assert.equal(reply.status, 200);
    assert.equal((reply.body as { openapi: string }).openapi, '3.1.0');
    assert.equal(operations.length, ADMIN_OPERATIONS.length);
  });

  it('lists exactly the routes the server registers', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'signal-admin-routes-'));
    const store = await openSqliteStore({ path: join(folder, 'signal.db') });
    const app = Fastify();
    const http = new HttpClient();

    const { routes } = await registerAdminRoutes(app, {
      store,
      traces: new TraceRecorder(new TraceBus()),
      logger: silentLogger(),
      vendorHttp: http,
      reloadConfiguration: async () => {},
      announce: () => {},
    });
    await app.ready();
    const contract = ADMIN_OPERATIONS.map(
      (operation) => `${operation.method} ${ADMIN_PREFIX}${toRoutePath(operation.path)}`,
    );

    assert.deepEqual([...routes].sort(), [...contract].sort());
    await app.close();
    await http.close();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });
});

describe('anonymous requests', () => {
  it('are refused with 401 on every route but the public ones', async () => {
    const refused: string[] = [];

    for (const operation of operations.filter((candidate) => candidate.access !== 'public')) {
      const reply = await callApi(rig.url, operation.method, operation.path, {
        ...(operation.method === 'GET' ? {} : { body: {} }),
      });
      const code = (reply.body as { error?: { code?: string } } | null)?.error?.code;
      if (reply.status !== 401 || code !== 'UNAUTHENTICATED') {
        refused.push(`${operation.method} ${operation.path} → ${reply.status}`);
      }
    }

    assert.deepEqual(refused, []);
  });

  it('are refused with a token that is not a session', async () => {
    const reply = await callApi(rig.url, 'GET', '/pipelines', { token: 'not-a-session' });

    assert.equal(reply.status, 401);
  });
});

describe('a viewer', () => {
  it('is refused with 403 on every admin route', async () => {
    const wrong: string[] = [];

    for (const operation of operations.filter((candidate) => candidate.access === 'admin')) {
      const reply = await callApi(rig.url, operation.method, operation.path, {
        token: rig.viewerToken,
        ...(operation.method === 'GET' ? {} : { body: {} }),
      });
      const code = (reply.body as { error?: { code?: string } } | null)?.error?.code;
      if (reply.status !== 403 || code !== 'FORBIDDEN') {
        wrong.push(`${operation.method} ${operation.path} → ${reply.status}`);
      }
    }

    assert.deepEqual(wrong, []);
  });

  it('may read every viewer route', async () => {
    const refused: string[] = [];

    const reads = operations.filter((op) => op.access === 'viewer' && op.method === 'GET');
    for (const operation of reads) {
      if (operation.path === '/debugger/ws') continue;
      const reply = await callApi(rig.url, 'GET', operation.path, { token: rig.viewerToken });
      if (reply.status === 401 || reply.status === 403) refused.push(operation.path);
    }

    assert.deepEqual(refused, []);
  });

  it('may change their own password and log out', async () => {
    const { login } = await import('./test-support.js');
    const token = await login(rig.url, 'viewer@example.com', 'viewer password 2025');

    const change = await callApi(rig.url, 'POST', '/auth/password', {
      token,
      body: { current_password: 'viewer password 2025', new_password: 'viewer password 2026' },
    });
    const logout = await callApi(rig.url, 'POST', '/auth/logout', { token });
    const afterLogout = await callApi(rig.url, 'GET', '/auth/me', { token });
    const otherSession = await callApi(rig.url, 'GET', '/auth/me', { token: rig.viewerToken });

    assert.equal(change.status, 204);
    assert.equal(logout.status, 204);
    assert.equal(afterLogout.status, 401);
    assert.equal(otherSession.status, 401, 'a password change ends the other sessions');
  });
});
