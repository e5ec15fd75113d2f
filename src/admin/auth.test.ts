/**
 * Signing in: the session cookie, the CSRF rule for cookie-authenticated changes, the login
 * rate limit, and the first admin of a fresh installation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { ensureFirstAdmin } from './auth/first-admin.js';
import { verifyPassword } from './auth/passwords.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  callApi,
  startAdminRig,
  type AdminRig,
} from './test-support.js';

let rig: AdminRig;

before(async () => {
  rig = await startAdminRig();
});

after(() => rig.close());

async function cookieLogin(): Promise<string> {
  const reply = await callApi(rig.url, 'POST', '/auth/login', {
    body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  return /signal_session=([^;]+)/.exec(reply.headers['set-cookie'] ?? '')?.[1] ?? '';
}

describe('login', () => {
  it('answers a token and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const reply = await callApi(rig.url, 'POST', '/auth/login', {
      body: { email: 'Owner@Example.com ', password: ADMIN_PASSWORD },
    });

    const body = reply.body as { access_token: string; expires_in: number; role: string };
    const cookie = reply.headers['set-cookie'] ?? '';
    assert.equal(reply.status, 200);
    assert.equal(body.role, 'admin');
    assert.equal(body.expires_in, 900);
    assert.match(cookie, new RegExp(`^signal_session=${body.access_token};`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/v1\/admin/);
    assert.doesNotMatch(cookie, /Secure/, 'plain http on loopback cannot carry a Secure cookie');
  });

  it('refuses a wrong password without saying whether the account exists', async () => {
    const wrong = await callApi(rig.url, 'POST', '/auth/login', {
      body: { email: ADMIN_EMAIL, password: 'not the password' },
    });
    const unknown = await callApi(rig.url, 'POST', '/auth/login', {
      body: { email: 'nobody@example.com', password: 'not the password' },
    });

    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
  });

  it('answers 429 with Retry-After after five failures in a minute for one e-mail', async () => {
    const email = 'target@example.com';
    const attempts = [];

    for (let i = 0; i < 6; i += 1) {
      attempts.push(
        await callApi(rig.url, 'POST', '/auth/login', { body: { email, password: `guess ${i}` } }),
      );
    }

    assert.deepEqual(
      attempts.map((reply) => reply.status),
      [401, 401, 401, 401, 401, 429],
    );
    const retryAfter = Number(attempts[5]!.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    assert.equal((attempts[5]!.body as { error: { code: string } }).error.code, 'RATE_LIMITED');
  });
});

describe('cookie-authenticated changes', () => {
  it('are refused without the X-Requested-With header', async () => {
    const cookie = await cookieLogin();

    const reply = await callApi(rig.url, 'POST', '/pipelines', {
      headers: { cookie: `signal_session=${cookie}` },
      body: { name: 'Shop' },
    });

    assert.equal(reply.status, 403);
    assert.equal((reply.body as { error: { code: string } }).error.code, 'CSRF_REJECTED');
  });

  it('are accepted with X-Requested-With: signal-ui', async () => {
    const cookie = await cookieLogin();

    const reply = await callApi(rig.url, 'POST', '/pipelines', {
      headers: { cookie: `signal_session=${cookie}`, 'x-requested-with': 'signal-ui' },
      body: { name: 'Shop' },
    });

    assert.equal(reply.status, 201);
  });

  it('are not needed for reads, nor for bearer-authenticated changes', async () => {
    const cookie = await cookieLogin();

    const read = await callApi(rig.url, 'GET', '/auth/me', {
      headers: { cookie: `signal_session=${cookie}` },
    });
    const bearerChange = await rig.api('POST', '/pipelines', { body: { name: 'App' } });

    assert.equal(read.status, 200);
    assert.equal((read.body as { email: string }).email, ADMIN_EMAIL);
    assert.equal(bearerChange.status, 201);
  });
});

describe('requests', () => {
  it('must send JSON bodies', async () => {
    const reply = await rig.api('POST', '/pipelines', {
      headers: { 'content-type': 'text/plain' },
      body: '{"name":"x"}',
    });

    assert.equal(reply.status, 415);
  });

  it('are refused when too large', async () => {
    const reply = await rig.api('POST', '/pipelines', { body: { name: 'x'.repeat(600_000) } });

    assert.equal(reply.status, 413);
    assert.equal((reply.body as { error: { code: string } }).error.code, 'PAYLOAD_TOO_LARGE');
  });
});

describe('the first admin', () => {
  it('is created with a generated password printed once when no credentials are given', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'signal-first-admin-'));
    const store = await openSqliteStore({ path: join(folder, 'signal.db') });
    const printed: string[] = [];
    const announce = (text: string) => void printed.push(text);

    await ensureFirstAdmin(store, { announce });
    await ensureFirstAdmin(store, { announce });

    const user = await store.findUserByEmail('admin@localhost');
    const password = /password: (\S+)/.exec(printed[0] ?? '')?.[1] ?? '';
    assert.equal(printed.length, 1);
    assert.equal(user?.role, 'admin');
    assert.ok(await verifyPassword(password, user?.passwordHash ?? ''));
    assert.ok(!user?.passwordHash.includes(password));
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });
});
