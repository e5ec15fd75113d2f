import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';

import { PermanentDeliveryError, TransientDeliveryError } from '../../core/errors.js';
import { namedLicenceConfig } from '../../sandbox/index.js';
import { ACTITO_CATALOG } from './catalog.js';
import {
  callsTo,
  harness,
  profileRequest,
  READ_ONLY_KEY,
  SEED_PAYLOAD,
  signedUpEvent,
} from './test-support.js';

const JANE = 'jane.doe@example.com';

describe('Actito delivery of the seed example', () => {
  it('plans and delivers the seed payload exactly, with a masked bearer token', async (t) => {
    const h = await harness(t);
    const config = h.config();
    const mappings = ACTITO_CATALOG.presets[0]?.mappings;
    assert.ok(mappings);

    const planned = h.integration.plan(signedUpEvent(), config, mappings);
    assert.equal(planned.kind, 'intent');
    const outcome = await h.integration.deliver(planned, config, h.context);

    assert.equal(outcome.ok, true);
    const [write] = callsTo(h.sandbox, 'profile');
    assert.equal(write?.method, 'POST');
    assert.equal(write?.path, '/v4/entity/demo/table/Profiles/profile');
    assert.deepEqual(write?.query, { allowUpdate: 'true' });
    assert.equal(write?.headers.authorization, 'Bearer ****');
    assert.equal(JSON.stringify(write?.body), SEED_PAYLOAD);
    assert.deepEqual(h.sandbox.profile('demo', 'Profiles', JANE), JSON.parse(SEED_PAYLOAD));
  });

  it('records every exchange, token exchange included, with credentials masked', async (t) => {
    const h = await harness(t);
    const config = h.config();

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, true);
    assert.equal(outcome.status, 201);
    const [token, write] = outcome.exchanges;
    assert.equal(outcome.exchanges.length, 2);
    assert.deepEqual(token?.request, {
      method: 'GET',
      url: `${h.sandbox.url}/auth/token`,
      headers: { Authorization: '****', Accept: 'application/json' },
    });
    assert.equal(token?.response?.status, 200);
    assert.equal(JSON.parse(token?.response?.body ?? '{}').accessToken, '****');
    assert.deepEqual(write?.request, {
      method: 'POST',
      url: `${h.sandbox.url}/v4/entity/demo/table/Profiles/profile?allowUpdate=true`,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        Authorization: 'Bearer ****',
      },
      body: `{"email":"${JANE}"}`,
    });
    assert.equal(write?.response?.status, 201);
  });
});

describe('Actito path styles and body formats', () => {
  const cases = [
    {
      path_style: 'documented',
      body_format: 'flat',
      path: '/v4/entity/demo/table/Profiles/profile',
    },
    {
      path_style: 'prefixed',
      body_format: 'flat',
      path: '/profiles/v4/entity/demo/table/Profiles/profile',
    },
    {
      path_style: 'documented',
      body_format: 'native',
      path: '/v4/entity/demo/table/Profiles/profile',
    },
    {
      path_style: 'prefixed',
      body_format: 'native',
      path: '/profiles/v4/entity/demo/table/Profiles/profile',
    },
  ];

  for (const { path_style, body_format, path } of cases) {
    it(`stores the profile with ${path_style} paths and the ${body_format} body`, async (t) => {
      const h = await harness(t);
      const config = h.config({ path_style, body_format });

      const outcome = await h.integration.deliver(
        profileRequest(JANE, { firstName: 'Jane' }),
        config,
        h.context,
      );

      assert.equal(outcome.ok, true);
      const [write] = callsTo(h.sandbox, 'profile');
      assert.equal(write?.path, path);
      const expected =
        body_format === 'flat'
          ? { email: JANE, firstName: 'Jane' }
          : {
              attributes: [
                { name: 'email', value: JANE },
                { name: 'firstName', value: 'Jane' },
              ],
            };
      assert.deepEqual(write?.body, expected);
      assert.deepEqual(h.sandbox.profile('demo', 'Profiles', JANE), {
        email: JANE,
        firstName: 'Jane',
      });
    });
  }

  it('path-encodes entity and table names', async (t) => {
    const h = await harness(t);
    const config = h.config({ profile_table: 'My Table/2' });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.exchanges[1]?.request.url.includes('/table/My%20Table%2F2/profile'), true);
    assert.equal(outcome.ok, false);
  });

  it('path-encodes the entity so a name with a space or slash stays one segment', async (t) => {
    const h = await harness(t, { config: namedLicenceConfig({ entity: 'Acme EU/2' }) });
    const config = h.config({ entity: 'Acme EU/2' });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, true);
    assert.equal(
      callsTo(h.sandbox, 'profile')[0]?.path,
      '/v4/entity/Acme%20EU%2F2/table/Profiles/profile',
    );
    assert.deepEqual(h.sandbox.profile('Acme EU/2', 'Profiles', JANE), { email: JANE });
  });
});

