/**
 * What the Management API reads of the engine's traces: recent ones for a page just opened, a
 * live feed for the debugger's WebSocket, and per-minute counts for the overview chart. The
 * engine may run on another thread, so every read is asynchronous and a feed receives text.
 */
import type { Trace } from '../../observability/trace.js';
import type { MinuteCounts } from '../stats/minute-stats.js';
import type { TraceFilter } from './trace-filter.js';

export interface TraceView {
  /** The last `limit` traces passing `filter`, oldest first, scrubbed of credentials. */
  recent(limit: number, filter: TraceFilter): Promise<Trace[]>;
  /** New traces passing the watch's filter, as JSON text, until the watch is closed. */
  watch(listener: (json: string) => void): TraceWatch;
  /** The last `minutes` minutes of counts, oldest first. */
  minuteSeries(minutes: number): Promise<MinuteCounts[]>;
}

export interface TraceWatch {
  setFilter(filter: TraceFilter): void;
  close(): void;
}
