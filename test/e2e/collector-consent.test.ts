/**
 * Consent withdrawn in the page, through OneTrust or `datafly.consent`, stops marketing delivery
 * to Actito and tells Actito once, with a minimal `marketingConsent: false` update.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SignalEvent } from '../../src/core/envelope.js';
import { skipWithoutChromium } from '../support/chromium.js';
import { eventually } from '../support/eventually.js';
import { drained, SEED_PAYLOAD, type Harness } from '../support/signal-harness.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { BrowserVisit } from './support/browser-visit.js';
import {
  oneTrustCookie,
  scriptTagPage,
  SEED_SNIPPET,
  siteRoutes,
} from './support/collector-site.js';
import { recordTraces, waitForLogged } from './support/signal-watch.js';

const HOME = '/site/';
const EMAIL = 'jane.doe@example.com';
const MARKETING_GRANTED = { C0001: true, C0004: true };
const OPT_OUT_PAYLOAD = `{"email":"${EMAIL}","marketingConsent":false}`;

/** What OneTrust does when the visitor refuses C0004: rewrite its cookie, then tell the page. */
const ONETRUST_WITHDRAWAL = `
document.cookie = "OptanonConsent=${oneTrustCookie({ C0001: true, C0004: false })}; path=/";
window.dispatchEvent(new CustomEvent("OneTrustGroupsUpdated", { detail: ["C0001"] }));`;

const WITHDRAWALS: [string, string][] = [
  ['the OneTrust banner', ONETRUST_WITHDRAWAL],
  ['datafly.consent', 'datafly.consent({ marketing: false });'],
];

describe('consent withdrawn in a page served by Signal', { skip: skipWithoutChromium() }, () => {
  const suite = useBrowserSuite();
  let harness: Harness | undefined;
  let visit: BrowserVisit | undefined;

  /** Jane signs up with marketing granted; resolves once Actito holds the seed profile. */
  async function signUpWithMarketing(): Promise<BrowserVisit> {
    harness = await suite.startHarness({ routes: siteRoutes({ [HOME]: scriptTagPage() }) });
    visit = await suite.openVisit(harness.signal.url, { oneTrust: MARKETING_GRANTED });
    await visit.page.goto(`${harness.signal.url}${HOME}`);
    await visit.collectorReady();
    await visit.run(SEED_SNIPPET);
    await eventually(() => harness!.profile(EMAIL), 'the Actito profile');
    await drained(harness.signal);
    return visit;
  }

  async function withdrawInPage(withdraw: string): Promise<void> {
    await visit!.run(withdraw);
    await waitForLogged(harness!.signal, (e) => e.event === 'Consent Updated', 'the withdrawal');
    await drained(harness!.signal);
  }

  /** Tracks a marketing-relevant event and waits until Signal has decided its fate. */
  async function trackProductViewed(): Promise<SignalEvent> {
    await visit!.run('datafly.track("Product Viewed", { sku: "X1" });');
    const [event] = await waitForLogged(
      harness!.signal,
      (logged) => logged.event === 'Product Viewed',
      'the track after the withdrawal',
    );
    await drained(harness!.signal);
    return event!;
  }

  for (const [through, withdraw] of WITHDRAWALS) {
    it(`stops marketing and opts out once when withdrawn through ${through}`, async () => {
      const { errors } = await signUpWithMarketing();
      const traces = recordTraces(harness!.signal);

      await withdrawInPage(withdraw);
      const later = await trackProductViewed();

      const writes = harness!.profileWrites().map(({ body }) => JSON.stringify(body));
      assert.deepEqual(writes, [SEED_PAYLOAD, OPT_OUT_PAYLOAD]);
      assert.equal(harness!.profile(EMAIL)?.marketingConsent, false);
      const drop = traces.of('dropped').find((trace) => trace.messageIds.includes(later.messageId));
      assert.equal(drop?.detail.reason, 'consent not granted: marketing');
      assert.deepEqual(errors, []);
    });

    // After datafly.consent the OneTrust cookie still grants C0004, but it is the older answer:
    // the collector's README says the most recent answer wins, so the reload must not re-grant.
    it(`keeps marketing stopped on the next page load after a withdrawal through ${through}`, async () => {
      const { page, collectorReady, errors } = await signUpWithMarketing();
      await withdrawInPage(withdraw);

      await page.reload();
      await collectorReady();
      await trackProductViewed();

      const writes = harness!.profileWrites().map(({ body }) => JSON.stringify(body));
      assert.deepEqual(writes, [SEED_PAYLOAD, OPT_OUT_PAYLOAD]);
      assert.equal(harness!.profile(EMAIL)?.marketingConsent, false);
      assert.deepEqual(errors, []);
    });
  }
});
