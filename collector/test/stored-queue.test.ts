/**
 * The unsent events mirrored in localStorage stay within their documented bounds (100 events,
 * about 100 KB), keep the newest when they overflow, and are what the next page load sends.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipWithoutChromium } from '../../test/support/chromium.js';
import { eventually } from '../../test/support/eventually.js';
import type { DataflyEvent } from '../src/types.js';
import { sleep, testPage } from './support/browser-session.js';
import { useBrowserSuite } from './support/browser-suite.js';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** `Stored #7`, `page`: what an event is, at a glance. */
const label = (event: DataflyEvent) =>
  event.event ? `${event.event} #${String(event.properties.i)}` : event.type;

describe('datafly.js stored queue', { skip: skipWithoutChromium() }, () => {
  const { server, session } = useBrowserSuite({
    pages: { '/': testPage() },
    serverFailsOnPurpose: true,
  });

  /** Tracks `Stored` events numbered 0 to count - 1, each carrying `padding` characters. */
  const trackMany = (count: number, padding = 0) =>
    session.page.evaluate(
      ({ n, size }) => {
        const datafly = window.datafly as import('../src/types.js').Datafly;
        for (let i = 0; i < n; i++) datafly.track('Stored', { i, padding: 'x'.repeat(size) });
      },
      { n: count, size: padding },
    );

  /**
   * Events the page itself delivered. The unload beacons are left out: the browser may send them
   * late, after the server has recovered, and they carry stored events the next load resends.
   */
  const resentByPage = () =>
    server.batches.filter((b) => b.status === 200 && !b.beacon).flatMap((b) => b.body.batch);

  const storedText = () => session.page.evaluate(() => localStorage.getItem('datafly:queue') ?? '');

  it('keeps the newest 100 unsent events, across a reload, and sends exactly those', async () => {
    server.fail(503);
    await session.page.goto(`${server.origin}/`);
    await trackMany(150);
    await server.waitForBatch((b) => b.status === 503);
    const storedBefore = JSON.parse(await storedText()) as DataflyEvent[];

    // The reload's own page view is the 101st event: the oldest stored one gives way to it.
    const beforeReload = server.batches.length;
    await session.page.reload();
    await server.waitForBatch(
      (b) => server.batches.indexOf(b) >= beforeReload && !b.beacon && b.status === 503,
    );
    server.fail(undefined);
    await eventually(() => (resentByPage().length >= 100 ? true : undefined), '100 events', 8000);
    await sleep(300);

    assert.deepEqual(
      storedBefore.map(label),
      range(50, 150).map((i) => `Stored #${i}`),
    );
    assert.deepEqual(resentByPage().map(label), [
      ...range(51, 150).map((i) => `Stored #${i}`),
      'page',
    ]);
    assert.deepEqual(session.errors, []);
  });

  it('keeps the stored events under 100,000 characters, dropping the oldest', async () => {
    server.fail(503);
    await session.page.goto(`${server.origin}/`);

    await trackMany(40, 4000);
    const text = await storedText();

    const numbers = (JSON.parse(text) as DataflyEvent[]).map((event) => event.properties.i);
    assert.ok(text.length <= 100_000, `${text.length} characters stored`);
    assert.ok(numbers.length >= 10 && numbers.length < 40, `${numbers.length} events stored`);
    assert.deepEqual(numbers, range(40 - numbers.length, 40));
    assert.deepEqual(session.errors, []);
  });
});
