/**
 * The Event Debugger's source: listens to the trace bus, keeps the last traces in a bounded ring
 * (history for a page just opened) and fans new ones out to the open WebSocket feeds.
 *
 * The listener runs on the processing and delivery path, so it only stores references; copying,
 * scrubbing and serialising happen once per trace, and only when someone reads it.
 * Known limit: the ring is in memory, so a restart empties it and each node of a cluster shows
 * only the traces of its own work.
 */
import type { Trace } from '../../observability/trace.js';
import { MessageIndex, type MessageFacts } from './message-index.js';
import { scrubValue } from './scrub.js';
import { matchesFilter, type TraceFilter } from './trace-filter.js';

export const DEFAULT_RING_SIZE = 2_000;

/** A trace as the feed holds it: enriched, with its messages' facts, serialised on demand. */
export class FeedEntry {
  private text: string | undefined;

  constructor(
    readonly trace: Trace,
    readonly facts: MessageFacts[],
    private readonly feed: DebuggerFeed,
  ) {}

  /** The trace scrubbed of credentials, as the client receives it. */
  shown(): Trace {
    return this.feed.scrub(this.trace);
  }

  json(): string {
    this.text ??= JSON.stringify(this.shown());
    return this.text;
  }

  matches(filter: TraceFilter): boolean {
    return matchesFilter(
      {
        ...(this.trace.pipelineId ? { pipelineId: this.trace.pipelineId } : {}),
        ...(this.trace.integrationId ? { integrationId: this.trace.integrationId } : {}),
        ...(this.trace.profileKey ? { profileKey: this.trace.profileKey } : {}),
        facts: this.facts,
      },
      filter,
      this.feed.routes,
    );
  }
}

export class DebuggerFeed {
  private readonly ring: (FeedEntry | undefined)[];
  private next = 0;
  private readonly index = new MessageIndex();
  private readonly listeners = new Set<(entry: FeedEntry) => void>();
  private secrets: readonly string[] = [];
  /** Pipeline id → ids of the integrations it routes to. */
  routes: ReadonlyMap<string, ReadonlySet<string>> = new Map();

  constructor(capacity = DEFAULT_RING_SIZE) {
    this.ring = new Array<FeedEntry | undefined>(capacity);
  }

  /** The trace bus listener. */
  readonly accept = (trace: Trace): void => {
    this.index.learn(trace);
    const facts = this.index.factsOf(trace.messageIds);

    // Delivery stages do not know the pipeline; the message does.
    const pipelineId = trace.pipelineId ?? facts.find((fact) => fact.pipelineId)?.pipelineId;
    const enriched = pipelineId && !trace.pipelineId ? { ...trace, pipelineId } : trace;

    const entry = new FeedEntry(enriched, facts, this);
    this.ring[this.next % this.ring.length] = entry;
    this.next += 1;
    for (const listener of this.listeners) listener(entry);
  };

  /** Secret values to scrub from every trace, and the current pipeline routes. */
  configure(options: { secrets: string[]; routes: Map<string, Set<string>> }): void {
    this.secrets = options.secrets;
    this.routes = options.routes;
  }

  scrub(trace: Trace): Trace {
    return scrubValue(trace, this.secrets);
  }

  /** The last `limit` traces passing `filter`, oldest first. */
  recent(limit: number, filter: TraceFilter = {}): FeedEntry[] {
    const entries: FeedEntry[] = [];
    const oldest = Math.max(0, this.next - this.ring.length);

    for (let at = this.next - 1; at >= oldest && entries.length < limit; at -= 1) {
      const entry = this.ring[at % this.ring.length];
      if (entry?.matches(filter)) entries.push(entry);
    }
    return entries.reverse();
  }

  subscribe(listener: (entry: FeedEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
