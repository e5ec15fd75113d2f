#!/usr/bin/env node
// Writes the management UI to dist/ui/ (index.html and content-hashed, minified assets). The
// build itself lives in ui/build.ts, shared with the browser tests; tsx loads it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { buildUi } = await import('../ui/build.ts');

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'ui');
const { assets } = await buildUi(outDir);

for (const [file, bytes] of assets) console.log(`dist/ui/assets/${file}: ${bytes} bytes`);
console.log('dist/ui/index.html');
