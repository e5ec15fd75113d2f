/**
 * The management UI with the keyboard alone: signing in, the skip link, every main page from
 * the navigation, an integration and its field mappings, an event's details in the debugger,
 * and a confirmation dialog that Escape cancels. Every control reached shows its focus.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { skipWithoutChromium } from '../support/chromium.js';
import { focused, tabTo } from './support/keyboard.js';
import { installActitoWithDeliveries } from './support/ui-fixtures.js';
import type { UiPage } from './support/ui-page.js';
import { ADMIN, type UiRig } from './support/ui-rig.js';
import { startUiSuite, type UiSuite } from './support/ui-suite.js';

const SECTIONS = [
  'Integrations',
  'Event Debugger',
  'Dead letters',
  'Pipelines',
  ['Settings · Consent', 'Consent'],
  'Overview',
] as const;

describe('the management UI with a keyboard only', { skip: skipWithoutChromium() }, () => {
  let suite: UiSuite | undefined;
  let rig: UiRig | undefined;
  let ui: UiPage;
  let page: Page;

  before(async () => {
    suite = await startUiSuite({ prepare: installActitoWithDeliveries });
    ({ rig, ui, page } = suite);
  });
  after(() => suite?.close());

  /** The page's heading has the focus, as it should right after navigating. */
  const onPage = async (heading: string) => {
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
    const now = await focused(page);
    assert.deepEqual([now.tag, now.name], ['h1', heading]);
  };

  it('signs in by typing into the focused e-mail field, Tab, the password and Enter', async () => {
    await page.goto(rig!.uiUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    const field = await focused(page);
    assert.deepEqual(
      [field.tag, field.name],
      ['input', 'E-mail'],
      'the e-mail field has the focus',
    );
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Overview', exact: true }).waitFor();
  });

  it('offers the skip link first, and it moves the focus to the content', async () => {
    await page.keyboard.press('Tab');
    const first = await focused(page);
    assert.deepEqual([first.tag, first.name, first.visible], ['a', 'Skip to content', true]);
    const link = await page.getByRole('link', { name: 'Skip to content' }).boundingBox();
    assert.ok(link && link.y >= 0, 'the focused skip link is on screen');

    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest('main') !== null),
      true,
      'the next Tab stays in the content',
    );
  });

  it('reaches every main page from the navigation with Shift+Tab and Enter', async () => {
    for (const section of SECTIONS) {
      const [link, heading] = typeof section === 'string' ? [section, section] : section;

      await tabTo(page, 'a', link, { backwards: true, inNav: true });
      await page.keyboard.press('Enter');

      await onPage(heading);
      assert.equal(await page.title(), `${heading} · Signal`);
    }
  });

  it('opens an integration and its field mappings with Tab and Enter', async () => {
    await tabTo(page, 'a', 'Integrations', { backwards: true, inNav: true });
    await page.keyboard.press('Enter');
    await onPage('Integrations');

    await tabTo(page, 'a', 'Actito');
    await page.keyboard.press('Enter');
    await onPage('Actito');
    await tabTo(page, 'a', 'Field mappings');
    await page.keyboard.press('Enter');

    await onPage('Field Mappings');
  });

  it('opens an event’s details in the debugger with Enter', async () => {
    await tabTo(page, 'a', 'Event Debugger', { backwards: true, inNav: true });
    await page.keyboard.press('Enter');
    await onPage('Event Debugger');
    await page.locator('.event-row').first().waitFor();

    await tabTo(page, 'summary', /identify/);
    await page.keyboard.press('Enter');

    const open = page.locator('.event-row details[open]');
    await open.getByText('Received on pipeline web').waitFor();
    assert.equal(await open.count(), 1);
  });

  it('cancels a confirmation with Escape and returns the focus to the button', async () => {
    await tabTo(page, 'a', 'Pipelines', { backwards: true, inNav: true });
    await page.keyboard.press('Enter');
    await onPage('Pipelines');
    const key = await page.getByLabel('Pipeline key').inputValue();

    await tabTo(page, 'button', 'Rotate key');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: /Rotate the key/ }).waitFor();
    assert.equal((await focused(page)).name, 'Cancel', 'the safe choice has the focus');
    await page.keyboard.press('Escape');

    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal((await focused(page)).name, 'Rotate key');
    assert.equal(await page.getByLabel('Pipeline key').inputValue(), key);
    assert.deepEqual(ui.errors, []);
  });
});
