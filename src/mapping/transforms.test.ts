import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TransformRejected } from './transform-rejected.js';
import { applyTransform, mapValue, toBoolean } from './transforms.js';
import type { TransformSpec } from './types.js';

function problemOf(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    if (error instanceof TransformRejected) return error.problem;
    throw error;
  }
  return 'accepted';
}

describe('text transforms', () => {
  it('trim, lowercase and uppercase change strings', () => {
    const value = '  Jane.DOE@Example.com ';

    const results = (['trim', 'lowercase', 'uppercase'] as const).map((spec) =>
      applyTransform(spec, value),
    );

    assert.deepEqual(results, [
      'Jane.DOE@Example.com',
      '  jane.doe@example.com ',
      '  JANE.DOE@EXAMPLE.COM ',
    ]);
  });

  it('pass values that are not strings through unchanged', () => {
    const values: unknown[] = [42, true, false, { a: 'B' }];

    const results = values.map((value) =>
      applyTransform('uppercase', applyTransform('trim', value)),
    );

    assert.deepEqual(results, values);
  });
});

describe('boolean transform', () => {
  it('reads booleans, 1/0 and the accepted words in any case', () => {
    const truthy: unknown[] = [true, 1, 'true', 'YES', '1', 'granted', ' On '];
    const falsy: unknown[] = [false, 0, 'false', 'no', '0', 'Denied', 'off'];

    const results = [truthy.map(toBoolean), falsy.map(toBoolean)];

    assert.deepEqual(results, [Array(7).fill(true), Array(7).fill(false)]);
  });

  it('rejects anything else rather than guessing', () => {
    const inputs: unknown[] = ['maybe', 'y', 2, -1, '', [], {}];

    const problems = inputs.map((input) => problemOf(() => toBoolean(input)));

    assert.deepEqual(problems, Array(7).fill('is not a recognised true/false value'));
  });
});

describe('value_map transform', () => {
  const map = { gold: 'G', '3': 'three', true: 'yes', constructor: 'C' };

  it('looks values up by their string form', () => {
    const inputs: unknown[] = ['gold', 3, true, 'constructor'];

    const results = inputs.map((input) => mapValue(input, map));

    assert.deepEqual(results, ['G', 'three', 'yes', 'C']);
  });

  it('matches strings exactly, without trimming or case folding', () => {
    const input = 'Gold';

    const problem = problemOf(() => mapValue(input, map));

    assert.equal(problem, 'has no entry in the value map and the map has no default');
  });

  it('uses the default for an unmapped value, even a null or false default', () => {
    const spec = (fallback: unknown): TransformSpec => ({
      name: 'value_map',
      map,
      default: fallback,
    });

    const results = [
      applyTransform(spec('other'), 'silver'),
      applyTransform(spec(null), 'silver'),
      applyTransform(spec(false), 'silver'),
    ];

    assert.deepEqual(results, ['other', null, false]);
  });

  it('does not find Object.prototype members for unmapped names', () => {
    const input = 'toString';

    const problem = problemOf(() => mapValue(input, {}));

    assert.equal(problem, 'has no entry in the value map and the map has no default');
  });

  it('rejects values that are not single scalars', () => {
    const inputs: unknown[] = [{ tier: 'gold' }, ['gold']];

    const problems = inputs.map((input) => problemOf(() => mapValue(input, map, { default: 'x' })));

    assert.deepEqual(problems, Array(2).fill('is not a single value the value map can look up'));
  });
});

describe('transforms with options', () => {
  it('dispatches e164, language and date_format with their options', () => {
    const specs: [TransformSpec, unknown][] = [
      [{ name: 'e164', defaultRegion: 'BE' }, '0470 12 34 56'],
      [{ name: 'language', case: 'upper' }, 'nl_BE'],
      [{ name: 'date_format', format: 'date' }, '2024-03-05T10:00:00Z'],
    ];

    const results = specs.map(([spec, value]) => applyTransform(spec, value));

    assert.deepEqual(results, ['+32470123456', 'NL', '2024-03-05']);
  });
});
