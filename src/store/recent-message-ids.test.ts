import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentMessageIds } from './recent-message-ids.js';

describe('RecentMessageIds', () => {
  it('knows the ids it was given, per pipeline', () => {
    const recent = new RecentMessageIds(10);
    recent.add('web', 'm1');

    assert.equal(recent.has('web', 'm1'), true);
    assert.equal(recent.has('web', 'm2'), false);
    assert.equal(recent.has('app', 'm1'), false, 'the same id on another pipeline is not seen');
    assert.equal(recent.has('webm', '1'), false, 'pipeline and id do not run into each other');
  });

  it('lets the oldest id go when full, and keeps an id added again in its place', () => {
    const recent = new RecentMessageIds(3);
    for (const id of ['a', 'b', 'c', 'a']) recent.add('web', id);
    recent.add('web', 'd');

    assert.equal(recent.count, 3);
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((id) => recent.has('web', id)),
      [false, true, true, true],
    );
  });

  it('answers as an exact set of the latest ids through many evictions', () => {
    const capacity = 1_000;
    const recent = new RecentMessageIds(capacity);
    const order: string[] = [];
    const model = new Set<string>();
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 48271) >>> 0) % 2_147_483_647) / 2_147_483_647;

    for (let step = 0; step < 50_000; step++) {
      // Draws from 3,000 ids, so that adds of known ids and evictions both happen often.
      const id = `m${Math.floor(random() * 3_000)}`;
      if (random() < 0.6) {
        recent.add('web', id);
        if (!model.has(id)) {
          model.add(id);
          order.push(id);
          if (order.length > capacity) model.delete(order.shift()!);
        }
      } else {
        assert.equal(recent.has('web', id), model.has(id), `step ${step}: ${id}`);
      }
    }
    assert.equal(recent.count, model.size);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new RecentMessageIds(0), RangeError);
    assert.throws(() => new RecentMessageIds(1.5), RangeError);
  });
});
