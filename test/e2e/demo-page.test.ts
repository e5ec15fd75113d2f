/**
 * `npm run demo` as a newcomer meets it: the command started as its own process, its page opened
 * in Chromium at the URL it prints, and the steps it lists clicked in order. The visitor's profile
 * must reach the bundled Actito sandbox as exactly the seed payload and show on the page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { skipWithoutChromium } from '../support/chromium.js';
import { eventually } from '../support/eventually.js';
import { SEED_PAYLOAD } from '../support/signal-harness.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { BrowserVisit } from './support/browser-visit.js';
import { startDemo, type DemoProcess } from './support/demo-process.js';

const SEED_PROFILE = JSON.parse(SEED_PAYLOAD) as Record<string, unknown>;
const EMAIL = 'jane.doe@example.com';

describe('the npm run demo page', { skip: skipWithoutChromium() }, () => {
  const suite = useBrowserSuite();
  let demo: DemoProcess | undefined;
  let visit: BrowserVisit | undefined;

  before(async () => {
    demo = await startDemo();
  });
  after(async () => {
    await demo?.stop();
  });

  /** The profiles as the page lists them, one JSON object a line; [] while it shows none. */
  async function profilesOnPage(): Promise<unknown[]> {
    const text = (await visit!.page.textContent('#profiles')) ?? '';

    return text.startsWith('{') ? text.split('\n').map((line) => JSON.parse(line)) : [];
  }

  it('turns Accept, Identify and Sign up into exactly the seed profile, shown on the page', async () => {
    visit = await suite.openVisit(demo!.url);
    await visit.page.goto(`${demo!.url}/`);

    // Each click waits for its button to be enabled, which the page does once datafly.js runs.
    await visit.page.click('#accept');
    await visit.page.click('#identify');
    await visit.page.click('#signup');
    const shown = await eventually(async () => {
      const profiles = await profilesOnPage();
      return profiles.length > 0 ? profiles : undefined;
    }, 'the page to show a profile');

    const stored = await demo!.profiles();
    assert.deepEqual(
      stored.map((profile) => profile.attributes),
      [SEED_PROFILE],
    );
    assert.deepEqual(shown, [SEED_PROFILE]);
    assert.equal(await visit.page.textContent('#collector-status'), 'datafly.js is ready.');
    assert.deepEqual(visit.errors, []);
  });

  it('turns marketingConsent false in the sandbox when the visitor withdraws consent', async () => {
    visit = await suite.openVisit(demo!.url);
    await visit.page.goto(`${demo!.url}/`);

    await visit.page.click('#accept');
    await visit.page.click('#identify');
    await visit.page.click('#signup');
    await eventually(
      async () => ((await demo!.profiles()).length > 0 ? true : undefined),
      'the profile',
    );
    await visit.page.click('#withdraw');
    const withdrawn = await eventually(async () => {
      const [profile] = await demo!.profiles();
      return profile?.attributes.marketingConsent === false ? profile.attributes : undefined;
    }, 'marketingConsent to turn false');

    assert.equal(withdrawn.email, EMAIL);
    assert.deepEqual(visit.errors, []);
  });
});
