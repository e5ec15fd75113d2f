import assert from 'node:assert/strict';
import { it } from 'node:test';
import { skipWithoutChromium } from '../../test/support/chromium.js';

it('skips browser tests with a plain message when Chromium is missing outside CI', () => {
  const skip = skipWithoutChromium('/usr/bin/chromium-missing', {});

  assert.equal(
    skip,
    'chromium not found at /usr/bin/chromium-missing: browser tests skipped (apt-get install chromium)',
  );
});

it('runs browser tests in CI even when Chromium is missing, so that they fail', () => {
  assert.equal(skipWithoutChromium('/usr/bin/chromium-missing', { CI: 'true' }), false);
});
