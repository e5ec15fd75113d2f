import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipWithoutChromium } from '../../test/support/chromium.js';
import { sleep, testPage } from './support/browser-session.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { Failure } from './support/recording-server.js';

describe('datafly.js delivery', { skip: skipWithoutChromium() }, () => {
  const { server, session } = useBrowserSuite({
    pages: { '/': testPage(), '/other': testPage({ attributes: '' }) },
    serverFailsOnPurpose: true,
  });

  it('hands waiting events to sendBeacon when the page becomes hidden', async () => {
    await session.page.goto(`${server.origin}/`);
    await server.waitForEvent((event) => event.type === 'page');

    await session.call('track', 'Tab Hidden');
    await session.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    const batch = await server.waitForBatch((b) => b.body.batch[0]?.event === 'Tab Hidden', 500);

    assert.equal(batch.beacon, true);
    assert.equal(batch.body.writeKey, 'dk_test');
    assert.deepEqual(session.errors, []);
  });

  it('hands waiting events to sendBeacon when the visitor navigates away', async () => {
    await session.page.goto(`${server.origin}/`);
    await server.waitForEvent((event) => event.type === 'page');

    await session.call('track', 'Link Clicked', { href: '/other' });
    await session.page.click('#away');
    const batch = await server.waitForBatch((b) => b.body.batch[0]?.event === 'Link Clicked');
    await sleep(200);

    assert.equal(batch.beacon, true);
    assert.deepEqual(batch.body.batch[0]!.properties, { href: '/other' });
    assert.equal(
      server.batches.filter((b) => b.body.batch.some((event) => event.event === 'Link Clicked'))
        .length,
      1,
    );
    assert.deepEqual(session.errors, []);
  });

  for (const failure of [503, 'abort'] as Failure[]) {
    it(`resends the same messageIds on the next load after a failure (${failure})`, async () => {
      server.fail(failure);
      await session.page.goto(`${server.origin}/`);
      const failed = await server.waitForBatch((b) => b.status !== 200);
      const lost = failed.body.batch.map((event) => event.messageId);

      server.fail(undefined);
      await session.page.reload();
      await server.waitForEvents((event) => event.type === 'page', 2);

      // The next page load itself, not only the unload beacon, must carry the stored events.
      const resent = server.batches
        .filter((b) => b.status === 200 && !b.beacon)
        .flatMap((b) => b.body.batch.map((event) => event.messageId));
      for (const id of lost) assert.ok(resent.includes(id), `messageId ${id} was not resent`);
      const pageViews = server.delivered().filter((event) => event.type === 'page');
      assert.equal(new Set(pageViews.map((event) => event.messageId)).size, 2);
      assert.deepEqual(session.errors, []);
    });
  }

  it('sends ten waiting events at once without waiting for the timer', async () => {
    await session.page.goto(`${server.origin}/`);
    await server.waitForEvent((event) => event.type === 'page');
    server.batches.length = 0;

    await session.page.evaluate(() => {
      const datafly = window.datafly as import('../src/types.js').Datafly;
      for (let i = 0; i < 25; i++) datafly.track('Burst', { i });
    });
    const burst = await server.waitForEvents((event) => event.event === 'Burst', 25, 3000);

    assert.deepEqual(
      burst.map((event) => event.properties.i),
      Array.from({ length: 25 }, (_, i) => i),
    );
    assert.deepEqual(
      server.batches.map((b) => b.body.batch.length),
      [10, 10, 5],
    );
    assert.deepEqual(session.errors, []);
  });

  it('sends fewer than ten waiting events together when the 1 s timer fires', async () => {
    await session.page.goto(`${server.origin}/`);
    await server.waitForEvent((event) => event.type === 'page');
    server.batches.length = 0;

    const queuedAt = Date.now();
    await session.page.evaluate(() => {
      const datafly = window.datafly as import('../src/types.js').Datafly;
      for (const name of ['One', 'Two', 'Three']) datafly.track(name);
    });
    await sleep(500);
    const sentEarly = server.batches.length;
    const batch = await server.waitForBatch(() => true, 3000);
    await sleep(200);

    assert.equal(sentEarly, 0);
    assert.deepEqual(
      batch.body.batch.map((event) => event.event),
      ['One', 'Two', 'Three'],
    );
    assert.ok(batch.receivedAt - queuedAt >= 950, `sent after ${batch.receivedAt - queuedAt} ms`);
    assert.equal(server.batches.length, 1);
    assert.deepEqual(session.errors, []);
  });
});
