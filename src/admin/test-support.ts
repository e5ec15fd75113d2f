/**
 * A rig for the Management API's tests: the Actito sandbox and a whole Signal process (ingest,
 * processor, delivery, admin API) on a fresh SQLite file, over real HTTP on free ports, with an
 * admin and a viewer signed in. Not part of the public API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { request, WebSocket } from 'undici';
import { eventually } from '../../test/support/eventually.js';
import { standIn } from '../../test/support/stand-in.js';
import { silentLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { startSignalApp, type SignalApp } from '../runtime/signal-app.js';
import {
  startSandbox,
  type AttributeConfig,
  type Sandbox,
  type SandboxConfig,
} from '../sandbox/index.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';

export const ADMIN_EMAIL = 'owner@example.com';
export const ADMIN_PASSWORD = 'correct horse battery staple';
export const VIEWER_EMAIL = 'viewer@example.com';
export const VIEWER_PASSWORD = 'viewer password 2025';
export const PIPELINE_KEY = 'dk_admin_test_pipeline';
/** An API key the sandbox accepts, so a secret that must never be echoed still works. */
export const SECRET_API_KEY = 'ak_live_SECRET123';

export interface ApiReply {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: unknown;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface AdminRig {
  signal: SignalApp;
  sandbox: Sandbox;
  store: Store;
  url: string;
  adminToken: string;
  viewerToken: string;
  /** Calls the admin API (`path` relative to `/v1/admin`) with the admin token by default. */
  api(method: string, path: string, options?: CallOptions): Promise<ApiReply>;
  /** Sends one event to the gateway with the test pipeline's key. */
  send(path: string, body: unknown): Promise<number>;
  close(): Promise<void>;
}

const STANDARD_ATTRIBUTES: AttributeConfig[] = [
  { name: 'email', type: 'EMAIL_ADDRESS', unique: true, mandatory: true },
  { name: 'firstName', type: 'FIRSTNAME' },
  { name: 'lastName', type: 'LASTNAME' },
  { name: 'phone', type: 'PHONE_NUMBER' },
  { name: 'language', type: 'MOTHER_LANGUAGE' },
];

/**
 * Entity `demo` with two tables: `Profiles` (the seed's `marketingConsent`) and `Optins`, whose
 * marketing attribute is `optin_marketing`. Both the demo key and `SECRET_API_KEY` may write.
 */
export function rigSandboxConfig(): SandboxConfig {
  const rights = [{ entity: 'demo', table: '*', write: true }];
  const boolean = (name: string): AttributeConfig => ({
    name,
    type: 'CUSTOM',
    valueType: 'BOOLEAN',
  });

  return {
    licences: [
      {
        id: 'demo',
        api_keys: [
          { key: 'sandbox-key', rights },
          { key: SECRET_API_KEY, rights },
        ],
        entities: [
          {
            name: 'demo',
            tables: [
              {
                name: 'Profiles',
                attributes: [...STANDARD_ATTRIBUTES, boolean('marketingConsent')],
              },
              { name: 'Optins', attributes: [...STANDARD_ATTRIBUTES, boolean('optin_marketing')] },
            ],
          },
        ],
        limits: { concurrency: 5, calls_per_minute: null },
      },
    ],
  };
}

export async function startAdminRig(): Promise<AdminRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signal-admin-'));
  const sandbox = await startSandbox({ port: 0, config: rigSandboxConfig() });
  const store = await openSqliteStore({ path: join(dataDir, 'signal.db'), synchronous: 'normal' });
  await store.upsertPipeline({
    id: 'web',
    name: 'Website',
    key: PIPELINE_KEY,
    allowedOrigins: ['*'],
    integrationIds: [],
    rateLimitPerSecond: 100_000,
    enabled: true,
  });
  await store.putConsentSettings({ default: 'denied', mapping: { C0004: 'marketing' } });

  // The first admin comes from the environment, as in production.
  process.env.SIGNAL_ADMIN_EMAIL = ADMIN_EMAIL;
  process.env.SIGNAL_ADMIN_PASSWORD = ADMIN_PASSWORD;
  const signal = await startSignalApp({
    store,
    logger: silentLogger(),
    metrics: createMetrics({ defaults: false }),
    port: 0,
    retryPolicy: { delaysMs: [50], jitter: 0, maxRetryAfterMs: 100 },
    leaseMs: 5_000,
  });

