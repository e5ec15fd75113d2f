/**
 * The rig for the management UI's browser tests: the Actito sandbox (with a table that also
 * declares `optin_marketing`), Signal on a fresh SQLite file with one pipeline and no
 * integration, the UI built from the current sources into a temporary folder, an admin user, and
 * a test site page served by Signal itself that installs `datafly.js` with the pipeline key, as
 * the seed's "test page with Signal installed". The tests add the integration through the UI, as
 * a person would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provision } from '../../../src/config/provision.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { startSignalApp, type SignalApp } from '../../../src/runtime/signal-app.js';
import {
  demoConfig,
  overrideLimits,
  startSandbox,
  type Sandbox,
  type SandboxConfig,
} from '../../../src/sandbox/index.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { callApi, login, type ApiReply } from '../../../src/admin/test-support.js';
import { buildUi } from '../../../ui/build.js';
import { scriptTagPage, siteRoutes } from '../../e2e/support/collector-site.js';
import { FAST_RETRIES, PIPELINE_KEY } from '../../support/signal-harness.js';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

/** The test site's sign-up page, which loads `/datafly.js` with the pipeline key. */
export const SITE_PATH = '/site/sign-up';

export interface UiRig {
  signal: SignalApp;
  sandbox: Sandbox;
  /** `http://127.0.0.1:<port>/ui/` */
  uiUrl: string;
  /** The test site's page with the collector installed. */
  siteUrl: string;
  /** POSTs JSON to Signal's gateway with the pipeline key. */
  send(path: string, body: unknown): Promise<number>;
  /** Calls the Management API as the admin, for set-up a test does not exercise in the UI. */
  admin(method: string, path: string, body?: unknown): Promise<ApiReply>;
  close(): Promise<void>;
}

export async function startUiRig(): Promise<UiRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signal-ui-'));
  const uiDir = join(dataDir, 'ui');
  const saved = {
    email: process.env.SIGNAL_ADMIN_EMAIL,
    password: process.env.SIGNAL_ADMIN_PASSWORD,
  };

  const [sandbox, store] = await Promise.all([
    startSandbox({ port: 0, config: sandboxWithOptIn() }),
    openSqliteStore({ path: join(dataDir, 'signal.db'), synchronous: 'normal' }),
    buildUi(uiDir),
  ]);
  await provision(store, {
    pipelines: [
      {
        id: 'web',
        name: 'Website',
        key: PIPELINE_KEY,
        allowedOrigins: ['*'],
        integrationIds: [],
        rateLimitPerSecond: 100_000,
        enabled: true,
      },
    ],
    integrations: [],
    consent: { default: 'denied', mapping: { C0004: 'marketing' } },
  });

  // The first admin comes from the environment, as in production.
  process.env.SIGNAL_ADMIN_EMAIL = ADMIN.email;
  process.env.SIGNAL_ADMIN_PASSWORD = ADMIN.password;
  const signal = await startSignalApp({
    store,
    logger: silentLogger(),
    metrics: createMetrics({ defaults: false }),
    port: 0,
    retryPolicy: FAST_RETRIES,
    leaseMs: 5_000,
    uiDirectory: uiDir,
    routes: siteRoutes({ [SITE_PATH]: scriptTagPage('Sign up') }),
  });
  restoreEnv(saved);
  const token = await login(signal.url, ADMIN.email, ADMIN.password);

  return {
    signal,
    sandbox,
    uiUrl: `${signal.url}/ui/`,
    siteUrl: `${signal.url}${SITE_PATH}`,
    async send(path, body) {
      const response = await fetch(`${signal.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PIPELINE_KEY}` },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response.status;
    },
    admin: (method, path, body) => callApi(signal.url, method, path, { token, body }),
    async close() {
      await signal.close();
      await store.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The demo licence, unthrottled, whose table also has the `optin_marketing` attribute. */
function sandboxWithOptIn(): SandboxConfig {
  const config = overrideLimits(demoConfig(), { calls_per_minute: null });
  const table = config.licences[0]!.entities[0]!.tables[0]!;
  table.attributes.push({ name: 'optin_marketing', type: 'CUSTOM', valueType: 'BOOLEAN' });
  return config;
}

function restoreEnv(saved: { email: string | undefined; password: string | undefined }): void {
  if (saved.email === undefined) delete process.env.SIGNAL_ADMIN_EMAIL;
  else process.env.SIGNAL_ADMIN_EMAIL = saved.email;
  if (saved.password === undefined) delete process.env.SIGNAL_ADMIN_PASSWORD;
  else process.env.SIGNAL_ADMIN_PASSWORD = saved.password;
}
