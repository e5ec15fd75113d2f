/**
 * A closed-loop HTTP load generator on undici: `connections` keep-alive connections, each sending
 * the same request again as soon as the previous answer arrived, for a warm-up and then a
 * measured window. Only requests that both start and end inside the window count.
 */
import { Pool } from 'undici';
import { Samples } from './latency.js';

export interface LoadOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Every 200 answer, warm-up included (for the durability check). */
  ok: number;
  /** Non-200 answers and network errors, warm-up included. */
  errors: number;
  /** Each measured request's latency, in milliseconds. */
  latencies: Float64Array;
}

export async function generateLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(options.url, { connections: options.connections, pipelining: 1 });
  const latencies = new Samples();
  const windowStart = performance.now() + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  let ok = 0;
  let errors = 0;

  const connection = async () => {
    while (performance.now() < windowEnd) {
      const started = performance.now();
      const succeeded = await send(pool, options);
      const ended = performance.now();

      if (succeeded) ok += 1;
      else errors += 1;
      if (succeeded && started >= windowStart && ended <= windowEnd) {
        latencies.push(ended - started);
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  await pool.close();

  const values = latencies.toArray();
  return {
    requestsPerSecond: (values.length * 1000) / options.durationMs,
    ok,
    errors,
    latencies: values,
  };
}

async function send(pool: Pool, options: LoadOptions): Promise<boolean> {
  try {
    const response = await pool.request({
      method: 'POST',
      path: options.path,
      headers: options.headers,
      body: options.body,
    });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}
