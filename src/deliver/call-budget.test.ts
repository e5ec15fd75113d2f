import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallBudget } from './call-budget.js';

const T0 = 1_700_000_000_000;

function spent(perMinute: number, at: number[]): CallBudget {
  const budget = new CallBudget(perMinute);
  for (const now of at) budget.spend(now);
  return budget;
}

describe('CallBudget', () => {
  it('lets calls start at once while the minute has budget left', () => {
    const budget = spent(3, [T0, T0 + 10]);

    const wait = budget.waitMs(T0 + 20);
    const available = budget.available(T0 + 20);

    assert.equal(wait, 0);
    assert.equal(available, 1);
  });

  it('makes the next call wait until the oldest start leaves the 60-second window', () => {
    const budget = spent(3, [T0, T0 + 1_000, T0 + 2_000]);

    const wait = budget.waitMs(T0 + 5_000);
    const available = budget.available(T0 + 5_000);

    assert.equal(wait, 55_000);
    assert.equal(available, 0);
  });

  it('slides: a start exactly 60 seconds old no longer counts', () => {
    const budget = spent(2, [T0, T0 + 30_000]);

    const justBefore = budget.available(T0 + 59_999);
    const atTheEdge = budget.available(T0 + 60_000);
    const later = budget.available(T0 + 90_000);

    assert.equal(justBefore, 0);
    assert.equal(atTheEdge, 1);
    assert.equal(later, 2);
  });

  it('never limits when there is no budget', () => {
    const budget = new CallBudget(null);
    for (let i = 0; i < 1_000; i++) budget.spend(T0);

    const wait = budget.waitMs(T0);
    const available = budget.available(T0);

    assert.equal(wait, 0);
    assert.equal(available, Number.POSITIVE_INFINITY);
  });
});
