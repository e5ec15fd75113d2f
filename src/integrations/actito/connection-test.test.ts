import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describe, it, type TestContext } from 'node:test';

import { callsTo, harness, OTHER_ENTITY_KEY } from './test-support.js';

/**
 * A host that issues tokens but serves none of the description endpoints, as an Actito host
 * without the table-structure API would.
 */
async function hostWithoutStructureApi(t: TestContext): Promise<string> {
  const server: Server = createServer((req, res) => {
    const isToken = req.url === '/auth/token';
    res.writeHead(isToken ? 200 : 404, { 'content-type': 'application/json' });
    res.end(isToken ? '{"accessToken":"stub-token-123456","expiresIn":"900s"}' : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return `http://127.0.0.1:${address.port}`;
}

describe('Actito connection test', () => {
  it('reports success when the key works and the table exists, without writing', async (t) => {
    const h = await harness(t);

    const check = await h.integration.testConnection?.(h.config(), h.context);

    assert.equal(check?.ok, true);
    assert.match(
      check?.message ?? '',
      /^Connected: credentials accepted and demo\/Profiles exists/,
    );
    const paths = h.sandbox.requests().map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(paths, [
      'GET /auth/token',
      'GET /profile-table-structure/v5/entities/demo/profile-tables',
    ]);
    assert.equal(h.sandbox.requests()[1]?.headers.authorization, 'Bearer ****');
    assert.equal(callsTo(h.sandbox, 'profile').length, 0);
  });

  it('fails on a wrong key with a hint about api_key and the host', async (t) => {
    const h = await harness(t);

    const check = await h.integration.testConnection?.(
      h.config({ api_key: 'wrong-key' }),
      h.context,
    );

    assert.deepEqual(check, {
      ok: false,
      message: 'API key rejected: check api_key and the API host',
      hint:
        'Re-check the api_key value, and that api_host is the host of your licence: a valid ' +
        'key is rejected on another host.',
    });
  });

  it('fails on an unknown entity, after confirming through the entity list', async (t) => {
    const h = await harness(t);

    const check = await h.integration.testConnection?.(h.config({ entity: 'nope' }), h.context);

    assert.equal(check?.ok, false);
    assert.equal(check?.message, 'entity "nope" not found in this licence');
    assert.match(check?.hint ?? '', /case-sensitive.*Found: demo, other\./);
  });

  it('fails on a table name in the wrong case and suggests the right one', async (t) => {
    const h = await harness(t);

    const check = await h.integration.testConnection?.(
      h.config({ profile_table: 'profiles' }),
      h.context,
    );

    assert.deepEqual(check, {
      ok: false,
      message: 'profile_table "profiles" not found in entity demo',
      hint: 'Names are case-sensitive: did you mean "Profiles"?',
    });
  });

  it('fails when the API user has no right on the entity', async (t) => {
    const h = await harness(t);

    const check = await h.integration.testConnection?.(
      h.config({ api_key: OTHER_ENTITY_KEY }),
      h.context,
    );

    assert.equal(check?.ok, false);
    assert.match(check?.message ?? '', /^API user has no right on entity demo/);
    assert.match(check?.hint ?? '', /grant the API user write permission/);
  });

  it('fails with a transient hint when Actito is down', async (t) => {
    const h = await harness(t);
    h.sandbox.setFaults({ errors: [{ status: 503, paths: 'all' }] });

    const check = await h.integration.testConnection?.(h.config(), h.context);

    assert.equal(check?.ok, false);
    assert.equal(check?.message, 'Actito server error (HTTP 503)');
    assert.equal(check?.hint, 'Actito is having trouble on its side: try again later.');
  });

  it('uses a preview access token without exchanging and explains its expiry when rejected', async (t) => {
    const h = await harness(t);
    const config = h.config({ access_token: 'expired-preview-token' });

    const check = await h.integration.testConnection?.(config, h.context);

    assert.equal(check?.ok, false);
    assert.match(check?.message ?? '', /expire after 15 minutes/);
    assert.match(check?.hint ?? '', /Clear access_token/);
    assert.equal(callsTo(h.sandbox, 'token').length, 0);
  });

  it('reports the names as unverified, not missing, when the host lacks the structure API', async (t) => {
    const h = await harness(t);
    const host = await hostWithoutStructureApi(t);

    const check = await h.integration.testConnection?.(h.config({ api_host: host }), h.context);

    assert.equal(check?.ok, true);
    assert.match(check?.message ?? '', /not verified/);
    assert.match(check?.hint ?? '', /Event Debugger/);
  });
});
