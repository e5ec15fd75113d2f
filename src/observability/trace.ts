/**
 * Debugger traces: every stage reports what it did to an event, in order, to whoever listens
 * (the live Event Debugger, tests). Listeners are called synchronously and must be cheap; with
 * no listener a trace costs one array check.
 */

export type TraceStage =
  | 'received'
  | 'duplicate'
  | 'planned'
  | 'dropped'
  | 'coalesced'
  | 'unchanged'
  | 'delivered'
  | 'retried'
  | 'dead_lettered';

export interface Trace {
  stage: TraceStage;
  at: string;
  pipelineId?: string;
  integrationId?: string;
  messageIds: string[];
  profileKey?: string;
  /** Stage details: the envelope, the planned attributes, the drop reason, the vendor exchange. */
  detail: Record<string, unknown>;
}

export type TraceListener = (trace: Trace) => void;

export class TraceBus {
  private listeners: TraceListener[] = [];

  get active(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  /** Stamps the trace with the time (it takes the object over) and hands it to each listener. */
  emit(trace: Omit<Trace, 'at'>): void {
    if (this.listeners.length === 0) return;
    const stamped = trace as Trace;
    stamped.at = isoNow();
    for (const listener of this.listeners) listener(stamped);
  }
}

let lastMs = 0;
let lastIso = '';

/** The current time in ISO 8601, formatted once per millisecond however many traces share it. */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
