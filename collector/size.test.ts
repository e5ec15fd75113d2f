import assert from 'node:assert/strict';
import { it } from 'node:test';
import { GZIP_BUDGET_BYTES, measureCollectorSize } from './measure-size.js';

it('keeps the minified datafly.js within 3,072 bytes gzipped', async (t) => {
  const { minifiedBytes, gzippedBytes } = await measureCollectorSize();

  t.diagnostic(`datafly.js: ${minifiedBytes} bytes minified, ${gzippedBytes} bytes gzipped`);
  assert.ok(
    gzippedBytes <= GZIP_BUDGET_BYTES,
    `${gzippedBytes} bytes gzipped is over the ${GZIP_BUDGET_BYTES}-byte budget`,
  );
});
