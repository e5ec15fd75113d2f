/**
 * The collector's delivery paths against the real Signal: events waiting when the page goes away
 * leave by beacon and still reach Actito, and events stored after a network failure are resent on
 * the next load with the same messageIds, which Signal deduplicates before Actito sees them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { skipWithoutChromium } from '../support/chromium.js';
import { eventually } from '../support/eventually.js';
import { drained, SEED_PAYLOAD, type Harness } from '../support/signal-harness.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { BrowserVisit } from './support/browser-visit.js';
import { AWAY_PATH, scriptTagPage, SEED_SNIPPET, siteRoutes } from './support/collector-site.js';
import {
  countBy,
  label,
  loggedEvents,
  recordTraces,
  waitForLogged,
} from './support/signal-watch.js';

const HOME = '/site/';
const BATCH_ROUTE = '**/v1/batch';
const MARKETING_GRANTED = { C0001: true, C0004: true };

/**
 * Makes every batch request of the page fail, the connection dropped or answered 503; returns
 * the messageIds the failed requests carried.
 */
async function failBatches(page: Page, failure: 'unreachable' | 503): Promise<string[]> {
  const failed: string[] = [];

  await page.route(BATCH_ROUTE, async (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}') as {
      batch?: { messageId: string }[];
    };
    failed.push(...(body.batch ?? []).map((event) => event.messageId));

    if (failure === 'unreachable') await route.abort('connectionrefused');
    else await route.fulfill({ status: failure, body: '' });
  });

  return failed;
}

describe('datafly.js delivery through Signal', { skip: skipWithoutChromium() }, () => {
  const suite = useBrowserSuite();
  let harness: Harness | undefined;
  let visit: BrowserVisit | undefined;

  async function openHome(networkFailsOnPurpose = false): Promise<BrowserVisit> {
    harness = await suite.startHarness({ routes: siteRoutes({ [HOME]: scriptTagPage() }) });
    visit = await suite.openVisit(harness.signal.url, {
      oneTrust: MARKETING_GRANTED,
      networkFailsOnPurpose,
    });
    return visit;
  }

  it('delivers events tracked just before the visitor follows a link away', async () => {
    const { page, run, collectorReady, errors } = await openHome();
    await page.goto(`${harness!.signal.url}${HOME}`);
    await collectorReady();

    // The batch timer (1 s) never fires on this page: only the page-hide beacon can carry these.
    await run(SEED_SNIPPET);
    await page.click('#away');
    await page.waitForURL(`**${AWAY_PATH}`);
    await eventually(() => harness!.profile('jane.doe@example.com'), 'the Actito profile');
    await drained(harness!.signal);

    const logged = (await loggedEvents(harness!.signal)).map(label);
    assert.deepEqual(logged, ['page', 'identify', 'track:Signed Up']);
    assert.deepEqual(
      harness!.profileWrites().map(({ body }) => JSON.stringify(body)),
      [SEED_PAYLOAD],
    );
    assert.deepEqual(errors, []);
  });

  it('delivers events tracked just before the visitor closes the tab', async () => {
    const { page, run, collectorReady, errors } = await openHome();
    await page.goto(`${harness!.signal.url}${HOME}`);
    await collectorReady();

    await run(SEED_SNIPPET);
    await page.close();
    await eventually(() => harness!.profile('jane.doe@example.com'), 'the Actito profile');
    await drained(harness!.signal);

    const logged = (await loggedEvents(harness!.signal)).map(label);
    assert.deepEqual(logged, ['page', 'identify', 'track:Signed Up']);
    assert.deepEqual(
      harness!.profileWrites().map(({ body }) => JSON.stringify(body)),
      [SEED_PAYLOAD],
    );
    assert.deepEqual(errors, []);
  });

  for (const failure of ['unreachable', 503] as const) {
    it(`resends events after a load with gateway ${failure}; Actito gets each once`, async () => {
      const { page, run, collectorReady, errors } = await openHome(true);
      const traces = recordTraces(harness!.signal);
      const failed = await failBatches(page, failure);
      await page.goto(`${harness!.signal.url}${HOME}`);
      await collectorReady();
      await run(SEED_SNIPPET);
      await eventually(() => (failed.length >= 3 ? true : undefined), 'the first batch to fail');

      // Reload at once, before the collector's own retry (1-2 s later) could succeed on this page.
      await page.unroute(BATCH_ROUTE);
      await page.reload();
      await waitForLogged(harness!.signal, (event) => event.type === 'page', 'two page views', 2);
      await drained(harness!.signal);

      const logged = await loggedEvents(harness!.signal);
      const timesLogged = countBy(logged.map((event) => event.messageId));
      const timesDropped = countBy(traces.of('duplicate').flatMap((trace) => trace.messageIds));
      const timesDelivered = countBy(traces.of('delivered').flatMap((trace) => trace.messageIds));
      // The reload's page-hide beacon and the new page both carry the stored events: duplicates.
      assert.ok(timesDropped.size > 0, 'the reload resent no stored event');
      for (const id of failed) {
        assert.ok(timesLogged.has(id), `messageId ${id} never reached Signal`);
      }
      for (const [id, times] of timesLogged) {
        assert.equal(times - (timesDropped.get(id) ?? 0), 1, `messageId ${id} kept once`);
        assert.ok((timesDelivered.get(id) ?? 0) <= 1, `messageId ${id} delivered at most once`);
      }
      const seedWrites = harness!
        .profileWrites()
        .filter(({ body }) => JSON.stringify(body) === SEED_PAYLOAD);
      assert.equal(seedWrites.length, 1);
      assert.deepEqual(errors, []);
    });
  }
});
