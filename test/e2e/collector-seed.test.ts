/**
 * The browser collector on a page served by Signal: the seed's snippet travels page → gateway →
 * processor → delivery queue → Actito sandbox and ends as exactly the seed's profile payload, and
 * calls queued by the inline snippet before the script arrived reach the event log in order.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';
import {
  drained,
  eventually,
  SEED_PAYLOAD,
  startHarness,
  type Harness,
} from '../support/signal-harness.js';
import { openVisit, type BrowserVisit } from './support/browser-visit.js';
import {
  assertCollectorBuildIsCurrent,
  scriptTagPage,
  SEED_SNIPPET,
  siteRoutes,
  snippetPage,
} from './support/collector-site.js';
import { label, loggedEvents, waitForLogged } from './support/signal-watch.js';

const HOME = '/site/';
const QUEUED = '/site/queued';
const MARKETING_GRANTED = { C0001: true, C0004: true };

describe('datafly.js served by Signal', { skip: skipWithoutChromium() }, () => {
  let browser: Browser | undefined;
  let harness: Harness | undefined;
  let visit: BrowserVisit | undefined;

  before(async () => {
    await assertCollectorBuildIsCurrent();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await visit?.close();
    await harness?.close();
    visit = undefined;
    harness = undefined;
  });

  it('delivers the seed snippet to the Actito sandbox as exactly the seed payload', async () => {
    harness = await startHarness({ routes: siteRoutes({ [HOME]: scriptTagPage() }) });
    visit = await openVisit(browser!, harness.signal.url, { oneTrust: MARKETING_GRANTED });
    await visit.page.goto(`${harness.signal.url}${HOME}`);
    await visit.collectorReady();

    await visit.run(SEED_SNIPPET);
    await eventually(() => harness!.profile('jane.doe@example.com'), 'the Actito profile');
    await drained(harness.signal);

    // identify and Signed Up leave in one batch, so they coalesce into one create (201).
    const writes = harness
      .profileWrites()
      .map(({ body, status }) => [JSON.stringify(body), status]);
    assert.deepEqual(writes, [[SEED_PAYLOAD, 201]]);
    assert.deepEqual(visit.errors, []);
  });

  it('replays the calls the inline snippet queued before the script loaded, in order', async () => {
    const calls = `${SEED_SNIPPET}
      datafly.track("Plan Chosen", { plan: "pro" });
      datafly.page("Pricing");`;
    harness = await startHarness({ routes: siteRoutes({ [QUEUED]: snippetPage(calls) }) });
    visit = await openVisit(browser!, harness.signal.url, { oneTrust: MARKETING_GRANTED });

    await visit.page.goto(`${harness.signal.url}${QUEUED}`);
    await waitForLogged(harness.signal, (event) => event.type === 'page', 'two page views', 2);
    await drained(harness.signal);

    const events = await loggedEvents(harness.signal);
    assert.deepEqual(events.map(label), [
      'identify',
      'track:Signed Up',
      'track:Plan Chosen',
      'page:Pricing',
      'page',
    ]);
    assert.ok(events.every((event) => event.userId === 'user-123'));
    assert.equal(JSON.stringify(harness.profileWrites()[0]?.body), SEED_PAYLOAD);
    assert.deepEqual(visit.errors, []);
  });
});
