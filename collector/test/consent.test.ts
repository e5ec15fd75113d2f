import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipWithoutChromium } from '../../test/support/chromium.js';
import { sleep, testPage } from './support/browser-session.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { DataflyEvent } from '../src/types.js';

const isConsentUpdate = (event: DataflyEvent) => event.event === 'Consent Updated';

/** Cookiebot's cookie as Cookiebot writes it: URL-encoded JavaScript-object-like text. */
const cookiebotCookie = (marketing: boolean) =>
  encodeURIComponent(
    `{stamp:'9pTq2wKxLh==',necessary:true,preferences:false,statistics:true,` +
      `marketing:${marketing},method:'explicit',ver:1,utc:1733220000000,region:'gb'}`,
  );

/** A TCF v2 CMP stub: calls back at once, and again whenever the test changes the purposes. */
const TCF_STUB = `<script>
  window.tcfListeners = [];
  window.tcfData = {
    gdprApplies: true,
    eventStatus: 'tcloaded',
    purpose: { consents: { 1: true, 2: true, 3: false, 4: true, 7: true } },
  };
  window.__tcfapi = function (command, version, callback) {
    if (command !== 'addEventListener') return;
    window.tcfListeners.push(callback);
    callback(window.tcfData, true);
  };
  window.changeTcf = function (consents) {
    window.tcfData = {
      gdprApplies: true,
      eventStatus: 'useractioncomplete',
      purpose: { consents: consents },
    };
    window.tcfListeners.forEach(function (callback) { callback(window.tcfData, true); });
  };
</script>`;

/**
 * A page whose collector would hold events for a minute: only an explicit flush can send them
 * sooner. It comes from the ES module, the one build whose timer a page can set.
 */
const SLOW_TIMER_PAGE = testPage({
  attributes: '',
  head: `<script type="module">
    import { createDatafly } from '/datafly.esm.js';
    window.datafly = createDatafly({
      pipelineKey: 'dk_test', endpoint: location.origin, autoPage: false, flushInterval: 60000,
    });
  </script>`,
});

/** What OneTrust does when the visitor refuses C0004: rewrite its cookie, then tell the page. */
const ONETRUST_WITHDRAWAL = `
  document.cookie = 'OptanonConsent=groups=C0001%3A1%2CC0004%3A0; path=/';
  window.dispatchEvent(new CustomEvent('OneTrustGroupsUpdated', { detail: ['C0001'] }));`;

