import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseOneTrust } from './onetrust.js';

it('reads the groups of an OptanonConsent cookie verbatim', () => {
  const cookie =
    'isGpcEnabled=0&datestamp=Tue+Dec+03+2024+10%3A00%3A00+GMT%2B0000' +
    '&groups=C0001%3A1%2CC0002%3A0%2CC0004%3A1&hosts=';

  assert.deepEqual(parseOneTrust(cookie), {
    categories: { C0001: true, C0002: false, C0004: true },
    source: 'onetrust',
  });
});

it('reads no consent from a cookie without groups', () => {
  assert.equal(parseOneTrust('isGpcEnabled=0&groups='), undefined);
  assert.equal(parseOneTrust(undefined), undefined);
});
