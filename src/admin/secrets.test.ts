/**
 * Secrets are write-only: once saved, an integration's API key and a pipeline's HMAC secret
 * appear in no answer of any route, in no debugger trace and in no audit entry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../test/support/eventually.js';
import { ADMIN_OPERATIONS } from './api-operations.js';
import {
  actitoIntegration,
  openFeed,
  SECRET_API_KEY,
  startAdminRig,
  type AdminRig,
  type FeedClient,
} from './test-support.js';

let rig: AdminRig;
let feed: FeedClient;
let hmacSecret: string;

before(async () => {
  rig = await startAdminRig();
  feed = await openFeed(rig.url, { token: rig.adminToken });

  await rig.api('POST', '/integrations', { body: actitoIntegration(rig.sandbox) });
  const rotated = await rig.api('POST', '/pipelines/web/rotate-secret');
  hmacSecret = (rotated.body as { hmac_secret: string }).hmac_secret;
  await rig.api('PATCH', '/integrations/actito', { body: { name: 'Actito CRM' } });

  // One delivery that succeeds, one the sandbox refuses (unknown attribute), for both paths.
  await rig.send('/v1/i', {
    userId: 'user-123',
    traits: { email: 'jane.doe@example.com', first_name: 'Jane' },
    context: { locale: 'en', consent: { categories: { C0004: true } } },
  });
  await feed.next((message) => message.stage === 'delivered', 'a delivery');
  await rig.api('PUT', '/integrations/actito/mappings', {
    body: {
      key: { source: 'traits.email', target: 'email', transforms: ['email'] },
      global: [{ source: 'traits.first_name', target: 'no_such_attribute' }],
      events: {},
      defaultAction: 'global',
    },
  });
  await rig.send('/v1/i', {
    userId: 'bob',
    traits: { email: 'bob@example.com', first_name: 'B' },
    context: { consent: { categories: { C0004: true } } },
  });
  await feed.next((message) => message.stage === 'dead_lettered', 'a dead letter');
});

after(async () => {
  feed.close();
  await rig.close();
});

/** The GET routes of the contract, with the ids of the records the rig made. */
function readablePaths(): string[] {
  return ADMIN_OPERATIONS.filter((operation) => operation.method === 'GET')
    .filter((operation) => operation.path !== '/debugger/ws')
    .map((operation) =>
      operation.path
        .replace('/integrations/{id}', '/integrations/actito')
        .replace('/pipelines/{id}', '/pipelines/web'),
    );
}

describe('write-only secrets', () => {
  it('returns the new HMAC secret once, in the rotate-secret answer', async () => {
    const pipeline = await rig.api('GET', '/pipelines/web');

    assert.equal(hmacSecret.length >= 32, true);
    assert.equal((pipeline.body as { hmac_secret_set: boolean }).hmac_secret_set, true);
    assert.ok(!pipeline.text.includes(hmacSecret));
  });

  it('never returns the API key or the HMAC secret from any GET route', async () => {
    const leaks: string[] = [];

    for (const path of readablePaths()) {
      const reply = await rig.api('GET', path);
      assert.ok(reply.status < 500, `${path} → ${reply.status}`);
      if (reply.text.includes(SECRET_API_KEY) || reply.text.includes(hmacSecret)) leaks.push(path);
    }

    assert.deepEqual(leaks, []);
  });

  it('keeps them out of the debugger feed, its history and the audit log', async () => {
    await eventually(() => (feed.messages.length >= 6 ? true : undefined), 'traces');
    const recent = await rig.api('GET', '/debugger/recent?limit=2000');
    const audit = await rig.api('GET', '/audit?limit=200');

    const feedText = JSON.stringify(feed.messages);
    assert.ok(feedText.includes('Bearer ****'), 'the feed shows the masked header');
    for (const text of [feedText, recent.text, audit.text]) {
      assert.ok(!text.includes(SECRET_API_KEY));
      assert.ok(!text.includes(hmacSecret));
    }
    assert.ok(audit.text.includes('"field":"config.api_key","change":"added"}'));
    assert.ok(audit.text.includes('"field":"hmac_secret","change":"added"}'));
  });

  it('keeps the key in the store, encrypted, for delivery', async () => {
    const stored = (await rig.store.listIntegrations())[0]!;

    assert.equal(stored.config.api_key, SECRET_API_KEY);
  });
});
