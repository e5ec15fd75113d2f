/**
 * The messages between the gateway's thread and the engine's thread. Everything is plain data
 * (structured clone); traces cross as JSON text that is sent on as it is.
 */
import type { TraceFilter } from '../admin/debugger/trace-filter.js';
import type { StoreLocation } from '../store/open-store.js';
import type { EngineOptions } from './engine.js';

/** What the engine thread is started with: the engine's options, with a store to open. */
export type EngineThreadSettings = Omit<EngineOptions, 'store' | 'logger' | 'metrics'> & {
  store: StoreLocation;
  logLevel: string;
};

/** The engine's methods the gateway's thread calls and waits for. */
export interface EngineCalls {
  reload(): void;
  recent(limit: number, filter: TraceFilter): unknown[];
  minuteSeries(minutes: number): unknown[];
  /** The engine's Prometheus metrics, as `Registry.getMetricsAsJSON()` gives them. */
  metrics(): unknown[];
  close(): void;
}

export type CallName = keyof EngineCalls;

export type ToEngine =
  | { kind: 'appended' }
  | { kind: 'call'; id: number; method: CallName; args: unknown[] }
  /** Opens a watch, or changes the filter of an open one. */
  | { kind: 'watch'; watchId: number; filter: TraceFilter }
  | { kind: 'unwatch'; watchId: number };

export type FromEngine =
  | { kind: 'ready' }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; message: string }
  /** Traces for open watches, gathered over one turn of the engine's event loop. */
  | { kind: 'traces'; items: [watchId: number, json: string][] };
