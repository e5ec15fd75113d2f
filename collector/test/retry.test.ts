/**
 * Which answers the collector retries on the same page (network errors, 5xx, 429), which it
 * drops (any other 4xx), and how long it waits between attempts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipWithoutChromium } from '../../test/support/chromium.js';
import { testPage } from './support/browser-session.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { Failure } from './support/recording-server.js';

describe('datafly.js retries', { skip: skipWithoutChromium() }, () => {
  const { server, session } = useBrowserSuite({
    pages: { '/': testPage() },
    serverFailsOnPurpose: true,
  });

  for (const status of [503, 429] as Failure[]) {
    it(`retries a batch answered ${status} on the same page, keeping the messageId`, async () => {
      server.fail(status);
      await session.page.goto(`${server.origin}/`);
      const failed = await server.waitForBatch((b) => b.status === status);

      server.fail(undefined);
      const delivered = await server.waitForEvent((event) => event.type === 'page', 5000);

      assert.equal(delivered.messageId, failed.body.batch[0]!.messageId);
      assert.deepEqual(session.errors, []);
    });
  }

  it('drops a batch answered 400, which can never succeed', async () => {
    server.fail(400);
    await session.page.goto(`${server.origin}/`);
    const rejected = await server.waitForBatch((b) => b.status === 400);

    server.fail(undefined);
    await session.call('track', 'After Rejection');
    await server.waitForEvent((event) => event.event === 'After Rejection');
    await session.page.reload();
    await server.waitForEvents((event) => event.type === 'page', 1);

    const rejectedId = rejected.body.batch[0]!.messageId;
    const attempts = server.batches.filter((b) =>
      b.body.batch.some((event) => event.messageId === rejectedId),
    );
    assert.equal(attempts.length, 1);
    assert.deepEqual(session.errors, []);
  });

  it('waits 1–2 s before the first retry and 2–4 s before the second', async () => {
    server.fail(503);
    await session.page.goto(`${server.origin}/`);
    await server.waitForBatch(() => server.batches.length >= 3, 10_000);

    const [first, second, third] = server.batches;
    const waits = [second!.receivedAt - first!.receivedAt, third!.receivedAt - second!.receivedAt];
    // The lower bounds are exact, as a timer never fires early, and a backoff that did not grow
    // would retry within 2 s again; the upper bounds leave room for a busy machine.
    assert.ok(waits[0]! >= 1000 && waits[0]! <= 3000, `first retry after ${waits[0]} ms`);
    assert.ok(waits[1]! >= 2000 && waits[1]! <= 5000, `second retry after ${waits[1]} ms`);
    assert.deepEqual(
      [second!, third!].map((b) => b.body.batch[0]!.messageId),
      [first!.body.batch[0]!.messageId, first!.body.batch[0]!.messageId],
    );
    assert.deepEqual(session.errors, []);
  });
});
