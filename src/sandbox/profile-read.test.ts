import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from './index.js';
import { DEMO_PROFILE_PATH, bearer, call, fetchToken } from './test-support.js';

describe('sandbox profile read, delete and structure', () => {
  let sandbox: Sandbox;
  let token: string;
  let profileId: number;

  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0 });
    token = await fetchToken(sandbox);
    const created = await call(sandbox.url, 'POST', `${DEMO_PROFILE_PATH}?allowUpdate=true`, {
      headers: bearer(token),
      json: { email: 'jane@example.com', firstName: 'Jane' },
    });
    profileId = (created.body as { profileId: number }).profileId;
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('reads a profile by id in Actito native shape', async () => {
    const reply = await call(sandbox.url, 'GET', `${DEMO_PROFILE_PATH}/${profileId}`, {
      headers: bearer(token),
    });

    assert.equal(reply.status, 200);
    const body = reply.body as {
      attributes: Array<{ name: string; value: unknown }>;
      subscriptions: unknown[];
      segmentations: unknown[];
    };
    assert.deepEqual(
      body.attributes.filter((a) => a.name === 'email' || a.name === 'firstName'),
      [
        { name: 'email', value: 'jane@example.com' },
        { name: 'firstName', value: 'Jane' },
      ],
    );
    assert.ok(body.attributes.some((a) => a.name === 'profileId' && a.value === profileId));
    assert.deepEqual(body.subscriptions, []);
    assert.deepEqual(body.segmentations, []);
  });

  it('reads a profile by email= and by emailAddress= on both path styles', async () => {
    const paths = [
      `${DEMO_PROFILE_PATH}/email=jane@example.com`,
      `${DEMO_PROFILE_PATH}/emailAddress=jane%40example.com`,
      `/profiles${DEMO_PROFILE_PATH}/email=jane@example.com`,
      `/profiles${DEMO_PROFILE_PATH}/${profileId}`,
    ];

    const replies = await Promise.all(
      paths.map((path) => call(sandbox.url, 'GET', path, { headers: bearer(token) })),
    );

    assert.deepEqual(
      replies.map((r) => r.status),
      [200, 200, 200, 200],
    );
  });

  it('answers 404 for a profile that does not exist', async () => {
    const byId = await call(sandbox.url, 'GET', `${DEMO_PROFILE_PATH}/999`, {
      headers: bearer(token),
    });
    const byEmail = await call(
      sandbox.url,
      'GET',
      `${DEMO_PROFILE_PATH}/email=nobody@example.com`,
      {
        headers: bearer(token),
      },
    );

    assert.equal(byId.status, 404);
    assert.equal(byEmail.status, 404);
  });

  it('answers 400 for a lookup on an attribute that is not unique', async () => {
    const reply = await call(sandbox.url, 'GET', `${DEMO_PROFILE_PATH}/firstName=Jane`, {
      headers: bearer(token),
    });

    assert.equal(reply.status, 400);
  });

  it('deletes by id with 204, after which the profile is gone', async () => {
    const deleted = await call(sandbox.url, 'DELETE', `${DEMO_PROFILE_PATH}/${profileId}`, {
      headers: bearer(token),
    });
    const again = await call(sandbox.url, 'GET', `${DEMO_PROFILE_PATH}/${profileId}`, {
      headers: bearer(token),
    });

    assert.equal(deleted.status, 204);
    assert.equal(again.status, 404);
    assert.deepEqual(sandbox.profiles('demo', 'Profiles'), []);
  });

  it('deletes by email on the prefixed path, freeing the key for a new profile', async () => {
    const deleted = await call(
      sandbox.url,
      'DELETE',
      `/profiles${DEMO_PROFILE_PATH}/email=jane@example.com`,
      { headers: bearer(token) },
    );
    const recreated = await call(sandbox.url, 'POST', DEMO_PROFILE_PATH, {
      headers: bearer(token),
      json: { email: 'jane@example.com' },
    });

    assert.equal(deleted.status, 204);
    assert.equal(recreated.status, 201);
    assert.notEqual((recreated.body as { profileId: number }).profileId, profileId);
  });

  it('describes the entity and its profile tables', async () => {
    const tables = await call(
      sandbox.url,
      'GET',
      '/profile-table-structure/v5/entities/demo/profile-tables',
      { headers: bearer(token) },
    );
    const unknown = await call(
      sandbox.url,
      'GET',
      '/profile-table-structure/v5/entities/nope/profile-tables',
      { headers: bearer(token) },
    );

    assert.equal(tables.status, 200);
    const [table] = (tables.body as { profileTables: Array<Record<string, unknown>> })
      .profileTables;
    assert.equal(table?.['name'], 'Profiles');
    assert.deepEqual((table?.['attributes'] as unknown[])[0], {
      name: 'email',
      type: 'EMAIL_ADDRESS',
      unique: true,
      mandatory: true,
      multiValued: false,
    });
    assert.equal(unknown.status, 404);
  });

  it('answers 405 for a known path with the wrong method and 404 for an unknown route', async () => {
    const wrongMethod = await call(sandbox.url, 'PUT', DEMO_PROFILE_PATH, {
      headers: bearer(token),
      json: {},
    });
    const unknown = await call(sandbox.url, 'GET', '/v3/whatever', { headers: bearer(token) });

    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers['allow'], 'POST');
    assert.equal(unknown.status, 404);
  });
});
