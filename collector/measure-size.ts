/** The size of the minified `datafly.js`, as served and as gzipped (zlib's default level). */
import { gzipSync } from 'node:zlib';
import { buildCollector } from './build.js';

export interface CollectorSize {
  minifiedBytes: number;
  gzippedBytes: number;
}

/** The budget for the gzipped script: it loads on every page of the site. */
export const GZIP_BUDGET_BYTES = 3072;

export async function measureCollectorSize(): Promise<CollectorSize> {
  const { script } = await buildCollector();

  return { minifiedBytes: Buffer.byteLength(script), gzippedBytes: gzipSync(script).length };
}
