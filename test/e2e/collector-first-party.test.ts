/**
 * datafly.js on a site's page, loaded from Signal on another origin, as in production: batches go
 * to the origin the script came from, cross-origin with credentials, by `fetch` with `keepalive`,
 * and the gateway's first-party `_dfid` cookie comes back on later batches.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipWithoutChromium } from '../support/chromium.js';
import { eventually } from '../support/eventually.js';
import { type Harness } from '../support/signal-harness.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { BrowserVisit } from './support/browser-visit.js';
import { scriptTagPage } from './support/collector-site.js';
import { renameOrigin, type PageHost } from './support/page-host.js';
import { waitForLogged } from './support/signal-watch.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface FetchCall {
  url: string;
  method?: string;
  keepalive?: boolean;
  credentials?: string;
  /** The status the page could read, or `rejected` (a network or CORS failure). */
  outcome: number | 'rejected' | 'pending';
}

/**
 * Wraps `window.fetch` before any page script runs, recording each call's options and whether
 * the page could read the answer: with credentials, a CORS answer the browser refuses rejects.
 */
function recordFetches() {
  const calls: FetchCall[] = [];
  const original = window.fetch;
  (window as unknown as { fetchCalls: FetchCall[] }).fetchCalls = calls;

  window.fetch = function (input: RequestInfo | URL, init?: RequestInit) {
    const call: FetchCall = {
      url: String(input),
      method: init?.method,
      keepalive: init?.keepalive,
      credentials: init?.credentials,
      outcome: 'pending',
    };
    calls.push(call);

    const answer = original.call(window, input, init);
    answer.then(
      (response) => (call.outcome = response.status),
      () => (call.outcome = 'rejected'),
    );
    return answer;
  };
}

describe('datafly.js loaded from Signal on another origin', { skip: skipWithoutChromium() }, () => {
  const suite = useBrowserSuite();
  let harness: Harness | undefined;
  let site: PageHost | undefined;
  let visit: BrowserVisit | undefined;

  /**
   * The site at `http://<siteHost>:<port>/`, whose page loads datafly.js from Signal at
   * `http://<signalHost>:<port2>`; Signal allows exactly the site's origin. Returns Signal's origin.
   */
  async function openSite(siteHost: string, signalHost: string): Promise<string> {
    site = await suite.startPageHost(siteHost);
    harness = await suite.startHarness({ allowedOrigins: [site.origin] });
    const signalOrigin = renameOrigin(harness.signal.url, signalHost);
    site.page('/', scriptTagPage('Shop', signalOrigin));
    visit = await suite.openVisit(site.origin);

    return signalOrigin;
  }

  it('sends batches to the script origin by fetch with keepalive and credentials, CORS passing', async () => {
    const signalOrigin = await openSite('localhost', '127.0.0.1');
    await visit!.page.addInitScript(recordFetches);
    const answer = visit!.page.waitForResponse((response) => response.url().endsWith('/v1/batch'));

    await visit!.page.goto(`${site!.origin}/`);
    await waitForLogged(harness!.signal, (event) => event.type === 'page', 'the page view');
    const headers = (await answer).headers();
    const calls = await eventually(async () => {
      const recorded = await visit!.page.evaluate(
        () => (window as unknown as { fetchCalls: FetchCall[] }).fetchCalls,
      );
      return recorded.every((call) => call.outcome !== 'pending') ? recorded : undefined;
    }, 'the page to read the answer');

    assert.deepEqual(calls, [
      {
        url: `${signalOrigin}/v1/batch`,
        method: 'POST',
        keepalive: true,
        credentials: 'include',
        outcome: 200,
      },
    ]);
    assert.equal(headers['access-control-allow-origin'], site!.origin);
    assert.equal(headers['access-control-allow-credentials'], 'true');
    assert.deepEqual(site!.requests, [{ method: 'GET', path: '/' }]);
    // A batch the page could not read the answer to would stay stored for a resend.
    assert.equal(await visit!.page.evaluate(() => localStorage.getItem('datafly:queue')), '[]');
    assert.deepEqual(visit!.errors, []);
  });

  it('gets the _dfid cookie of the first answer back on a later batch, from a subdomain', async () => {
    // Signal on a subdomain of the site: another origin, but the same site, which a SameSite=Lax
    // cookie needs (`localhost` and `127.0.0.1` are two sites, and Chromium would drop it).
    const signalOrigin = await openSite('shop.localhost', 'data.shop.localhost');
    const visitorCookies = async () =>
      (await visit!.context.cookies(signalOrigin)).filter((cookie) => cookie.name === '_dfid');

    await visit!.page.goto(`${site!.origin}/`);
    const [setByFirst] = await eventually(async () => {
      const found = await visitorCookies();
      return found.length ? found : undefined;
    }, 'the first answer to set _dfid');
    await visit!.run('datafly.track("Second Batch")');
    const [view, second] = await waitForLogged(harness!.signal, () => true, 'both batches', 2);

    assert.match(setByFirst!.value, UUID);
    assert.equal(setByFirst!.httpOnly, true);
    // The gateway mints a new id for a batch without the cookie: the same id means it came back.
    assert.equal(view!.anonymousId, setByFirst!.value);
    assert.equal(second!.anonymousId, setByFirst!.value);
    assert.deepEqual(
      (await visitorCookies()).map((cookie) => cookie.value),
      [setByFirst!.value],
    );
    assert.deepEqual(visit!.errors, []);
  });
});
