import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';

import { pino } from 'pino';

import { HttpClient, type HttpRequest, type HttpResponse } from '../../deliver/http-client.js';
import { TokenCache } from '../../deliver/token-cache.js';
import { demoConfig } from '../../sandbox/index.js';
import { createActitoIntegration } from './index.js';
import { harness, profileRequest } from './test-support.js';

/** A key long and odd enough that finding it anywhere is no coincidence. */
const LEAKY_KEY = 'k3y-MUST-NEVER-LEAK-7f2c9a41d0';

/** Credentials short enough that a length threshold would have skipped them. */
const SHORT_KEY = 'Qz7';
const SHORT_TOKEN = 'T0k';
const SHORT_PREVIEW_TOKEN = 'Px4';

/** A vendor that issues a short token and echoes the credentials it got in its 400 body. */
class EchoingHttpClient extends HttpClient {
  override send(req: HttpRequest): Promise<HttpResponse> {
    const answer = (status: number, body: unknown): Promise<HttpResponse> =>
      Promise.resolve({ status, headers: {}, body: JSON.stringify(body), latencyMs: 1 });

    if (req.url.endsWith('/auth/token')) {
      return answer(200, { accessToken: SHORT_TOKEN, expiresIn: '900s' });
    }
    return answer(400, { error: 'bad request', key: SHORT_KEY, got: req.headers.Authorization });
  }
}

/** A logger that writes every level, without redaction, into `lines`. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });

  return { logger: pino({ level: 'trace' }, stream), lines };
}

/** Everything a value can show: enumerable fields, and for errors message, stack and causes. */
function serialise(value: unknown): string {
  const printed = inspect(value, { depth: 20, showHidden: true });

  return `${JSON.stringify(value, errorFields)}\n${printed}`;
}

function errorFields(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;

  return {
    ...value,
    name: value.name,
    message: value.message,
    stack: value.stack,
    cause: value.cause,
  };
}

describe('Actito secrets', () => {
  it('never show the API key or any token in an outcome, exchange, error, check or log line', async (t) => {
    const { logger, lines } = capturingLogger();
    const config = demoConfig();
    const licence = config.licences[0];
    assert.ok(licence);
    licence.api_keys = [{ key: LEAKY_KEY, rights: [{ entity: 'demo', table: '*', write: true }] }];
    const h = await harness(t, { config, logger });
    const settings = h.config({ api_key: LEAKY_KEY });
    const outputs: unknown[] = [];
    const deliver = async (overrides: Record<string, unknown> = {}) =>
      outputs.push(
        await h.integration.deliver(
          profileRequest('a@example.com'),
          h.config({ api_key: LEAKY_KEY, ...overrides }),
          h.context,
        ),
      );

    await deliver();
    h.sandbox.revokeTokens();
    await deliver();
    h.sandbox.setFaults({ errors: [{ status: 401, paths: 'profile' }] });
    await deliver();
    h.sandbox.setFaults({ errors: [{ status: 400, paths: 'profile' }] });
    await deliver();
    h.sandbox.setFaults({ errors: [{ status: 429, paths: 'all', retryAfterSeconds: 1 }] });
    await deliver();
    h.sandbox.setFaults({});
    await deliver({ entity: 'nope' });
    await deliver({ api_key: `${LEAKY_KEY}-wrong` });
    await deliver({ access_token: 'preview-token-that-expired-0042' });
    h.sandbox.setFaults({ stallMs: 1_000 });
    await deliver({ timeout_ms: 150 });
    h.sandbox.setFaults({});
    outputs.push(await h.integration.testConnection?.(settings, h.context));
    outputs.push(
      await h.integration.testConnection?.(h.config({ api_key: 'nope-nope-nope' }), h.context),
    );

    const secrets = [LEAKY_KEY, 'preview-token-that-expired-0042', ...h.http.credentialsSent];
    const tokens = [...h.http.credentialsSent].filter((c) => !c.startsWith(LEAKY_KEY));
    assert.ok(tokens.length >= 3, 'the test saw several real access tokens');
    const haystack = [...outputs.map(serialise), ...lines].join('\n');
    for (const secret of secrets) {
      assert.equal(haystack.includes(secret), false, `a secret leaked: ${secret.slice(0, 4)}…`);
    }
    assert.ok(lines.some((line) => line.includes('actito access token obtained')));
  });

  it('scrub a short API key and short tokens echoed in a 400 body', async (t) => {
    const { logger, lines } = capturingLogger();
    const http = new EchoingHttpClient();
    t.after(() => http.close());
    const integration = createActitoIntegration({ tokens: new TokenCache() });
    const settings = { entity: 'demo', profile_table: 'Profiles', api_key: SHORT_KEY };
    const exchanged = integration.parseConfig(settings);
    const preview = integration.parseConfig({ ...settings, access_token: SHORT_PREVIEW_TOKEN });

    const outcomes = [
      await integration.deliver(profileRequest('a@example.com'), exchanged, { http, logger }),
      await integration.deliver(profileRequest('a@example.com'), preview, { http, logger }),
    ];

    const bodies = outcomes.map((o) => (o.ok ? undefined : o.error.vendorBody));
    assert.deepEqual(bodies, [
      '{"error":"bad request","key":"****","got":"Bearer ****"}',
      '{"error":"bad request","key":"****","got":"Bearer ****"}',
    ]);
    const haystack = [...outcomes.map(serialise), ...lines].join('\n');
    for (const secret of [SHORT_KEY, SHORT_TOKEN, SHORT_PREVIEW_TOKEN]) {
      assert.equal(haystack.includes(secret), false, `a short secret leaked: ${secret}`);
    }
  });
});
