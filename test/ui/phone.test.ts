/**
 * The management UI on a phone: at 390 CSS pixels wide, no main page is wider than the screen,
 * so nothing needs sideways scrolling except the tables and code blocks that scroll on their
 * own. Phone screenshots of the Event Debugger and the dead letters are saved as artifacts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { skipWithoutChromium } from '../support/chromium.js';
import { signIn } from './support/sign-in.js';
import { installActitoWithDeliveries } from './support/ui-fixtures.js';
import type { UiPage } from './support/ui-page.js';
import type { UiRig } from './support/ui-rig.js';
import { startUiSuite, type UiSuite } from './support/ui-suite.js';

const PHONE = { width: 390, height: 844 };

/** Each main page, and what shows that its content has loaded. */
const PAGES: { path: string; heading: string; loaded?: (page: Page) => Promise<void> }[] = [
  { path: '', heading: 'Overview', loaded: (page) => page.locator('rect.bar').first().waitFor() },
  { path: 'integrations', heading: 'Integrations' },
  { path: 'integrations/new/actito', heading: 'Add Actito' },
  { path: 'integrations/actito', heading: 'Actito' },
  { path: 'integrations/actito/mappings', heading: 'Field Mappings' },
  { path: 'debugger', heading: 'Event Debugger', loaded: openFirstEvent },
  { path: 'dead-letters', heading: 'Dead letters', loaded: openDeadLetter },
  { path: 'pipelines', heading: 'Pipelines', loaded: openSnippet },
  { path: 'settings/consent', heading: 'Consent' },
];

describe('the management UI on a phone', { skip: skipWithoutChromium() }, () => {
  let suite: UiSuite | undefined;
  let rig: UiRig | undefined;
  let ui: UiPage;

  before(async () => {
    suite = await startUiSuite({ prepare: installActitoWithDeliveries, viewport: PHONE });
    ({ rig, ui } = suite);
    await signIn(ui.page, rig.uiUrl);
  });
  after(() => suite?.close());

  for (const { path, heading, loaded } of PAGES) {
    it(`fits ${heading} into 390 px without sideways scrolling`, async () => {
      const { page } = ui;

      await page.goto(`${rig!.uiUrl}${path}`);
      await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
      await loaded?.(page);

      assert.deepEqual(await overflow(page), { scrollWidth: PHONE.width, wider: [] });
      if (path === 'debugger') await ui.screenshot('debugger-phone');
      if (path === 'dead-letters') await ui.screenshot('dead-letters-phone');
    });
  }

  it('logged no console error on any page', () => {
    assert.deepEqual(ui.errors, []);
  });
});

async function openFirstEvent(page: Page): Promise<void> {
  const row = page.locator('.event-row').filter({ hasText: 'delivered' }).first();
  await row.locator('summary').first().click();
  await row.getByRole('figure', { name: 'Request body' }).first().waitFor();
}

async function openDeadLetter(page: Page): Promise<void> {
  await page.getByText('Attributes and vendor answer').click();
}

async function openSnippet(page: Page): Promise<void> {
  await page.getByText('Install snippet').click();
  await page.locator('pre', { hasText: '<script' }).first().waitFor();
}

/**
 * The document's scroll width, and the elements that stick out past the right edge of the
 * screen (a tag and class each, to say where to look), ignoring those inside a box that
 * scrolls sideways on its own. Passed as source text: the test runner's compiler would wrap
 * named functions in a helper the page does not have.
 */
const OVERFLOW_PROBE = `(() => {
  const scrolls = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  const wider = [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
    .filter((element) => !scrolls(element))
    .map((element) => element.tagName.toLowerCase() + '.' + element.className);
  return { scrollWidth: Math.max(document.documentElement.scrollWidth, window.innerWidth), wider };
})()`;

function overflow(page: Page): Promise<{ scrollWidth: number; wider: string[] }> {
  return page.evaluate(OVERFLOW_PROBE);
}
