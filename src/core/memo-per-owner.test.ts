import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoPerObject, memoPerOwner } from './memo-per-owner.js';

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

describe('memoPerObject', () => {
  it('makes a value once per object', () => {
    const made: string[] = [];
    const label = memoPerObject((owner: { name: string }) => {
      made.push(owner.name);
      return { text: owner.name };
    });
    const a = { name: 'a' };
    const b = { name: 'a' };

    const first = label(a);
    assert.equal(label(a), first, 'the same value, not an equal one');
    assert.notEqual(label(b), first, 'an equal object is another owner');

    assert.deepEqual(made, ['a', 'a']);
  });
});
