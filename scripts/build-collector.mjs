#!/usr/bin/env node
// Assembles the collector's npm package in dist/collector: datafly.js (minified IIFE, installs
// window.datafly), datafly.esm.js (ES module exporting createDatafly), its declarations under
// types/, package.json and README.md; then prints the sizes. The work lives in
// collector/write-package.ts, shared with the tests; tsx loads it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { register } from 'tsx/esm/api';

register();
const { writeCollectorPackage } = await import('../collector/write-package.ts');

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'collector');
const { script, module } = await writeCollectorPackage(outDir);

const gzipped = gzipSync(script).length;
console.log(
  `dist/collector/datafly.js: ${Buffer.byteLength(script)} bytes minified, ${gzipped} bytes gzipped`,
);
console.log(`dist/collector/datafly.esm.js: ${Buffer.byteLength(module)} bytes`);
