/**
 * What Signal did with the events a browser sent: the event log as the gateway stored it, and
 * the debugger traces of the processor and the delivery workers.
 */
import type { SignalEvent } from '../../../src/core/envelope.js';
import type { Trace, TraceStage } from '../../../src/observability/trace.js';
import type { SignalApp } from '../../../src/runtime/signal-app.js';
import { eventually } from '../../support/eventually.js';

/** Far more than any of these tests sends. */
const LOG_LIMIT = 100;

export interface TraceRecorder {
  /** The traces of `stage`, oldest first. */
  of(stage: TraceStage): Trace[];
  stop(): void;
}

/** Records every trace from now on; call before the page sends anything. */
export function recordTraces(signal: SignalApp): TraceRecorder {
  const traces: Trace[] = [];
  const stop = signal.traces.subscribe((trace) => traces.push(trace));

  return { of: (stage) => traces.filter((trace) => trace.stage === stage), stop };
}

/** Every event in Signal's log, in log order, duplicates included. */
export async function loggedEvents(signal: SignalApp): Promise<SignalEvent[]> {
  const stored = await signal.store.readEvents(0, LOG_LIMIT);

  return stored.map(({ event }) => event);
}

/** Waits until the log holds `count` events matching `predicate`; returns them. */
export async function waitForLogged(
  signal: SignalApp,
  predicate: (event: SignalEvent) => boolean,
  what: string,
  count = 1,
  timeoutMs = 5_000,
): Promise<SignalEvent[]> {
  return eventually(
    async () => {
      const matching = (await loggedEvents(signal)).filter(predicate);
      return matching.length >= count ? matching : undefined;
    },
    what,
    timeoutMs,
  );
}

/** `track:Signed Up`, `page:Pricing`, `identify`: enough to read an order at a glance. */
export function label(event: SignalEvent): string {
  const name = event.event ?? event.name;

  return name === undefined ? event.type : `${event.type}:${name}`;
}

/** How many times each value occurs. */
export function countBy<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);

  return counts;
}
