/**
 * The Event Debugger's state: one entry per event (message id), holding every trace that
 * concerns it in arrival order. A delivery trace names all the events coalesced into the call,
 * so it is attached to each of them.
 */
import type { Trace } from '../api/types.js';

export interface EventEntry {
  messageId: string;
  /** The envelope from the `received` trace; absent when it was received before we listened. */
  event?: Record<string, unknown>;
  pipelineId?: string;
  firstSeen: string;
  traces: Trace[];
}

/** How many events the feed keeps; older ones fall off the end. */
export const MAX_EVENTS = 200;

export class FeedModel {
  private entries = new Map<string, EventEntry>();
  /** Traces carry no id of their own: this key spots one delivered twice (recent + live). */
  private seen = new Set<string>();

  /** Adds a trace; returns the entries it touched and whether each is new. */
  add(trace: Trace): { entry: EventEntry; created: boolean }[] {
    const key = traceKey(trace);
    if (this.seen.has(key)) return [];
    this.seen.add(key);

    return trace.messageIds.map((messageId) => {
      let entry = this.entries.get(messageId);
      const created = entry === undefined;
      if (!entry) {
        entry = { messageId, firstSeen: trace.at, traces: [] };
        this.entries.set(messageId, entry);
      }
      if (trace.stage === 'received' && isObject(trace.detail.event)) {
        entry.event = trace.detail.event;
        entry.firstSeen = trace.at;
      }
      entry.pipelineId ??= trace.pipelineId;
      entry.traces.push(trace);
      return { entry, created };
    });
  }

  /** Removes the oldest entries beyond the limit; returns their message ids. */
  trim(limit = MAX_EVENTS): string[] {
    const removed: string[] = [];
    for (const messageId of this.entries.keys()) {
      if (this.entries.size - removed.length <= limit) break;
      removed.push(messageId);
    }
    for (const messageId of removed) this.entries.delete(messageId);
    return removed;
  }

  clear(): void {
    this.entries.clear();
    this.seen.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function traceKey(trace: Trace): string {
  return [trace.stage, trace.at, trace.integrationId ?? '', trace.messageIds.join(',')].join('|');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Signed Up`, `page /pricing`, `identify`: how a person names the event. */
export function eventLabel(event: Record<string, unknown> | undefined): string {
  if (!event) return 'event received earlier';
  const type = typeof event.type === 'string' ? event.type : 'event';
  if (type === 'track' && typeof event.event === 'string') return event.event;
  if (type === 'page' && typeof event.name === 'string') return `page ${event.name}`;
  return type;
}

/** The user id and e-mail of an event, for the row summary. */
export function eventWho(event: Record<string, unknown> | undefined, entry: EventEntry): string {
  const traits = isObject(event?.traits) ? event.traits : {};
  const parts = [
    typeof event?.userId === 'string' ? event.userId : undefined,
    typeof traits.email === 'string' ? traits.email.trim() : undefined,
  ].filter((part): part is string => part !== undefined && part !== '');
  if (parts.length === 0) {
    const key = entry.traces.find((t) => t.profileKey)?.profileKey;
    if (key) parts.push(key);
    else if (typeof event?.anonymousId === 'string') parts.push(`anonymous ${event.anonymousId}`);
  }
  return parts.join(' · ');
}
