/**
 * Assembles the collector's npm package in a folder (`dist/collector` for `npm run build`): the
 * two bundles, their declarations under `types/`, the manifest `collector/package.json` (with the
 * collector's `VERSION`) and the README. Signal serves the two bundles from that same folder.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCollector, type CollectorBundles } from './build.js';
import { buildDeclarations } from './declarations.js';
import { VERSION } from './src/version.js';

const here = (file: string) => fileURLToPath(new URL(`./${file}`, import.meta.url));

export async function writeCollectorPackage(outDir: string): Promise<CollectorBundles> {
  const bundles = await buildCollector();
  const declarations = buildDeclarations();

  // Declarations of a source file since removed must not linger in the package.
  rmSync(join(outDir, 'types'), { recursive: true, force: true });
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    writeFileSync(join(outDir, file), text);
  };

  write('datafly.js', bundles.script);
  write('datafly.esm.js', bundles.module);
  for (const [file, text] of declarations) write(join('types', file), text);
  write('package.json', manifest());
  copyFileSync(here('README.md'), join(outDir, 'README.md'));

  return bundles;
}

/** `collector/package.json` under the version the bundles report (`src/version.ts`). */
function manifest(): string {
  const fields = JSON.parse(readFileSync(here('package.json'), 'utf8')) as Record<string, unknown>;
  return `${JSON.stringify({ ...fields, version: VERSION }, null, 2)}\n`;
}