describe('Actito troubleshooting rows over real HTTP', () => {
  it('answers a wrong API key with a permanent error naming api_key and the host', async (t) => {
    const h = await harness(t);
    const config = h.config({ api_key: 'not-a-real-key' });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof PermanentDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_AUTH_REJECTED');
    assert.equal(outcome.error.message, 'API key rejected: check api_key and the API host');
    assert.equal(callsTo(h.sandbox, 'profile').length, 0);
  });

  it('answers a read-only key with VENDOR_FORBIDDEN naming entity and table', async (t) => {
    const h = await harness(t);
    const config = h.config({ api_key: READ_ONLY_KEY });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof PermanentDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_FORBIDDEN');
    assert.match(outcome.error.message, /^API user lacks write access on demo\/Profiles/);
    assert.equal(outcome.error.vendorStatus, 403);
  });

  it('answers a wrong entity with VENDOR_NOT_FOUND', async (t) => {
    const h = await harness(t);
    const config = h.config({ entity: 'nope' });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.code, 'VENDOR_NOT_FOUND');
    assert.equal(
      outcome.error.message,
      'entity or profile_table not found (names are case-sensitive): nope/Profiles',
    );
  });

  it('answers a table name in the wrong case with VENDOR_NOT_FOUND', async (t) => {
    const h = await harness(t);
    const config = h.config({ profile_table: 'profiles' });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof PermanentDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_NOT_FOUND');
    assert.match(outcome.error.message, /case-sensitive\): demo\/profiles$/);
  });

  it('answers an unknown attribute with VENDOR_REJECTED_PAYLOAD and Actito’s body', async (t) => {
    const h = await harness(t);
    const config = h.config();
    const mappings = structuredClone(ACTITO_CATALOG.presets[0]?.mappings);
    assert.ok(mappings);
    mappings.global.push({ source: 'traits.colour', target: 'favouriteColour' });
    const input = signedUpEvent();
    input.event.traits.colour = 'green';

    const planned = h.integration.plan(input, config, mappings);
    assert.equal(planned.kind, 'intent');
    const outcome = await h.integration.deliver(planned, config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof PermanentDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_REJECTED_PAYLOAD');
    const [write] = callsTo(h.sandbox, 'profile');
    const sandboxBody = JSON.stringify(write?.responseBody);
    assert.equal(outcome.error.vendorBody, sandboxBody);
    assert.match(sandboxBody, /favouriteColour/);
    assert.equal(
      outcome.error.message,
      'payload rejected: an attribute is not in the table or email is missing — ' +
        `Actito said: ${sandboxBody}`,
    );
  });

  it('answers a missing email with VENDOR_REJECTED_PAYLOAD and Actito’s body', async (t) => {
    const h = await harness(t);
    const config = h.config();
    const withoutEmail = { profileKey: JANE, attributes: { firstName: 'Jane', lastName: 'Doe' } };

    const outcome = await h.integration.deliver(withoutEmail, config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof PermanentDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_REJECTED_PAYLOAD');
    assert.equal(outcome.error.vendorStatus, 400);
    const [write] = callsTo(h.sandbox, 'profile');
    assert.deepEqual(write?.body, { firstName: 'Jane', lastName: 'Doe' });
    const sandboxBody = JSON.stringify(write?.responseBody);
    assert.match(sandboxBody, /email/);
    assert.equal(outcome.error.vendorBody, sandboxBody);
    assert.equal(
      outcome.error.message,
      'payload rejected: an attribute is not in the table or email is missing — ' +
        `Actito said: ${sandboxBody}`,
    );
    assert.equal(h.sandbox.profiles('demo', 'Profiles').length, 0);
  });

  it('answers 429 with Retry-After as a transient error that says when to retry', async (t) => {
    const h = await harness(t);
    const config = h.config();
    h.sandbox.setFaults({ errors: [{ status: 429, paths: 'profile', retryAfterSeconds: 7 }] });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof TransientDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_RATE_LIMITED');
    assert.equal(outcome.error.retryAfterMs, 7_000);
    assert.equal(outcome.error.vendorStatus, 429);
  });

  it('answers 503 as a transient server error', async (t) => {
    const h = await harness(t);
    const config = h.config();
    h.sandbox.setFaults({ errors: [{ status: 503, paths: 'profile' }] });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof TransientDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_SERVER_ERROR');
    assert.equal(outcome.error.retryAfterMs, undefined);
  });

  it('answers a stall past the timeout as a transient VENDOR_TIMEOUT', async (t) => {
    const h = await harness(t);
    const config = h.config({ timeout_ms: 200 });
    await h.integration.deliver(profileRequest(JANE), config, h.context);
    h.sandbox.setFaults({ stallMs: 2_000 });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof TransientDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_TIMEOUT');
    assert.match(outcome.exchanges[0]?.error ?? '', /no answer within 200 ms/);
  });

  it('answers a refused connection as a transient VENDOR_UNREACHABLE', async (t) => {
    const h = await harness(t);
    const closedPort = await freePort();
    const config = h.config({ api_host: `http://127.0.0.1:${closedPort}` });

    const outcome = await h.integration.deliver(profileRequest(JANE), config, h.context);

    assert.equal(outcome.ok, false);
    assert.ok(outcome.error instanceof TransientDeliveryError);
    assert.equal(outcome.error.code, 'VENDOR_UNREACHABLE');
    assert.equal(outcome.exchanges.length, 1);
    assert.match(outcome.exchanges[0]?.error ?? '', /connection failed/);
  });
});

/** A port that nothing listens on: bound once, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));

  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}
