/**
 * The browser collector on a page served by Signal: the seed's snippet travels page → gateway →
 * processor → delivery queue → Actito sandbox and ends as exactly the seed's profile payload, and
 * calls queued by the inline snippet before the script arrived reach the event log in order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipWithoutChromium } from '../support/chromium.js';
import { eventually } from '../support/eventually.js';
import { drained, SEED_PAYLOAD, type Harness } from '../support/signal-harness.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { BrowserVisit } from './support/browser-visit.js';
import { scriptTagPage, SEED_SNIPPET, siteRoutes, snippetPage } from './support/collector-site.js';
import { label, loggedEvents, waitForLogged } from './support/signal-watch.js';

const HOME = '/site/';
const QUEUED = '/site/queued';
const MARKETING_GRANTED = { C0001: true, C0004: true };

describe('datafly.js served by Signal', { skip: skipWithoutChromium() }, () => {
  const suite = useBrowserSuite();
  let harness: Harness | undefined;
  let visit: BrowserVisit | undefined;

  it('delivers the seed snippet to the Actito sandbox as exactly the seed payload', async () => {
    harness = await suite.startHarness({ routes: siteRoutes({ [HOME]: scriptTagPage() }) });
    visit = await suite.openVisit(harness.signal.url, { oneTrust: MARKETING_GRANTED });
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
    harness = await suite.startHarness({ routes: siteRoutes({ [QUEUED]: snippetPage(calls) }) });
    visit = await suite.openVisit(harness.signal.url, { oneTrust: MARKETING_GRANTED });

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
