/**
 * The ES module build served by Signal at `/datafly.esm.js`: a page on the site's own origin
 * imports it with `<script type="module">` from Signal's origin, and its events reach Signal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VERSION } from '../../collector/src/version.js';
import { skipWithoutChromium } from '../support/chromium.js';
import type { Harness } from '../support/signal-harness.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { BrowserVisit } from './support/browser-visit.js';
import { modulePage } from './support/collector-site.js';
import type { PageHost } from './support/page-host.js';
import { waitForLogged } from './support/signal-watch.js';

describe('datafly.esm.js served by Signal', { skip: skipWithoutChromium() }, () => {
  const suite = useBrowserSuite();
  let harness: Harness | undefined;
  let site: PageHost | undefined;
  let visit: BrowserVisit | undefined;

  it('lets a page on another origin import the module and send an event', async () => {
    site = await suite.startPageHost('localhost');
    harness = await suite.startHarness({ allowedOrigins: [site.origin] });
    const calls = `datafly.track('From Module', { bundled: true });`;
    site.page('/', modulePage(harness.signal.url, calls));
    visit = await suite.openVisit(site.origin);

    await visit.page.goto(`${site.origin}/`);
    const [tracked] = await waitForLogged(
      harness.signal,
      (event) => event.event === 'From Module',
      'the module event',
    );

    assert.deepEqual(tracked!.properties, { bundled: true });
    assert.deepEqual(tracked!.context?.library, { name: 'datafly.js', version: VERSION });
    assert.equal(await visit.page.evaluate(() => 'datafly' in window), false);
    assert.deepEqual(visit.errors, []);
  });
});