  const api = (method: string, path: string, options: CallOptions = {}) =>
    callApi(signal.url, method, path, options);
  const adminToken = await login(signal.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await api('POST', '/users', {
    token: adminToken,
    body: { email: VIEWER_EMAIL, password: VIEWER_PASSWORD, role: 'viewer' },
  });
  const viewerToken = await login(signal.url, VIEWER_EMAIL, VIEWER_PASSWORD);

  return {
    signal,
    sandbox,
    store,
    url: signal.url,
    adminToken,
    viewerToken,
    api: (method, path, options = {}) => api(method, path, { token: adminToken, ...options }),
    async send(path, body) {
      const reply = await request(`${signal.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PIPELINE_KEY}` },
        body: JSON.stringify(body),
      });
      await reply.body.dump();
      return reply.statusCode;
    },
    async close() {
      await signal.close();
      await store.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers hooks that start a fresh rig before each test of the calling file and close it after.
 * The rig returned stands for the running test's, as a variable assigned in `beforeEach` would:
 * read it inside tests, not while they are being declared.
 */
export function useAdminRigPerTest(): AdminRig {
  let current: AdminRig | undefined;
  beforeEach(async () => {
    current = await startAdminRig();
  });
  afterEach(() => current?.close());

  return standIn(() => current, 'the admin rig is only there inside tests');
}

/** Calls the admin API; `token` undefined sends no credentials. */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiReply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';

  const reply = await request(`${baseUrl}/v1/admin${path}`, {
    method: method as 'GET',
    headers,
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await reply.body.text();

  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join('\n') : value;
  }
  return { status: reply.statusCode, headers: flat, text, body: parseJson(text) };
}

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const reply = await callApi(baseUrl, 'POST', '/auth/login', { body: { email, password } });
  const token = (reply.body as { access_token?: unknown } | null)?.access_token;
  if (reply.status !== 200 || typeof token !== 'string') {
    throw new Error(`login of ${email} failed with ${reply.status}: ${reply.text}`);
  }

  return token;
}

/** The Actito integration of the tests, writing to `table` with `SECRET_API_KEY`. */
export function actitoIntegration(sandbox: Sandbox, table = 'Profiles'): Record<string, unknown> {
  const integration = baseActitoIntegration({
    apiHost: sandbox.url,
    apiKey: SECRET_API_KEY,
    table,
  });

  return {
    ...integration,
    config: { ...integration.config, timeout_ms: '2000' },
    delivery: { calls_per_minute: null },
  };
}

/**
 * The integration both the API and the UI tests add: Actito with the Default preset on pipeline
 * `web`, gated on marketing, writing to `table` of entity `demo` at `apiHost` with `apiKey`.
 */
export function baseActitoIntegration({
  apiHost,
  apiKey,
  table = 'Profiles',
}: {
  apiHost: string;
  apiKey: string;
  table?: string;
}) {
  return {
    id: 'actito',
    vendor: 'actito',
    name: 'Actito',
    preset: 'default',
    config: { entity: 'demo', profile_table: table, api_key: apiKey, api_host: apiHost },
    consent_categories: ['marketing'],
    pipelines: ['web'],
  };
}

/** A debugger trace as `GET /debugger/recent` lists it. */
export interface TraceBody {
  stage: string;
  integrationId?: string;
  messageIds: string[];
  detail: { reason?: string };
}

/** Polls the debugger until it shows a trace of `stage` for the event `messageId`; returns it. */
export function waitForTrace(rig: AdminRig, messageId: string, stage: string): Promise<TraceBody> {
  return eventually(async () => {
    const recent = (await rig.api('GET', '/debugger/recent')).body as { data: TraceBody[] };
    return recent.data.find((t) => t.stage === stage && t.messageIds.includes(messageId));
  }, `${stage} of ${messageId}`);
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface FeedClient {
  /** Every JSON message received so far, in order. */
  messages: Record<string, unknown>[];
  /** Resolves with the close code once the server or client closes. */
  closed: Promise<number>;
  /** The first message (already received or still to come) that satisfies `predicate`. */
  next(
    predicate: (message: Record<string, unknown>) => boolean,
    what: string,
  ): Promise<Record<string, unknown>>;
  send(message: unknown): void;
  close(): void;
}

/** Opens the debugger feed as a browser would (cookie) or as a script (`?access_token=`). */
export async function openFeed(
  baseUrl: string,
  auth: { token?: string; cookie?: string; origin?: string } = {},
): Promise<FeedClient> {
  const query = auth.token ? `?access_token=${encodeURIComponent(auth.token)}` : '';
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = `signal_session=${auth.cookie}`;
  if (auth.origin) headers.origin = auth.origin;

  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/admin/debugger/ws${query}`, {
    headers,
  });
  const messages: Record<string, unknown>[] = [];
  socket.addEventListener('message', (event) => {
    messages.push(JSON.parse(String(event.data)) as Record<string, unknown>);
  });
  const closed = new Promise<number>((resolve) =>
    socket.addEventListener('close', (event) => resolve(event.code)),
  );
  await new Promise<void>((resolve) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('close', () => resolve());
  });

  return {
    messages,
    closed,
    next: (predicate, what) => eventually(() => messages.find(predicate), what),
    send: (message) => socket.send(JSON.stringify(message)),
    close: () => socket.close(),
  };
}
