import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GroupCommit } from './group-commit.js';

/** A flush that records each batch it was given and fails on a batch holding `bad`. */
function recordingFlush() {
  const batches: string[][] = [];

  const flush = (items: string[]): void => {
    batches.push(items);
    if (items.includes('bad')) throw new Error('disk full');
  };

  return { flush, batches };
}

describe('GroupCommit', () => {
  it('carries the items of concurrent writes in one flush, in the order written', async () => {
    const { flush, batches } = recordingFlush();
    const group = new GroupCommit(flush);

    await Promise.all([group.write(['a']), group.write(['b', 'c']), group.write(['d'])]);

    assert.deepEqual(batches, [['a', 'b', 'c', 'd']]);
  });

  it('gives a write issued after the previous flush settled a flush of its own', async () => {
    const { flush, batches } = recordingFlush();
    const group = new GroupCommit(flush);

    await group.write(['a']);
    await group.write(['b']);

    assert.deepEqual(batches, [['a'], ['b']]);
  });

  it('resolves a write only once the flush carrying it has finished', async () => {
    let finish = (): void => {};
    const group = new GroupCommit<string>(() => new Promise<void>((resolve) => (finish = resolve)));
    let settled = false;

    const write = group.write(['a']).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    const settledBeforeFinish = settled;
    finish();
    await write;

    assert.equal(settledBeforeFinish, false);
    assert.equal(settled, true);
  });

  it('rejects every waiter of a failed flush with its error', async () => {
    const { flush } = recordingFlush();
    const group = new GroupCommit(flush);

    const results = await Promise.allSettled([group.write(['a']), group.write(['bad'])]);

    assert.deepEqual(
      results.map((result) => result.status),
      ['rejected', 'rejected'],
    );
    for (const result of results) {
      assert.equal(result.status === 'rejected' && (result.reason as Error).message, 'disk full');
    }
  });

  it('rejects only the waiters of the failed flush', async () => {
    const { flush, batches } = recordingFlush();
    const group = new GroupCommit(flush);

    const failed = group.write(['bad']);
    await assert.rejects(failed, /disk full/);
    const later = group.write(['c']);

    await assert.doesNotReject(later);
    assert.deepEqual(batches, [['bad'], ['c']]);
  });
});
