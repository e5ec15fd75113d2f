/**
 * How long a Management API session lasts, on a clock the test moves: it ends after 15 minutes
 * without a request, each request moves that end forward, and 12 hours after login it ends
 * however busy it was. The API runs in process on a fresh SQLite file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { HttpClient } from '../deliver/http-client.js';
import { silentLogger } from '../observability/logger.js';
import { TraceBus } from '../observability/trace.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { registerAdminRoutes } from './admin-routes.js';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from './auth/sessions.js';
import { TraceRecorder } from './debugger/trace-recorder.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './test-support.js';

const MINUTE = 60_000;

let dataDir: string;
let store: Store;
let app: FastifyInstance;
let vendorHttp: HttpClient;
let clock: number;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'signal-sessions-'));
  store = await openSqliteStore({ path: join(dataDir, 'signal.db'), synchronous: 'normal' });
  vendorHttp = new HttpClient();
  // From the real time on: the store forgets sessions expired by its own clock at each login.
  clock = Date.now();
  app = Fastify();
  await registerAdminRoutes(app, {
    store,
    traces: new TraceRecorder(new TraceBus()),
    logger: silentLogger(),
    vendorHttp,
    reloadConfiguration: async () => {},
    firstAdmin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    now: () => clock,
  });
});

afterEach(async () => {
  await app.close();
  await vendorHttp.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function login(): Promise<string> {
  const reply = await app.inject({
    method: 'POST',
    url: '/v1/admin/auth/login',
    payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  assert.equal(reply.statusCode, 200, reply.body);
  return (reply.json() as { access_token: string }).access_token;
}

/** The status of `GET /auth/me` with `token`, `afterMs` after the previous request. */
async function meAfter(token: string, afterMs: number): Promise<number> {
  clock += afterMs;
  const reply = await app.inject({
    url: '/v1/admin/auth/me',
    headers: { authorization: `Bearer ${token}` },
  });
  return reply.statusCode;
}

describe('a session', () => {
  it('still works just before 15 idle minutes, and is refused with 401 just after', async () => {
    assert.equal(SESSION_IDLE_MS, 15 * MINUTE);
    const kept = await login();
    const dropped = await login();

    assert.equal(await meAfter(kept, SESSION_IDLE_MS - 1_000), 200);
    assert.equal(await meAfter(dropped, 2_000), 401);
  });

  it('is kept alive by use: requests every 10 minutes carry it past the idle limit', async () => {
    const token = await login();

    for (let minute = 10; minute <= 60; minute += 10) {
      assert.equal(await meAfter(token, 10 * MINUTE), 200, `at minute ${minute}`);
    }
    assert.equal(await meAfter(token, SESSION_IDLE_MS + 1_000), 401, 'idle again: ended');
  });

  it('ends 12 hours after login however often it is used', async () => {
    const token = await login();
    const step = 10 * MINUTE;

    let elapsed = 0;
    while (elapsed + step < SESSION_MAX_MS) {
      elapsed += step;
      assert.equal(await meAfter(token, step), 200, `after ${elapsed / MINUTE} minutes`);
    }
    assert.equal(await meAfter(token, SESSION_MAX_MS - elapsed), 401);
  });
});
