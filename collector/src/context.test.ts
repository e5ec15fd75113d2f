import assert from 'node:assert/strict';
import { it } from 'node:test';
import { campaign } from './context.js';

it('names campaign fields after the utm parameters, with utm_campaign as name', () => {
  const search =
    '?utm_source=news&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=a%20b&q=1';

  assert.deepEqual(campaign(search), {
    source: 'news',
    medium: 'email',
    name: 'spring',
    term: 'shoes',
    content: 'a b',
  });
});

it('leaves the campaign out when the page has no utm parameter', () => {
  assert.equal(campaign('?q=1'), undefined);
  assert.equal(campaign(''), undefined);
});
