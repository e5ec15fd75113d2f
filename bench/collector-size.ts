/**
 * Benchmark 4: the collector's size, minified and gzipped, against its budget. The measuring
 * module is loaded at run time so that the other benchmarks still run while it is being written.
 */
export const COLLECTOR_GZIP_BUDGET_BYTES = 3_072;

export type CollectorSizeResult =
  | { available: true; minifiedBytes: number; gzippedBytes: number; budgetBytes: number }
  | { available: false; reason: string };

interface MeasureModule {
  measureCollectorSize(): Promise<{ minifiedBytes: number; gzippedBytes: number }>;
}

export async function runCollectorSizeBenchmark(): Promise<CollectorSizeResult> {
  let module: Partial<MeasureModule>;
  try {
    const specifier = new URL('../collector/measure-size.js', import.meta.url).href;
    module = (await import(specifier)) as Partial<MeasureModule>;
  } catch (error) {
    return {
      available: false,
      reason: `collector/measure-size cannot be loaded: ${message(error)}`,
    };
  }
  if (typeof module.measureCollectorSize !== 'function') {
    return { available: false, reason: 'collector/measure-size exports no measureCollectorSize' };
  }

  try {
    const size = await module.measureCollectorSize();
    return { available: true, ...size, budgetBytes: COLLECTOR_GZIP_BUDGET_BYTES };
  } catch (error) {
    return { available: false, reason: `measuring the collector failed: ${message(error)}` };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
