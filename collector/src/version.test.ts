import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { VERSION } from './version.js';

const versionOf = (manifest: string) =>
  (JSON.parse(readFileSync(new URL(manifest, import.meta.url), 'utf8')) as { version: string })
    .version;

it('reports the same library version as package.json', () => {
  assert.equal(VERSION, versionOf('../../package.json'));
});

it('publishes the npm module under the same version', () => {
  assert.equal(versionOf('../package.json'), VERSION);
});
