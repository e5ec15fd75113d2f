/**
 * Set-up for the browser tests that look at pages rather than build them: Actito installed
 * through the Management API, one delivered profile and one dead letter (a wrong-case table
 * name), so every main page has something to show. The seed's flow itself is driven through
 * the UI in `management-ui.test.ts`.
 */
import assert from 'node:assert/strict';
import { baseActitoIntegration } from '../../../src/admin/test-support.js';
import { eventually } from '../../support/eventually.js';
import { SEED_TRAITS } from '../../support/signal-harness.js';
import type { UiRig } from './ui-rig.js';

const CONTEXT = { locale: 'en', consent: { categories: { C0004: true } } };

/** Installs Actito on the rig's pipeline with the Default preset and the sandbox's key. */
export async function installActito(rig: UiRig): Promise<void> {
  const created = await rig.admin(
    'POST',
    '/integrations',
    baseActitoIntegration({ apiHost: rig.sandbox.url, apiKey: 'sandbox-key' }),
  );
  assert.equal(created.status, 201, created.text);
}

/** Actito installed, then one profile delivered and one dead-lettered: something on every page. */
export async function installActitoWithDeliveries(rig: UiRig): Promise<void> {
  await installActito(rig);
  await deliverAndDeadLetter(rig);
}

/** Jane delivered; then, with the table named in the wrong case, Bob dead-lettered (404). */
async function deliverAndDeadLetter(rig: UiRig): Promise<void> {
  await rig.send('/v1/i', { userId: 'user-123', traits: SEED_TRAITS, context: CONTEXT });
  await eventually(() => rig.sandbox.profile('demo', 'Profiles', 'jane.doe@example.com'), 'jane');

  await setProfileTable(rig, 'profiles');
  await rig.send('/v1/i', {
    userId: 'user-456',
    traits: { email: 'bob.a.very.long.address.for.a.narrow.screen@example.com' },
    context: CONTEXT,
  });
  await eventually(async () => {
    const letters = await rig.admin('GET', '/dead-letters');
    return (letters.body as { data: unknown[] }).data.length > 0 ? true : undefined;
  }, 'the dead letter');
}

/** A config edit merges into the stored settings, so the other settings stay as they are. */
async function setProfileTable(rig: UiRig, table: string): Promise<void> {
  const updated = await rig.admin('PATCH', '/integrations/actito', {
    config: { profile_table: table },
  });
  assert.equal(updated.status, 200, updated.text);
}
