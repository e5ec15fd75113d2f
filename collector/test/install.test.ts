import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipWithoutChromium } from '../../test/support/chromium.js';
import { eventually } from '../../test/support/eventually.js';
import { renderSnippet } from '../src/snippet.js';
import { VERSION } from '../src/version.js';
import { sleep, testPage } from './support/browser-session.js';
import { useBrowserSuite } from './support/browser-suite.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('datafly.js installed on a page', { skip: skipWithoutChromium() }, () => {
  const { server, session } = useBrowserSuite({ pages: { '/': testPage() } });

  it('sends an automatic page view with every context field from a script tag', async () => {
    server.page('/landing', testPage({ title: 'Landing' }));
    const url = `${server.origin}/landing?utm_source=news&utm_medium=email&utm_campaign=spring&x=1`;

    await session.page.goto(url, { referer: 'https://search.example/' });
    const view = await server.waitForEvent((event) => event.type === 'page');

    const batch = server.batches[0]!;
    assert.equal(batch.body.writeKey, 'dk_test');
    assert.ok(!Number.isNaN(Date.parse(batch.body.sentAt)));
    assert.equal(batch.headers['content-type'], 'text/plain;charset=UTF-8');
    assert.equal(batch.beacon, false);
    assert.deepEqual(view.properties, {});
    assert.equal(view.userId, undefined);
    assert.equal('anonymousId' in view, false);
    assert.match(view.messageId, UUID);
    assert.ok(Math.abs(Date.parse(view.timestamp) - Date.now()) < 10_000);
    assert.deepEqual(view.context, {
      page: {
        url,
        path: '/landing',
        referrer: 'https://search.example/',
        title: 'Landing',
        search: '?utm_source=news&utm_medium=email&utm_campaign=spring&x=1',
      },
      locale: 'en',
      userAgent: await session.page.evaluate(() => navigator.userAgent),
      timezone: await session.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone),
      library: { name: 'datafly.js', version: VERSION },
      campaign: { source: 'news', medium: 'email', name: 'spring' },
    });
    assert.deepEqual(session.errors, []);
  });

  it('replays in order the calls the inline snippet queued before the script loaded', async () => {
    const snippet = renderSnippet({
      scriptUrl: `${server.origin}/datafly.js`,
      pipelineKey: 'dk_snippet',
    });
    server.page(
      '/snippet',
      testPage({
        attributes: '',
        head: `<script>${snippet}
          datafly.identify('user-1', { email: 'a@example.com' });
          datafly.track('First', { n: 1 });
          datafly.group('acme', { plan: 'pro' });
          datafly.track('Second', { n: 2 });
        </script>`,
      }),
    );

    await session.page.goto(`${server.origin}/snippet`);
    await server.waitForEvent((event) => event.type === 'page');

    const events = server.delivered();
    assert.deepEqual(
      events.map((event) => [event.type, event.event ?? event.groupId ?? null, event.userId]),
      [
        ['identify', null, 'user-1'],
        ['track', 'First', 'user-1'],
        ['group', 'acme', 'user-1'],
        ['track', 'Second', 'user-1'],
        ['page', null, 'user-1'],
      ],
    );
    assert.deepEqual(events[1]!.properties, { n: 1 });
    assert.deepEqual(events[2]!.traits, { plan: 'pro' });
    assert.equal(server.batches[0]!.body.writeKey, 'dk_snippet');
    assert.deepEqual(session.errors, []);
  });

  it('sends page views for client-side navigations, not fragment or same-URL changes', async () => {
    await session.page.goto(`${server.origin}/`);
    await server.waitForEvent((event) => event.type === 'page');

    await session.page.evaluate(() => {
      history.pushState({}, '', '/products?id=7');
      document.title = 'Products';
    });
    await session.page.evaluate(() => history.replaceState({ tab: 2 }, '', '/products?id=7'));
    await session.page.evaluate(() => history.pushState({}, '', '/products?id=7#reviews'));
    await session.page.evaluate(() => history.go(-2));
    await server.waitForEvents((event) => event.type === 'page', 3);
    await sleep(300);

    const pages = server.delivered().filter((event) => event.type === 'page');
    assert.deepEqual(
      pages.map((event) => event.context.page),
      [
        { url: `${server.origin}/`, path: '/', referrer: '', title: 'Test page', search: '' },
        {
          url: `${server.origin}/products?id=7`,
          path: '/products',
          referrer: `${server.origin}/`,
          title: 'Products',
          search: '?id=7',
        },
        {
          url: `${server.origin}/`,
          path: '/',
          // The referrer is the last page viewed; the fragment change made no page view.
          referrer: `${server.origin}/products?id=7`,
          title: 'Products',
          search: '',
        },
      ],
    );
    assert.deepEqual(session.errors, []);
  });

  it('sends no automatic page view when the script tag says data-auto-page="false"', async () => {
    server.page(
      '/quiet',
      testPage({ attributes: 'data-pipeline-key="dk_test" data-auto-page="false"' }),
    );

    await session.page.goto(`${server.origin}/quiet`);
    await session.page.evaluate(() => history.pushState({}, '', '/quiet/next'));
    await session.call('track', 'Only This');
    await server.waitForEvent((event) => event.event === 'Only This');

    assert.deepEqual(
      server.delivered().map((event) => event.type),
      ['track'],
    );
    assert.deepEqual(session.errors, []);
  });

  it('keeps every failure away from the page when storage and the CMP misbehave', async () => {
    await session.context.addCookies([
      { name: 'CookieConsent', value: '%E0%A4%A', url: server.origin },
    ]);
    await session.page.addInitScript(() => {
      window.__tcfapi = () => {
        throw new Error('broken CMP');
      };
      Storage.prototype.setItem = () => {
        throw new DOMException('quota', 'QuotaExceededError');
      };
    });
    await session.page.goto(`${server.origin}/`);

    await session.call('identify', 'user-5', { email: 'five@example.com' });
    await session.call('track', 'Still Works');
    await session.call('consent', null as unknown as Record<string, boolean>);
    await session.call('track', undefined as unknown as string);
    const tracked = await server.waitForEvent((event) => event.event === 'Still Works');

    assert.equal(tracked.userId, 'user-5');
    assert.equal(tracked.context.consent, undefined);
    assert.deepEqual(session.errors, []);
  });

  it('lets a bundling site create the collector from the ES module build', async () => {
    server.page(
      '/esm',
      testPage({
        attributes: '',
        head: `<script type="module">
          import { createDatafly } from '/datafly.esm.js';
          const datafly = createDatafly({ pipelineKey: 'dk_esm', endpoint: location.origin + '/' });
          datafly.track('From Module', { bundled: true });
        </script>`,
      }),
    );

    await session.page.goto(`${server.origin}/esm`);
    // Only the module's own batches: the previous test's page may still send its last one.
    const fromModule = () =>
      server.batches
        .filter((batch) => batch.status === 200 && batch.body.writeKey === 'dk_esm')
        .flatMap((batch) => batch.body.batch);
    await eventually(
      () => (fromModule().length >= 2 ? true : undefined),
      'both events of the ES module build',
    );

    assert.deepEqual(
      fromModule().map((event) => [event.type, event.event, event.properties]),
      [
        ['track', 'From Module', { bundled: true }],
        ['page', undefined, {}],
      ],
    );
    assert.equal(await session.page.evaluate(() => 'datafly' in window), false);
    assert.deepEqual(session.errors, []);
  });
});
