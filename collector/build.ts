/**
 * Builds the two collector bundles in memory with esbuild: `datafly.js`, the minified script-tag
 * build that installs `window.datafly`, and `datafly.esm.js`, an ES module for bundlers (left
 * readable: the site's own bundler minifies it).
 */
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const source = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export interface CollectorBundles {
  /** `datafly.js`: minified IIFE. */
  script: string;
  /** `datafly.esm.js`: ES module exporting `createDatafly`. */
  module: string;
}

const COMMON: BuildOptions = {
  bundle: true,
  write: false,
  platform: 'browser',
  // ES2020 keeps `?.` and `??` native: every browser with keepalive fetch understands them.
  target: 'es2020',
  legalComments: 'none',
};

export async function buildCollector(): Promise<CollectorBundles> {
  const [script, module] = await Promise.all([
    build({ ...COMMON, entryPoints: [source('browser.ts')], format: 'iife', minify: true }),
    build({ ...COMMON, entryPoints: [source('esm.ts')], format: 'esm' }),
  ]);

  return { script: script.outputFiles![0]!.text, module: module.outputFiles![0]!.text };
}
