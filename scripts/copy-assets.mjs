#!/usr/bin/env node
// Copies the non-TypeScript files the compiled server reads at run time (SQL migrations, the
// demo page) from src/ to dist/, keeping their relative paths.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ASSET = /\.(sql|html|json)$/;

function copyAssets(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (ASSET.test(entry)) cpSync(path, join('dist', relative('src', path)));
  }
}

copyAssets('src');
