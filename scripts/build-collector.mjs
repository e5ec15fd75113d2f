#!/usr/bin/env node
// Writes dist/collector/datafly.js (minified IIFE, installs window.datafly) and
// dist/collector/datafly.esm.js (ES module exporting createDatafly), then prints the gzipped
// size. The build itself lives in collector/build.ts, shared with the tests; tsx loads it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { register } from 'tsx/esm/api';

register();
const { buildCollector } = await import('../collector/build.ts');

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'collector');
const { script, module } = await buildCollector();

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'datafly.js'), script);
writeFileSync(join(outDir, 'datafly.esm.js'), module);

const gzipped = gzipSync(script).length;
console.log(
  `dist/collector/datafly.js: ${Buffer.byteLength(script)} bytes minified, ${gzipped} bytes gzipped`,
);
console.log(`dist/collector/datafly.esm.js: ${Buffer.byteLength(module)} bytes`);
