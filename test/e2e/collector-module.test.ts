/**
 * The ES module build served by Signal at `/datafly.esm.js`: a page on the site's own origin
 * imports it with `<script type="module">` from Signal's origin, and its events reach Signal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VERSION } from '../../collector/src/version.js';
import { skipWithoutChromium } from '../support/chromium.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { modulePage } from './support/collector-site.js';
import { waitForLogged } from './support/signal-watch.js';

describe('datafly.esm.js served by Signal', { skip: skipWithoutChromium() }, () => {
  const suite = useBrowserSuite();

  it('lets a page on another origin import the module and send an event', async () => {
    const site = await suite.startPageHost('localhost');
    const harness = await suite.startHarness({ allowedOrigins: [site.origin] });
    const calls = `datafly.track('From Module', { bundled: true });`;
    site.page('/', modulePage(harness.signal.url, calls));
    const visit = await suite.openVisit(site.origin);

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
