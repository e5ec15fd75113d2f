import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { demoConfig, startSandbox, type Sandbox, type SandboxConfig } from './index.js';
import { DEMO_PROFILE_PATH, bearer, call, fetchToken } from './test-support.js';

describe('sandbox profile create-or-update', () => {
  let sandbox: Sandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('creates with 201 and a Location, then updates with 200 and the same profileId', async () => {
    sandbox = await startSandbox({ port: 0 });
    const token = await fetchToken(sandbox);
    const path = `${DEMO_PROFILE_PATH}?allowUpdate=true`;

    const created = await call(sandbox.url, 'POST', path, {
      headers: bearer(token),
      json: { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe' },
    });
    const updated = await call(sandbox.url, 'POST', path, {
      headers: bearer(token),
      json: { email: 'jane@example.com', firstName: 'Janet', marketingConsent: true },
    });

    assert.equal(created.status, 201);
    const { profileId } = created.body as { profileId: number };
    assert.ok(Number.isInteger(profileId));
    assert.equal(created.headers['location'], `${DEMO_PROFILE_PATH}/${profileId}`);
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body, { profileId });
    assert.deepEqual(sandbox.profile('demo', 'Profiles', 'jane@example.com'), {
      email: 'jane@example.com',
      firstName: 'Janet',
      lastName: 'Doe',
      marketingConsent: true,
    });
    assert.equal(sandbox.profiles('demo', 'Profiles').length, 1);
    assert.equal(sandbox.stats().profileWrites, 2);
  });

  it('refuses an existing key without allowUpdate and says 409 is its own choice', async () => {
    sandbox = await startSandbox({ port: 0 });
    const token = await fetchToken(sandbox);
    const json = { email: 'jane@example.com' };

    const first = await call(sandbox.url, 'POST', DEMO_PROFILE_PATH, {
      headers: bearer(token),
      json,
    });
    const second = await call(sandbox.url, 'POST', DEMO_PROFILE_PATH, {
      headers: bearer(token),
      json,
    });

    assert.equal(first.status, 201);
    assert.equal(second.status, 409);
    assert.match((second.body as { message: string }).message, /sandbox's choice/);
  });

  it('matches the unique key exactly as stored, without case folding', async () => {
    sandbox = await startSandbox({ port: 0 });
    const token = await fetchToken(sandbox);
    const path = `${DEMO_PROFILE_PATH}?allowUpdate=true`;

    await call(sandbox.url, 'POST', path, {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });
    const other = await call(sandbox.url, 'POST', path, {
      headers: bearer(token),
      json: { email: 'Jane@example.com' },
    });

    assert.equal(other.status, 201);
    assert.equal(sandbox.profiles('demo', 'Profiles').length, 2);
  });

  it('serves the category-prefixed path and accepts Actito native body format', async () => {
    sandbox = await startSandbox({ port: 0 });
    const token = await fetchToken(sandbox);

    const reply = await call(
      sandbox.url,
      'POST',
      `/profiles${DEMO_PROFILE_PATH}?allowUpdate=true`,
      {
        headers: bearer(token),
        json: {
          attributes: [
            { name: 'email', value: 'native@example.com' },
            { name: 'language', value: 'FR' },
          ],
          subscriptions: [{ name: 'newsletter', subscribe: true }],
          dataCollectionInformation: { date: '2025-01-01', source: 'web', way: 'form' },
        },
      },
    );

    assert.equal(reply.status, 201);
    assert.match(
      reply.headers['location'] ?? '',
      /^\/profiles\/v4\/entity\/demo\/table\/Profiles\/profile\/\d+$/,
    );
    assert.deepEqual(sandbox.profile('demo', 'Profiles', 'native@example.com'), {
      email: 'native@example.com',
      language: 'FR',
    });
  });

  it('decodes path segments before matching entity and table names', async () => {
    const config = demoConfig();
    config.licences[0]!.entities[0]!.tables[0]!.name = 'My Profiles';
    sandbox = await startSandbox({ port: 0, config });
    const token = await fetchToken(sandbox);

    const reply = await call(sandbox.url, 'POST', '/v4/entity/demo/table/My%20Profiles/profile', {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });

    assert.equal(reply.status, 201);
    assert.equal(sandbox.profiles('demo', 'My Profiles').length, 1);
  });

  it('answers 404 for an unknown entity, an unknown table and a table name in the wrong case', async () => {
    sandbox = await startSandbox({ port: 0 });
    const token = await fetchToken(sandbox);
    const json = { email: 'jane@example.com' };

    const entity = await call(sandbox.url, 'POST', '/v4/entity/nope/table/Profiles/profile', {
      headers: bearer(token),
      json,
    });
    const table = await call(sandbox.url, 'POST', '/v4/entity/demo/table/Contacts/profile', {
      headers: bearer(token),
      json,
    });
    const lowerCase = await call(sandbox.url, 'POST', '/v4/entity/demo/table/profiles/profile', {
      headers: bearer(token),
      json,
    });

    assert.equal(entity.status, 404);
    assert.equal(table.status, 404);
    assert.equal(lowerCase.status, 404);
    assert.match((lowerCase.body as { message: string }).message, /case-sensitive.*"Profiles"/);
  });

  it('answers 403 to a key without write right, after 401 and 404 and before 400', async () => {
    sandbox = await startSandbox({ port: 0, config: readOnlyConfig() });
    const token = await fetchToken(sandbox, 'reader-key');

    const forbidden = await call(sandbox.url, 'POST', DEMO_PROFILE_PATH, {
      headers: bearer(token),
      json: { notAnAttribute: 1 },
    });
    const unknownTable = await call(sandbox.url, 'POST', '/v4/entity/demo/table/Nope/profile', {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });
    const noToken = await call(sandbox.url, 'POST', '/v4/entity/demo/table/Nope/profile', {
      json: { email: 'jane@example.com' },
    });

    assert.equal(forbidden.status, 403);
    assert.equal(unknownTable.status, 404);
    assert.equal(noToken.status, 401);
  });

  it('hides the tables of another licence behind 404', async () => {
    const config = readOnlyConfig();
    config.licences.push({
      id: 'other',
      api_keys: [{ key: 'other-key', rights: [{ entity: 'other', table: '*', write: true }] }],
      entities: [
        {
          name: 'other',
          tables: [
            {
              name: 'Profiles',
              attributes: [{ name: 'email', type: 'EMAIL_ADDRESS', unique: true }],
            },
          ],
        },
      ],
      limits: { concurrency: null, calls_per_minute: null },
    });
    sandbox = await startSandbox({ port: 0, config });
    const token = await fetchToken(sandbox, 'other-key');

    const reply = await call(sandbox.url, 'POST', DEMO_PROFILE_PATH, {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });

    assert.equal(reply.status, 404);
  });
});

/** The demo licence with a second key that may only read. */
function readOnlyConfig(): SandboxConfig {
  const config = demoConfig();
  config.licences[0]!.api_keys.push({
    key: 'reader-key',
    rights: [{ entity: 'demo', table: 'Profiles', write: false }],
  });
  return config;
}
