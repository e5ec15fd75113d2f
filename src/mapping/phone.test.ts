import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { toE164 } from './phone.js';
import { TransformRejected } from './transform-rejected.js';

function problemOf(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    if (error instanceof TransformRejected) return error.problem;
    throw error;
  }
  return 'accepted';
}

describe('e164 transform', () => {
  it('keeps a number that is possible even though libphonenumber calls it invalid', () => {
    const seedNumber = '+44 7700 900123';

    const result = toE164(seedNumber);

    assert.equal(result, '+447700900123');
  });

  it('normalises an international number', () => {
    const belgianMobile = '+32 470 12 34 56';

    const result = toE164(belgianMobile);

    assert.equal(result, '+32470123456');
  });

  it('reads a national number in the default region', () => {
    const national = '0470 12 34 56';

    const result = toE164(national, 'BE');

    assert.equal(result, '+32470123456');
  });

  it('keeps the country of an international number over the default region', () => {
    const international = '+44 7700 900123';

    const result = toE164(international, 'BE');

    assert.equal(result, '+447700900123');
  });

  it('accepts a number given as a JSON number', () => {
    const national = 470123456;

    const result = toE164(national, 'BE');

    assert.equal(result, '+32470123456');
  });

  it('rejects text that is not a phone number and numbers too short for their country', () => {
    const inputs = ['abc', '+44 12', '+32 470', '12'];

    const problems = inputs.map((input) => problemOf(() => toE164(input, 'BE')));

    assert.deepEqual(problems, Array(4).fill('is not a possible phone number'));
  });

  it('says a national number needs a default region when none is set', () => {
    const national = '0470 12 34 56';

    const problem = problemOf(() => toE164(national));

    assert.equal(problem, 'has no country code and the e164 transform has no defaultRegion');
  });

  it('rejects values that are neither text nor numbers', () => {
    const inputs = [true, { number: '+32470123456' }];

    const problems = inputs.map((input) => problemOf(() => toE164(input)));

    assert.deepEqual(problems, [
      'is not a possible phone number',
      'is not a possible phone number',
    ]);
  });
});
