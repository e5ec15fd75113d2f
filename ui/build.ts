/**
 * Builds the management UI into a directory (`dist/ui/` for `npm run build`; a temporary one in
 * the browser tests, so they always run the current sources): `src/main.ts` and `src/styles.css`
 * bundled and minified by esbuild under content-hashed names in `assets/`, and `index.html`
 * rewritten to point at them. Hashed names let the server cache assets for a year while
 * index.html is revalidated, so a deploy is picked up on the next page load.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface UiBuild {
  /** Asset file names and their sizes in bytes. */
  assets: Map<string, number>;
}

export async function buildUi(outDir: string): Promise<UiBuild> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'assets'), { recursive: true });

  const result = await build({
    entryPoints: [here('./src/main.ts'), here('./src/styles.css')],
    outdir: join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });

  // Metafile paths are relative to the working directory; only the file names matter here.
  const assets = new Map(
    Object.entries(result.metafile.outputs).map(([file, meta]) => [basename(file), meta.bytes]),
  );
  const names = [...assets.keys()];
  const script = names.find((name) => name.startsWith('main-') && name.endsWith('.js'));
  const styles = names.find((name) => name.startsWith('styles-') && name.endsWith('.css'));
  if (!script || !styles) throw new Error(`unexpected esbuild outputs: ${names.join(', ')}`);

  const html = readFileSync(here('./index.html'), 'utf8')
    .replace('{{SCRIPT}}', `/ui/assets/${script}`)
    .replace('{{STYLES}}', `/ui/assets/${styles}`);
  writeFileSync(join(outDir, 'index.html'), html);

  return { assets };
}
