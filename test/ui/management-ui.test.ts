/**
 * The management UI end to end, in Chromium, following the Actito guide's "Management UI Setup"
 * and "Testing Your Integration": sign in, add Actito through the library with the Default
 * preset, run the seed's identify and `Signed Up` on a test page with Signal installed (a second
 * window, as a visitor with locale `en` and OneTrust marketing consent), watch them reach the
 * sandbox in the Event Debugger for the Actito integration, rename a mapped attribute, break and
 * fix the table name and replay the dead letter, roll back to the first revision, and disable
 * and re-enable the integration. Steps share one browser page and run in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { SEED_SNIPPET } from '../e2e/support/collector-site.js';
import { skipWithoutChromium } from '../support/chromium.js';
import { eventually } from '../support/eventually.js';
import { drained, SEED_PAYLOAD, SEED_TRAITS } from '../support/signal-harness.js';
import { visitSite, type SentEvent, type SiteVisit } from './support/site-visit.js';
import type { UiPage } from './support/ui-page.js';
import { ADMIN, type UiRig } from './support/ui-rig.js';
import { startUiSuite, type UiSuite } from './support/ui-suite.js';

const XSS = '<img src=x onerror=window.__xss=1>';

describe('the management UI', { skip: skipWithoutChromium() }, () => {
  let suite: UiSuite | undefined;
  let rig: UiRig | undefined;
  let ui: UiPage;
  let page: Page;
  let site: SiteVisit | undefined;

  before(async () => {
    suite = await startUiSuite();
    ({ rig, ui, page } = suite);
  });
  after(async () => {
    await site?.close();
    await suite?.close();
  });

  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  const heading = (name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  const row = (messageId: string) => page.locator(`.event-row[data-message-id="${messageId}"]`);

  it('asks for a password, then opens the overview', async () => {
    await page.goto(rig!.uiUrl);
    await heading('Sign in');

    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That e-mail and password do not match an account.').waitFor();
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await heading('Overview');
    assert.equal(await page.title(), 'Overview · Signal');
  });

  it('adds Actito as the guide says: Default preset, credentials, marketing consent, Save', async () => {
    await nav('Integrations');
    await heading('Integrations');
    await ui.screenshot('integrations-empty');
    await page.getByRole('link', { name: 'Add integration' }).click();
    await page.getByRole('link', { name: 'Add Actito' }).click();
    await heading('Add Actito');

    const preset = page.getByRole('radio', { name: /^Default/ });
    assert.equal(await preset.isChecked(), true);
    await page.getByText('Page views plus identify-driven profile enrichment').waitFor();
    await page.getByLabel('Entity', { exact: true }).fill('demo');
    await page.getByLabel('Profile table', { exact: true }).fill('Profiles');
    const apiKey = page.getByLabel('API key', { exact: true });
    assert.equal(await apiKey.getAttribute('type'), 'password');
    await apiKey.fill('sandbox-key');
    await page.getByText('Advanced settings').click();
    await page.getByRole('combobox', { name: /^API host/ }).selectOption('__other__');
    await page.getByRole('textbox', { name: /^API host: other URL/ }).fill(rig!.sandbox.url);
    assert.equal(await page.getByRole('checkbox', { name: /^marketing/ }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: /^analytics/ }).isChecked(), false);
    assert.equal(await page.getByRole('checkbox', { name: /^Website/ }).isChecked(), true);
    await ui.screenshot('add-integration');
    await page.getByRole('button', { name: 'Save' }).click();

    await heading('Actito');
    assert.match(page.url(), /\/ui\/integrations\/actito$/);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Connection OK.').waitFor();
    await ui.screenshot('integration-detail');
  });

  it('shows the seed’s page calls, their Actito payload and Actito’s 201 in the Event Debugger', async () => {
    site = await visitSite(suite!.browser, rig!.siteUrl);
    await openActito();
    await page.getByRole('main').getByRole('link', { name: 'Event Debugger' }).click();
    await heading('Event Debugger');
    const filter = page.getByRole('combobox', { name: 'Integration', exact: true });
    assert.equal(await filter.inputValue(), 'actito', 'the debugger opens filtered on Actito');
    await page.getByText('Live', { exact: true }).waitFor();

    const [identify, signedUp] = (await site.call(SEED_SNIPPET, 2)) as [SentEvent, SentEvent];
    assert.equal(identify.type, 'identify');
    assert.equal(signedUp.event, 'Signed Up');

    // The seed says "200 OK"; Actito answers 201 when the upsert creates the profile. Both calls
    // leave the page in one batch, so they coalesce into that one write.
    const identified = row(identify.messageId);
    const signedUpRow = row(signedUp.messageId);
    await identified.getByText('Actito: delivered 201').waitFor();
    await signedUpRow.getByText('Signed Up').waitFor();
    await signedUpRow.getByText('Actito: delivered 201').waitFor();
    await identified.locator('summary').first().click();
    const body = await requestBody(identified);
    assert.deepEqual(body, JSON.parse(SEED_PAYLOAD));
    assert.equal(body.email, 'jane.doe@example.com');
    await identified.getByText(/vendor answered 201/).waitFor();
    await signedUpRow.locator('summary').first().click();
    assert.deepEqual(await requestBody(signedUpRow), body, 'Signed Up shares the coalesced write');
    await ui.screenshot('debugger');
  });

  it('sends the renamed attribute after a Field Mappings edit', async () => {
    await openActito();
    await page.getByRole('link', { name: 'Field mappings' }).click();
    await heading('Field Mappings');

    const target = page.getByRole('textbox', { name: 'Target for consent.marketing' });
    assert.equal(await target.inputValue(), 'marketingConsent');
    await target.fill('optin_marketing');
    await ui.screenshot('field-mappings');
    await page.getByRole('button', { name: 'Save mappings' }).click();
    await page.getByText('Mappings saved').waitFor();

    await nav('Event Debugger');
    await page.getByText('Live', { exact: true }).waitFor();
    const [pricing] = await site!.call('datafly.track("Viewed Pricing");', 1);
    const viewed = row(pricing!.messageId);
    await viewed.getByText('Actito: delivered 200').waitFor();
    await viewed.locator('summary').first().click();
    const body = await requestBody(viewed);
    assert.equal(body.optin_marketing, true);
    assert.equal('marketingConsent' in body, false);
    assert.equal(
      rig!.sandbox.profile('demo', 'Profiles', 'jane.doe@example.com')?.optin_marketing,
      true,
    );
  });

  it('shows the 404 hint and the dead letter for a wrong table name, then replays it', async () => {
    await setProfileTable('profiles');

    await nav('Event Debugger');
    await page.getByText('Live', { exact: true }).waitFor();
    const [janet] = await site!.call(
      `datafly.identify("user-123", ${JSON.stringify({ ...SEED_TRAITS, first_name: 'Janet' })});`,
      1,
    );
    const broken = row(janet!.messageId);
    await broken.getByText('Actito: dead-lettered 404').waitFor();
    await broken.locator('summary').first().click();
    await broken
      .getByText(/case-sensitive/)
      .first()
      .waitFor();

    await nav('Dead letters');
    await heading('Dead letters');
    const letter = page.locator('tr[data-dead-letter]');
    assert.equal(await letter.count(), 1);
    await letter.getByText(/entity or profile_table not found/).waitFor();
    await ui.screenshot('dead-letters');

    await setProfileTable('Profiles');
    await nav('Dead letters');
    await page.getByRole('button', { name: /^Replay dead letter/ }).click();
    await page.getByText('1 delivery queued again.').waitFor();
    await page.getByText('No dead letter.', { exact: false }).waitFor();
    await drained(rig!.signal);
    assert.equal(
      rig!.sandbox.profile('demo', 'Profiles', 'jane.doe@example.com')?.firstName,
      'Janet',
    );

    await nav('Event Debugger');
    await row(janet!.messageId).getByText('Actito: delivered 200').waitFor();
  });

  it('renders untrusted event data as text, never as markup', async () => {
    await page.getByText('Live', { exact: true }).waitFor();
    const [clicked] = await site!.call(
      `datafly.track(${JSON.stringify(`Clicked ${XSS}`)}, ${JSON.stringify({ note: XSS })});`,
      1,
    );

    const hostile = row(clicked!.messageId);
    await hostile.getByText(`Clicked ${XSS}`).waitFor();
    await hostile.locator('summary').first().click();
    await hostile.getByText(`"note": "${XSS}"`).first().waitFor();
    assert.equal(await hostile.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
  });

  it('rolls back to the first revision, and the next payload is the seed’s again', async () => {
    await openActito();
    const revisions = page.getByRole('region', { name: 'Revisions' });
    await revisions.getByRole('button', { name: 'Roll back to revision 1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
    await page.getByText('Rolled back to revision #1.').waitFor();
    await revisions.getByText('#5 (current)').waitFor();
    await ui.screenshot('revisions');

    await nav('Event Debugger');
    await page.getByText('Live', { exact: true }).waitFor();
    // Jane's own names again: a change, so a call (an unchanged profile is not sent twice).
    const [again] = await site!.call(
      `datafly.identify("user-123", ${JSON.stringify(SEED_TRAITS)});`,
      1,
    );
    const identified = row(again!.messageId);
    await identified.getByText('Actito: delivered 200').waitFor();
    await identified.locator('summary').first().click();
    assert.deepEqual(await requestBody(identified), JSON.parse(SEED_PAYLOAD));
  });

  it('disables Actito after asking, so the next event is dropped, then enables it again', async () => {
    await openActito();
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable Actito' }).click();
    await page.getByText('Actito disabled.').waitFor();

    await nav('Event Debugger');
    await page.getByText('Live', { exact: true }).waitFor();
    const [ignored] = await site!.call('datafly.track("Viewed While Disabled");', 1);
    const dropped = row(ignored!.messageId);
    await dropped.getByText('Actito: dropped', { exact: true }).waitFor();
    await dropped.locator('summary').first().click();
    await dropped.getByText('Dropped: integration disabled').waitFor();

    await openActito();
    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.getByText('Actito enabled.').waitFor();
    await page.getByRole('button', { name: 'Disable', exact: true }).waitFor();
  });

  it('shows integrations, pipelines, consent and the overview chart without console errors', async () => {
    await nav('Integrations');
    await page.getByRole('cell', { name: 'running' }).waitFor();
    await ui.screenshot('integrations');

    await nav('Pipelines');
    await heading('Pipelines');
    assert.equal(await page.getByLabel('Pipeline key').inputValue(), 'dk_test_pipeline_key');
    await page.getByText('Install snippet').click();
    await page
      .getByRole('figure', { name: 'Script tag' })
      .getByText(/^<script async/)
      .waitFor();
    await page
      .getByRole('figure', { name: 'Inline snippet' })
      .getByText(/datafly/)
      .waitFor();
    await ui.screenshot('pipelines');

    await nav('Settings · Consent');
    await heading('Consent');
    assert.equal(
      await page.getByRole('textbox', { name: 'CMP code, row 1' }).inputValue(),
      'C0004',
    );
    await ui.screenshot('consent');

    await nav('Overview');
    await heading('Overview');
    const chart = page.getByRole('img', { name: /Actito: events per minute/ });
    await chart.waitFor();
    await eventually(
      async () => ((await chart.locator('rect.bar').count()) > 0 ? true : undefined),
      'bars in the chart',
    );
    await ui.screenshot('overview');
    await page.setViewportSize({ width: 390, height: 844 });
    await ui.screenshot('overview-phone');

    assert.deepEqual(ui.errors, []);
    assert.deepEqual(site?.errors, []);
  });

  async function openActito(): Promise<void> {
    await nav('Integrations');
    await page.getByRole('link', { name: 'Actito', exact: true }).click();
    await heading('Actito');
  }

  async function setProfileTable(name: string): Promise<void> {
    await openActito();
    await page.getByLabel('Profile table', { exact: true }).fill(name);
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH'),
      page.getByRole('button', { name: 'Save changes' }).click(),
    ]);
    assert.equal(saved.status(), 200);
  }
});

/** The profile write's body as shown in an expanded debugger row. */
async function requestBody(row: Locator): Promise<Record<string, unknown>> {
  const figure = row.getByRole('figure', { name: 'Request body' }).last();
  const text = await figure.locator('pre').textContent();
  return JSON.parse(text ?? '') as Record<string, unknown>;
}
