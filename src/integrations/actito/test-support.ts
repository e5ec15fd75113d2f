/**
 * Shared arrangements of the Actito tests: a sandbox per test, a fresh integration with its own
 * token cache, the seed's example event, and licences with the keys the tests need.
 */
import type { TestContext } from 'node:test';

import { uniformConsent } from '../../core/consent.js';
import type { SignalEvent } from '../../core/envelope.js';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../deliver/http-client.js';
import { TokenCache } from '../../deliver/token-cache.js';
import { silentLogger, type Logger } from '../../observability/logger.js';
import {
  demoConfig,
  startSandbox,
  type Sandbox,
  type SandboxConfig,
  type SandboxOptions,
} from '../../sandbox/index.js';
import type { DeliveryContext, IntegrationDefinition, PlanInput } from '../types.js';
import type { ActitoConfig } from './config.js';
import { createActitoIntegration } from './index.js';

export const SANDBOX_KEY = 'sandbox-key';
/** A key with read access only on demo/Profiles. */
export const READ_ONLY_KEY = 'read-only-key-0123456789';
/** A key with rights on another entity only. */
export const OTHER_ENTITY_KEY = 'other-entity-key-0123456789';

/** The HttpClient, remembering every Authorization value sent so tests can hunt for leaks. */
export class SpyingHttpClient extends HttpClient {
  readonly credentialsSent = new Set<string>();

  override send(req: HttpRequest): Promise<HttpResponse> {
    const authorization = req.headers.Authorization;
    if (authorization !== undefined) {
      this.credentialsSent.add(authorization.replace(/^Bearer\s+/i, ''));
    }
    return super.send(req);
  }
}

export interface Harness {
  sandbox: Sandbox;
  integration: IntegrationDefinition<ActitoConfig>;
  tokens: TokenCache;
  http: SpyingHttpClient;
  context: DeliveryContext;
  /** Parses the demo settings against this sandbox, with `overrides` on top. */
  config(overrides?: Record<string, unknown>): ActitoConfig;
}

export interface HarnessOptions extends SandboxOptions {
  logger?: Logger;
  /** The token cache's clock, so a test can move past a token's refresh point without waiting. */
  now?: () => number;
}

/** Starts a sandbox and a fresh integration for one test; both are closed after it. */
export async function harness(t: TestContext, options: HarnessOptions = {}): Promise<Harness> {
  const { logger, now, ...sandboxOptions } = options;
  const sandbox = await startSandbox({ port: 0, config: testLicences(), ...sandboxOptions });
  const tokens = new TokenCache(now === undefined ? {} : { now });
  const integration = createActitoIntegration({ tokens });
  const http = new SpyingHttpClient({ timeoutMs: 5_000 });

  t.after(async () => {
    await http.close();
    await sandbox.close();
  });

  return {
    sandbox,
    integration,
    tokens,
    http,
    context: { http, logger: logger ?? silentLogger() },
    config: (overrides = {}) =>
      integration.parseConfig({
        entity: 'demo',
        profile_table: 'Profiles',
        api_key: SANDBOX_KEY,
        api_host: sandbox.url,
        ...overrides,
      }),
  };
}

/**
 * The demo licence plus a read-only key and a second entity, with Actito's limits or, for
 * concurrency tests, none (`limits: null`).
 */
export function testLicences(limits: 'actito' | null = 'actito'): SandboxConfig {
  const config = demoConfig();
  const licence = config.licences[0];
  if (licence === undefined) throw new Error('the demo config has no licence');

  licence.api_keys.push(
    { key: READ_ONLY_KEY, rights: [{ entity: 'demo', table: 'Profiles', write: false }] },
    { key: OTHER_ENTITY_KEY, rights: [{ entity: 'other', table: '*', write: true }] },
  );
  licence.entities.push({
    name: 'other',
    tables: [
      { name: 'Contacts', attributes: [{ name: 'email', type: 'EMAIL_ADDRESS', unique: true }] },
    ],
  });
  if (limits === null) licence.limits = { concurrency: null, calls_per_minute: null };

  return config;
}

/** The seed's example: `identify` with these traits, then `track("Signed Up")`. */
export function signedUpEvent(): PlanInput {
  const event: SignalEvent = {
    type: 'track',
    event: 'Signed Up',
    properties: {},
    traits: {
      email: 'Jane.Doe@Example.com ',
      first_name: 'Jane',
      last_name: 'Doe',
      phone: '+44 7700 900123',
    },
    userId: 'user-123',
    anonymousId: 'anon-1',
    context: { locale: 'en-GB' },
    timestamp: '2025-01-01T10:00:00.000Z',
    messageId: 'msg-1',
    receivedAt: '2025-01-01T10:00:00.100Z',
  };

  return { event, consent: uniformConsent(true) };
}

/** The seed's expected profile payload, byte for byte. */
export const SEED_PAYLOAD =
  '{"email":"jane.doe@example.com","firstName":"Jane","lastName":"Doe",' +
  '"phone":"+447700900123","language":"en","marketingConsent":true}';

/** A delivery of one profile with these attributes. */
export function profileRequest(email: string, extra: Record<string, unknown> = {}) {
  return { profileKey: email, attributes: { email, ...extra } };
}

/** A clock for the token cache that moves only when the test says so. */
export function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** The recorded sandbox requests to one kind of path. */
export function callsTo(sandbox: Sandbox, kind: 'token' | 'profile') {
  return sandbox
    .requests()
    .filter((r) => (kind === 'token' ? r.path === '/auth/token' : r.path.endsWith('/profile')));
}
