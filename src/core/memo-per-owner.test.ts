import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoPerOwner } from './memo-per-owner.js';

describe('memoPerOwner', () => {
  it('makes a value once per owner and key', () => {
    const made: string[] = [];
    const label = memoPerOwner((owner: { name: string }, key) => {
      made.push(`${owner.name}/${key}`);
      return { text: `${owner.name}/${key}` };
    });
    const a = { name: 'a' };
    const b = { name: 'b' };

    const first = label(a, 'x');
    assert.equal(label(a, 'x'), first, 'the same value, not an equal one');
    label(a, 'y');
    label(b, 'x');

    assert.deepEqual(made, ['a/x', 'a/y', 'b/x']);
  });
});
