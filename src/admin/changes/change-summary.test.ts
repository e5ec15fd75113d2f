import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summariseChanges } from './change-summary.js';

describe('summariseChanges', () => {
  it('lists changed leaves by path, with their old and new values', () => {
    const before = { name: 'A', mappings: { global: [{ target: 'marketingConsent' }] } };
    const after = { name: 'A', mappings: { global: [{ target: 'optin_marketing' }] } };

    const changes = summariseChanges(before, after);

    assert.deepEqual(changes, [
      {
        field: 'mappings.global[0].target',
        change: 'changed',
        from: 'marketingConsent',
        to: 'optin_marketing',
      },
    ]);
  });

  it('says a secret changed without either value', () => {
    const changes = summariseChanges(
      { config: { api_key: 'old-secret' } },
      { config: { api_key: 'new-secret' } },
      { secrets: new Set(['config.api_key']) },
    );

    assert.deepEqual(changes, [{ field: 'config.api_key', change: 'changed' }]);
  });

  it('tells added from removed fields', () => {
    const changes = summariseChanges({ a: 1 }, { b: 2 });

    assert.deepEqual(changes, [
      { field: 'a', change: 'removed', from: 1 },
      { field: 'b', change: 'added', to: 2 },
    ]);
  });

  it('keeps at most 100 changes and counts the rest', () => {
    const after = Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`f${i}`, i]));

    const changes = summariseChanges({}, after);

    assert.equal(changes.length, 101);
    assert.equal(changes[100]!.field, '(30 more)');
  });
});
