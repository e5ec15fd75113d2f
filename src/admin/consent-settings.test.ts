/**
 * Settings → Consent through the Management API: what a PUT saves, what it refuses and how it
 * says so, the audit entry it leaves, and that the next event is gated by the new mapping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actitoIntegration,
  ADMIN_EMAIL,
  useAdminRigPerTest,
  waitForTrace,
} from './test-support.js';

interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

const rig = useAdminRigPerTest();

describe('consent settings', () => {
  it('save the CMP mapping and the default, and answer them back', async () => {
    const settings = { default: 'granted', mapping: { C0004: 'marketing', C0002: 'analytics' } };

    const saved = await rig.api('PUT', '/settings/consent', { body: settings });
    const read = await rig.api('GET', '/settings/consent');

    assert.equal(saved.status, 200, saved.text);
    assert.deepEqual(saved.body, settings);
    assert.deepEqual(read.body, settings);
  });

  it('refuse an unknown category with 422 naming the code and the categories allowed', async () => {
    const reply = await rig.api('PUT', '/settings/consent', {
      body: { default: 'denied', mapping: { C0004: 'marketting' } },
    });

    const { error } = reply.body as ApiErrorBody;
    assert.equal(reply.status, 422);
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.equal(error.field, 'mapping.C0004');
    assert.match(error.message, /must be a consent category \(one of: .*marketing/);
    assert.deepEqual(
      (await rig.api('GET', '/settings/consent')).body,
      { default: 'denied', mapping: { C0004: 'marketing' } },
      'nothing was saved',
    );
  });

  it('refuse a default other than granted or denied, and unknown members', async () => {
    const fallback = await rig.api('PUT', '/settings/consent', {
      body: { default: 'maybe', mapping: {} },
    });
    const extra = await rig.api('PUT', '/settings/consent', {
      body: { default: 'denied', mapping: {}, categories: {} },
    });

    assert.equal(fallback.status, 422);
    assert.equal((fallback.body as ApiErrorBody).error.field, 'default');
    assert.match((fallback.body as ApiErrorBody).error.message, /"granted" or "denied"/);
    assert.equal(extra.status, 422);
    assert.match((extra.body as ApiErrorBody).error.message, /categories/);
  });

  it('are refused to a viewer', async () => {
    const reply = await rig.api('PUT', '/settings/consent', {
      token: rig.viewerToken,
      body: { default: 'granted', mapping: {} },
    });

    assert.equal(reply.status, 403);
  });

  it('leave one audit entry per change, naming who and which code', async () => {
    await rig.api('PUT', '/settings/consent', {
      body: { default: 'denied', mapping: { C0004: 'marketing', C0002: 'analytics' } },
    });
    await rig.api('PUT', '/settings/consent', {
      body: { default: 'denied', mapping: { C0004: 'marketing', C0002: 'analytics' } },
    });

    const audit = (await rig.api('GET', '/audit')).body as {
      data: { actor: string; action: string; changes: { field: string; change: string }[] }[];
    };
    const entries = audit.data.filter((entry) => entry.action === 'consent.updated');
    assert.equal(entries.length, 1, 'saving the same settings again changes nothing');
    assert.equal(entries[0]!.actor, ADMIN_EMAIL);
    assert.deepEqual(
      entries[0]!.changes.map(({ field, change }) => ({ field, change })),
      [{ field: 'mapping.C0002', change: 'added' }],
    );
  });

  it('gate the next event: a newly mapped CMP code grants marketing to Actito', async () => {
    const created = await rig.api('POST', '/integrations', {
      body: actitoIntegration(rig.sandbox),
    });
    assert.equal(created.status, 201, created.text);
    const identify = (messageId: string) => ({
      messageId,
      userId: 'user-123',
      traits: { email: 'jane.doe@example.com' },
      context: { consent: { categories: { TARGETING: true } } },
    });

    await rig.send('/v1/i', identify('before-mapping'));
    const dropped = await waitForTrace(rig, 'before-mapping', 'dropped');
    await rig.api('PUT', '/settings/consent', {
      body: { default: 'denied', mapping: { C0004: 'marketing', TARGETING: 'marketing' } },
    });
    await rig.send('/v1/i', identify('after-mapping'));
    await waitForTrace(rig, 'after-mapping', 'delivered');

    assert.match(dropped.detail.reason ?? '', /^consent not granted: marketing/);
    const profile = rig.sandbox.profile('demo', 'Profiles', 'jane.doe@example.com');
    assert.equal(profile?.marketingConsent, true);
  });
});
