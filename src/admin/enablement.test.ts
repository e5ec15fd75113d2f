/**
 * Switching things off through the Management API, and what the running Signal does about it:
 * a disabled pipeline's key is refused at the gateway, a disabled integration's events are
 * dropped with the reason and nothing reaches the vendor; enabling either restores the flow.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { request } from 'undici';
import {
  actitoIntegration,
  PIPELINE_KEY,
  useAdminRigPerTest,
  waitForTrace,
} from './test-support.js';

const CONTEXT = { consent: { categories: { C0004: true } } };

const rig = useAdminRigPerTest();

async function sendPage(): Promise<{ status: number; code?: string }> {
  const reply = await request(`${rig.url}/v1/p`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PIPELINE_KEY}` },
    body: JSON.stringify({ anonymousId: 'a-1' }),
  });
  const body = (await reply.body.json()) as { error?: { code?: string } };
  return { status: reply.statusCode, ...(body.error?.code ? { code: body.error.code } : {}) };
}

function identify(messageId: string, email: string) {
  return { messageId, userId: email, traits: { email }, context: CONTEXT };
}

describe('a disabled pipeline', () => {
  it('has its key refused with 401 by the gateway at once, until it is enabled again', async () => {
    // The first request puts the key in the gateway's cache; the change must not wait for it.
    const before = await sendPage();
    const disabled = await rig.api('POST', '/pipelines/web/disable');
    const refused = await sendPage();
    const enabled = await rig.api('POST', '/pipelines/web/enable');
    const accepted = await sendPage();

    assert.deepEqual(before, { status: 200 });
    assert.equal(disabled.status, 200);
    assert.deepEqual(refused, { status: 401, code: 'INVALID_PIPELINE_KEY' });
    assert.equal(enabled.status, 200);
    assert.deepEqual(accepted, { status: 200 });
  });
});

describe('a disabled integration', () => {
  it('gets no delivery: its events are dropped as "integration disabled", none reaches Actito', async () => {
    await rig.api('POST', '/integrations', { body: actitoIntegration(rig.sandbox) });

    const disabled = await rig.api('POST', '/integrations/actito/disable');
    await rig.send('/v1/i', identify('while-off', 'off@example.com'));
    const dropped = await waitForTrace(rig, 'while-off', 'dropped');

    assert.equal(disabled.status, 200);
    assert.equal((disabled.body as { enabled: boolean }).enabled, false);
    assert.equal(dropped.integrationId, 'actito');
    assert.equal(dropped.detail.reason, 'integration disabled');
    const writes = rig.sandbox.requests().filter((r) => r.path.endsWith('/profile'));
    assert.deepEqual(writes, []);
  });

  it('delivers again once enabled, from the next event on', async () => {
    await rig.api('POST', '/integrations', { body: actitoIntegration(rig.sandbox) });
    await rig.api('POST', '/integrations/actito/disable');

    const enabled = await rig.api('POST', '/integrations/actito/enable');
    await rig.send('/v1/i', identify('back-on', 'on@example.com'));
    await waitForTrace(rig, 'back-on', 'delivered');

    assert.equal((enabled.body as { enabled: boolean }).enabled, true);
    assert.ok(rig.sandbox.profile('demo', 'Profiles', 'on@example.com'));
  });
});
