#!/usr/bin/env node
// Runs every *.test.ts file under src/, collector/ and test/ with Node's own test runner,
// compiling TypeScript on the fly through tsx. Extra arguments narrow the run to files whose
// path contains one of them: `npm test -- sandbox mapping`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['src', 'collector', 'test'];
const filters = process.argv.slice(2);

function findTests(dir) {
  let found = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (entry.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const files = roots
  .flatMap(findTests)
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}

// The browser tests load the built collector and UI; building them takes a second with esbuild.
for (const script of ['scripts/build-collector.mjs', 'scripts/build-ui.mjs']) {
  const build = spawnSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Browser and end-to-end tests start servers and Chromium; two at a time suit a 2-core machine.
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-force-exit', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
