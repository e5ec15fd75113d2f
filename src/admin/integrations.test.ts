/**
 * Integrations through the Management API, against the real Actito sandbox: creating from the
 * catalog, write-only secrets, validation, revisions and rollback, mapping edits that change
 * what reaches Actito, and the connection test.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { eventually } from '../../test/support/eventually.js';
import type { MappingSet } from '../mapping/types.js';
import { actitoIntegration, SECRET_API_KEY, startAdminRig, type AdminRig } from './test-support.js';

interface IntegrationBody {
  config: Record<string, unknown>;
  revision: number;
  name: string;
  enabled: boolean;
  status: string;
  pipelines: string[];
}

interface RevisionBody {
  revision: number;
  action: string;
  actor: string;
  changes: { field: string; change: string; from?: unknown; to?: unknown }[];
  integration: IntegrationBody;
}

let rig: AdminRig;

beforeEach(async () => {
  rig = await startAdminRig();
});

afterEach(() => rig.close());

const SEED_TRAITS = { email: 'Jane.Doe@Example.com ', first_name: 'Jane', last_name: 'Doe' };
const CONTEXT = { locale: 'en', consent: { categories: { C0004: true } } };

async function createActito(table = 'Profiles'): Promise<IntegrationBody> {
  const reply = await rig.api('POST', '/integrations', {
    body: actitoIntegration(rig.sandbox, table),
  });
  assert.equal(reply.status, 201, reply.text);
  return reply.body as IntegrationBody;
}

describe('creating an integration', () => {
  it('answers it with secrets as {"set": true} and attaches it to its pipelines', async () => {
    const created = await createActito();

    assert.deepEqual(created.config.api_key, { set: true });
    assert.deepEqual(created.config.access_token, { set: false });
    assert.equal(created.config.entity, 'demo');
    assert.deepEqual(created.pipelines, ['web']);
    assert.equal(created.status, 'running');
    assert.equal(created.revision, 1);
  });

  it('refuses invalid settings with 422 naming the field', async () => {
    const body = actitoIntegration(rig.sandbox);
    const config = { ...(body.config as Record<string, unknown>), entity: undefined };

    const reply = await rig.api('POST', '/integrations', { body: { ...body, config } });

    const error = (reply.body as { error: { code: string; field: string; message: string } }).error;
    assert.equal(reply.status, 422);
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.equal(error.field, 'config.entity');
    assert.match(error.message, /entity/);
  });

  it('refuses an id already taken with 409', async () => {
    await createActito();

    const reply = await rig.api('POST', '/integrations', { body: actitoIntegration(rig.sandbox) });

    assert.equal(reply.status, 409);
  });
});

describe('updating an integration', () => {
  it('keeps a secret that is omitted or sent back as {"set": true}', async () => {
    await createActito();

    await rig.api('PATCH', '/integrations/actito', {
      body: { config: { api_key: { set: true } } },
    });
    await rig.api('PATCH', '/integrations/actito', { body: { name: 'Actito CRM' } });

    const stored = (await rig.store.listIntegrations())[0]!;
    assert.equal(stored.config.api_key, SECRET_API_KEY);
    assert.equal(stored.name, 'Actito CRM');
  });

  it('replaces a secret sent as a new string, and logs it only as changed', async () => {
    await createActito();

    await rig.api('PATCH', '/integrations/actito', {
      body: { config: { api_key: 'sandbox-key' } },
    });

    const stored = (await rig.store.listIntegrations())[0]!;
    const audit = await rig.api('GET', '/audit');
    assert.equal(stored.config.api_key, 'sandbox-key');
    assert.ok(audit.text.includes('"field":"config.api_key","change":"changed"}'));
    assert.ok(!audit.text.includes('sandbox-key'));
  });
});

describe('revisions', () => {
  it('are immutable, one per change, and a rollback is a new revision equal to the old one', async () => {
    await createActito();
    await rig.api('PATCH', '/integrations/actito', { body: { name: 'Renamed' } });
    await rig.api('POST', '/integrations/actito/disable');

    const rollback = await rig.api('POST', '/integrations/actito/revisions/1/rollback');
    const revisions = (await rig.api('GET', '/integrations/actito/revisions')).body as {
      data: RevisionBody[];
    };

    assert.equal(rollback.status, 200);
    assert.deepEqual(
      revisions.data.map((revision) => [revision.revision, revision.action]),
      [
        [4, 'integration.rolled_back'],
        [3, 'integration.disabled'],
        [2, 'integration.updated'],
        [1, 'integration.created'],
      ],
    );
    const [latest, , renamed, first] = revisions.data;
    assert.deepEqual(renamed!.changes, [
      { field: 'name', change: 'changed', from: 'Actito', to: 'Renamed' },
    ]);
    assert.equal(renamed!.integration.name, 'Renamed', 'an old revision keeps its own state');
    assert.deepEqual(
      { ...latest!.integration, revision: 0 },
      { ...first!.integration, revision: 0 },
    );
    const now = rollback.body as IntegrationBody;
    assert.equal(now.name, 'Actito');
    assert.equal(now.enabled, true);
    assert.equal(now.revision, 4);
  });

  it('refuses a rollback to an unknown revision with 404', async () => {
    await createActito();

    const reply = await rig.api('POST', '/integrations/actito/revisions/9/rollback');

    assert.equal(reply.status, 404);
  });
});

describe('mappings', () => {
  it('renames marketingConsent to optin_marketing, and the next event reaches Actito so', async () => {
    await createActito('Optins');
    const mappings = (await rig.api('GET', '/integrations/actito/mappings')).body as MappingSet;
    const renamed: MappingSet = {
      ...mappings,
      global: mappings.global.map((mapping) =>
        mapping.target === 'marketingConsent' ? { ...mapping, target: 'optin_marketing' } : mapping,
      ),
    };

    const put = await rig.api('PUT', '/integrations/actito/mappings', { body: renamed });
    const status = await rig.send('/v1/i', {
      userId: 'user-123',
      traits: SEED_TRAITS,
      context: CONTEXT,
    });
    const profile = await eventually(
      () => rig.sandbox.profile('demo', 'Optins', 'jane.doe@example.com'),
      'the profile in the Optins table',
    );

    assert.equal(put.status, 200);
    assert.deepEqual(put.body, renamed);
    assert.equal(status, 200);
    assert.equal(profile.optin_marketing, true);
    assert.equal(profile.marketingConsent, undefined);
    const revisions = (await rig.api('GET', '/integrations/actito/revisions')).body as {
      data: RevisionBody[];
    };
    assert.deepEqual(revisions.data[0]!.changes, [
      {
        field: 'mappings.global[2].target',
        change: 'changed',
        from: 'marketingConsent',
        to: 'optin_marketing',
      },
    ]);
  });

  it('refuses an invalid mapping set with 422 naming the place', async () => {
    await createActito();

    const reply = await rig.api('PUT', '/integrations/actito/mappings', {
      body: {
        key: { source: 'traits.email', target: 'email' },
        global: [{ source: 'x' }],
        events: {},
        defaultAction: 'global',
      },
    });

    assert.equal(reply.status, 422);
    assert.match((reply.body as { error: { message: string } }).error.message, /global\[0\]/);
  });
});

describe('test connection', () => {
  it('succeeds against the sandbox with the stored settings', async () => {
    await createActito();

    const reply = await rig.api('POST', '/integrations/actito/test-connection', { body: {} });

    assert.equal(reply.status, 200);
    assert.equal((reply.body as { ok: boolean }).ok, true);
  });

  it('fails with the case-sensitivity hint when the entity is not found (404)', async () => {
    await createActito();

    const reply = await rig.api('POST', '/integrations/actito/test-connection', {
      body: { config: { entity: 'Demo' } },
    });

    const body = reply.body as { ok: boolean; message: string; hint: string };
    assert.equal(reply.status, 200);
    assert.equal(body.ok, false);
    assert.match(body.message, /entity "Demo" not found/);
    assert.match(body.hint, /case-sensitive.*"demo"/);
  });

  it('fails with the hint when the profile table is not found', async () => {
    await createActito();

    const reply = await rig.api('POST', '/integrations/actito/test-connection', {
      body: { config: { profile_table: 'profiles' } },
    });

    const body = reply.body as { ok: boolean; hint: string };
    assert.equal(body.ok, false);
    assert.match(body.hint, /case-sensitive: did you mean "Profiles"/);
  });
});
