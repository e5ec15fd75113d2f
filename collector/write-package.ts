/**
 * Assembles the collector's npm package in a folder (`dist/collector` for `npm run build`): the
 * two bundles, their declarations under `types/`, the manifest `collector/package.json` and the
 * README. Signal serves the two bundles from that same folder.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCollector, type CollectorBundles } from './build.js';
import { buildDeclarations } from './declarations.js';

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
  copyFileSync(here('package.json'), join(outDir, 'package.json'));
  copyFileSync(here('README.md'), join(outDir, 'README.md'));

  return bundles;
}
