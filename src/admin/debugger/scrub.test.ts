import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrubHeaders, scrubValue } from './scrub.js';

describe('scrubHeaders', () => {
  it('masks credential headers whatever their case, keeping the scheme', () => {
    const headers = {
      Authorization: 'Bearer abc.def',
      cookie: 'a=b',
      'X-Api-Key': 'k',
      'Content-Type': 'application/json',
    };

    const scrubbed = scrubHeaders(headers);

    assert.deepEqual(scrubbed, {
      Authorization: 'Bearer ****',
      cookie: '****',
      'X-Api-Key': '****',
      'Content-Type': 'application/json',
    });
  });
});

describe('scrubValue', () => {
  it('masks headers at any depth and every known secret in any string', () => {
    const trace = {
      detail: {
        exchanges: [
          {
            request: { headers: { authorization: 'ak_live_SECRET123' }, body: '{}' },
            response: { status: 401, body: 'key ak_live_SECRET123 refused' },
          },
        ],
        event: { properties: { note: 'pasted ak_live_SECRET123' } },
      },
    };

    const text = JSON.stringify(scrubValue(trace, ['ak_live_SECRET123']));

    assert.ok(!text.includes('ak_live_SECRET123'));
    assert.ok(text.includes('"authorization":"****"'));
    assert.ok(text.includes('key **** refused'));
  });

  it('copies instead of changing the original', () => {
    const original = { headers: { cookie: 'a=b' } };

    scrubValue(original, []);

    assert.equal(original.headers.cookie, 'a=b');
  });

  it('keeps a __proto__ key of event data as an ordinary member', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as object;

    const copy = scrubValue(value, []) as Record<string, unknown>;

    assert.deepEqual(Object.keys(copy), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
