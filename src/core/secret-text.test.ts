import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { scrubSecrets } from './secret-text.js';

describe('scrubSecrets', () => {
  it('masks a secret of any length, even a two-character one', () => {
    const scrubbed = scrubSecrets('{"error":"unknown key k9 for k9"}', ['k9']);

    assert.equal(scrubbed, '{"error":"unknown key **** for ****"}');
  });

  it('masks the longer secret first when one secret contains another', () => {
    const scrubbed = scrubSecrets('token abc-TOKEN-xyz, key TOKEN', ['TOKEN', 'abc-TOKEN-xyz']);

    assert.equal(scrubbed, 'token ****, key ****');
  });

  it('ignores an empty secret instead of masking between every character', () => {
    const scrubbed = scrubSecrets('plain text', ['']);

    assert.equal(scrubbed, 'plain text');
  });
});