describe('datafly.js consent', { skip: skipWithoutChromium() }, () => {
  const { server, session } = useBrowserSuite({
    pages: {
      '/': testPage(),
      '/tcf': testPage({ head: TCF_STUB }),
      '/slow-timer': SLOW_TIMER_PAGE,
    },
  });

  it('reads the Cookiebot cookie, with the canonical view, and announces a decline', async () => {
    await session.context.addCookies([
      { name: 'CookieConsent', value: cookiebotCookie(true), url: server.origin },
    ]);
    await session.page.goto(`${server.origin}/`);
    const view = await server.waitForEvent((event) => event.type === 'page');

    await session.page.evaluate(() => window.dispatchEvent(new Event('CookiebotOnConsentReady')));
    await session.page.evaluate((value) => {
      document.cookie = `CookieConsent=${value}; path=/`;
      window.dispatchEvent(new Event('CookiebotOnDecline'));
    }, cookiebotCookie(false));
    const update = await server.waitForEvent(isConsentUpdate);
    await sleep(200);

    assert.deepEqual(view.context.consent, {
      categories: { necessary: true, preferences: false, statistics: true, marketing: true },
      canonical: { essential: true, functional: false, analytics: true, marketing: true },
      source: 'cookiebot',
    });
    assert.equal(update.type, 'track');
    assert.deepEqual(update.context.consent, {
      categories: { necessary: true, preferences: false, statistics: true, marketing: false },
      canonical: { essential: true, functional: false, analytics: true, marketing: false },
      source: 'cookiebot',
    });
    assert.equal(server.delivered().filter(isConsentUpdate).length, 1);
    assert.deepEqual(session.errors, []);
  });

  it('reads IAB TCF v2 purposes through __tcfapi and announces a change', async () => {
    await session.page.goto(`${server.origin}/tcf`);
    const view = await server.waitForEvent((event) => event.type === 'page');

    await session.page.evaluate(() => {
      (window as unknown as { changeTcf(c: object): void }).changeTcf({ 1: true, 2: false });
    });
    const update = await server.waitForEvent(isConsentUpdate);

    const purposes = (granted: number[]) =>
      Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => [`tcf:${i + 1}`, granted.includes(i + 1)]),
      );
    assert.deepEqual(view.context.consent, { categories: purposes([1, 2, 4, 7]), source: 'tcf' });
    assert.deepEqual(update.context.consent, { categories: purposes([1]), source: 'tcf' });
    assert.equal(server.delivered().filter(isConsentUpdate).length, 1);
    assert.deepEqual(session.errors, []);
  });

  it('announces a OneTrust withdrawal from the OneTrustGroupsUpdated event', async () => {
    await session.context.addCookies([
      {
        name: 'OptanonConsent',
        value: 'isGpcEnabled=0&groups=C0001%3A1%2CC0002%3A1%2CC0004%3A1',
        url: server.origin,
      },
    ]);
    await session.page.goto(`${server.origin}/`);
    await server.waitForEvent((event) => event.type === 'page');

    await session.page.evaluate(() => {
      window.dispatchEvent(
        new CustomEvent('OneTrustGroupsUpdated', { detail: ['C0001', 'C0002'] }),
      );
    });
    const update = await server.waitForEvent(isConsentUpdate);

    assert.deepEqual(update.context.consent, {
      categories: { C0001: true, C0002: true, C0004: false },
      source: 'onetrust',
    });
    assert.deepEqual(session.errors, []);
  });

  it('sends Consent Updated at once for datafly.consent; the choice survives reloads', async () => {
    await session.page.goto(`${server.origin}/`);
    await server.waitForEvent((event) => event.type === 'page');

    await session.call('consent', { marketing: false, analytics: true });
    await session.call('consent', { marketing: false, analytics: true });
    await session.call('track', 'Browsed');
    const update = await server.waitForEvent(isConsentUpdate);
    await session.page.reload();
    const nextView = await server.waitForEvents((event) => event.type === 'page', 2);

    const explicit = {
      categories: { marketing: false, analytics: true },
      canonical: { essential: true, marketing: false, analytics: true },
      source: 'datafly',
    };
    assert.equal(update.type, 'track');
    assert.deepEqual(update.context.consent, explicit);
    assert.equal(server.delivered().filter(isConsentUpdate).length, 1);
    assert.deepEqual(
      server.delivered().find((e) => e.event === 'Browsed')!.context.consent,
      explicit,
    );
    assert.deepEqual(nextView[1]!.context.consent, explicit);
    assert.deepEqual(session.errors, []);
  });

  const changes: [string, string][] = [
    ['datafly.consent', 'window.datafly.consent({ marketing: false });'],
    ['a OneTrust change', ONETRUST_WITHDRAWAL],
  ];
  for (const [source, change] of changes) {
    it(`sends Consent Updated from ${source} at once, with what waited before it`, async () => {
      await session.page.goto(`${server.origin}/slow-timer`);
      await session.page.waitForFunction(() => window.datafly !== undefined);

      await session.call('track', 'Browsed');
      await sleep(300);
      const sentBeforeChange = server.batches.length;
      await session.page.evaluate(change);
      const batch = await server.waitForBatch(() => true, 2000);

      assert.equal(sentBeforeChange, 0);
      assert.deepEqual(
        batch.body.batch.map((event) => event.event),
        ['Browsed', 'Consent Updated'],
      );
      assert.deepEqual(session.errors, []);
    });
  }
});
