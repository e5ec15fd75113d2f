/**
 * The management UI end to end, in Chromium, following the Actito guide's "Management UI Setup"
 * and "Testing Your Integration": sign in, add Actito through the library with the Default
 * preset, watch the seed's events reach the sandbox in the Event Debugger, rename a mapped
 * attribute, break and fix the table name and replay the dead letter. Steps share one browser
 * page and run in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';
import { drained, eventually, SEED_PAYLOAD, SEED_TRAITS } from '../support/signal-harness.js';
import { openUiPage, type UiPage } from './support/ui-page.js';
import { ADMIN, startUiRig, type UiRig } from './support/ui-rig.js';

const CONTEXT = { locale: 'en', consent: { categories: { C0004: true } } };
const XSS = '<img src=x onerror=window.__xss=1>';

describe('the management UI', { skip: skipWithoutChromium() }, () => {
  let browser: Browser | undefined;
  let rig: UiRig | undefined;
  let ui: UiPage;
  let page: Page;

  before(async () => {
    [browser, rig] = await Promise.all([launchChromium(), startUiRig()]);
    ui = await openUiPage(browser);
    page = ui.page;
    page.setDefaultTimeout(8_000);
  });
  after(async () => {
    await ui?.close();
    await browser?.close();
    await rig?.close();
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

  it('shows the seed payload and Actito’s answer (201 created) in the Event Debugger', async () => {
    await nav('Event Debugger');
    await heading('Event Debugger');
    await page.getByText('Live', { exact: true }).waitFor();

    assert.equal(await rig!.send('/v1/i', identify('msg-identify', SEED_TRAITS)), 200);
    assert.equal(await rig!.send('/v1/t', track('msg-signed-up', 'Signed Up')), 200);

    // The seed says "200 OK"; Actito answers 201 when the upsert creates the profile.
    const identified = row('msg-identify');
    await identified.getByText(/Actito: delivered 20[01]/).waitFor();
    await row('msg-signed-up').getByText('Signed Up').waitFor();
    await identified.locator('summary').first().click();
    const body = await requestBody(identified);
    assert.deepEqual(body, JSON.parse(SEED_PAYLOAD));
    assert.equal(body.email, 'jane.doe@example.com');
    await identified.getByText(/vendor answered 20[01]/).waitFor();
    await ui.screenshot('debugger');
  });

  it('sends the renamed attribute after a Field Mappings edit', async () => {
    await nav('Integrations');
    await page.getByRole('link', { name: 'Actito', exact: true }).click();
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
    await rig!.send('/v1/t', track('msg-pricing', 'Viewed Pricing'));
    const viewed = row('msg-pricing');
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
    await rig!.send('/v1/i', identify('msg-broken', { ...SEED_TRAITS, first_name: 'Janet' }));
    const broken = row('msg-broken');
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
    await row('msg-broken').getByText('Actito: delivered 200').waitFor();
  });

  it('renders untrusted event data as text, never as markup', async () => {
    await page.getByText('Live', { exact: true }).waitFor();
    await rig!.send('/v1/t', {
      ...track('msg-xss', `Clicked ${XSS}`),
      properties: { note: XSS },
    });

    const hostile = row('msg-xss');
    await hostile.getByText(`Clicked ${XSS}`).waitFor();
    await hostile.locator('summary').first().click();
    await hostile.getByText(`"note": "${XSS}"`).first().waitFor();
    assert.equal(await hostile.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
  });

  it('shows integrations, pipelines, consent and the overview chart without console errors', async () => {
    await nav('Integrations');
    await page.getByRole('cell', { name: 'running' }).waitFor();
    await ui.screenshot('integrations');

    await nav('Pipelines');
    await heading('Pipelines');
    assert.equal(await page.getByLabel('Pipeline key').inputValue(), 'dk_test_pipeline_key');
    await page.getByText('Install snippet').click();
    await page.locator('pre', { hasText: '<script' }).waitFor();
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
  });

  async function setProfileTable(name: string): Promise<void> {
    await nav('Integrations');
    await page.getByRole('link', { name: 'Actito', exact: true }).click();
    await heading('Actito');
    await page.getByLabel('Profile table', { exact: true }).fill(name);
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH'),
      page.getByRole('button', { name: 'Save changes' }).click(),
    ]);
    assert.equal(saved.status(), 200);
  }
});

function identify(messageId: string, traits: Record<string, unknown>) {
  return { messageId, userId: 'user-123', traits, context: CONTEXT };
}

function track(messageId: string, event: string) {
  return { messageId, userId: 'user-123', event, context: CONTEXT };
}

/** The profile write's body as shown in an expanded debugger row. */
async function requestBody(row: Locator): Promise<Record<string, unknown>> {
  const figure = row.getByRole('figure', { name: 'Request body' }).last();
  const text = await figure.locator('pre').textContent();
  return JSON.parse(text ?? '') as Record<string, unknown>;
}
