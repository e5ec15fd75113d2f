/**
 * What the debugger knows of each recent message, learnt from its `received` trace: pipeline,
 * event type and name, user and e-mail. Later stages (planned, delivered) carry only message ids;
 * this index lets the feed filter them by user or type and fill in their pipeline.
 *
 * Bounded: the oldest messages are forgotten first, so memory stays flat under any traffic.
 */
import type { SignalEvent } from '../../core/envelope.js';
import type { Trace } from '../../observability/trace.js';

export interface MessageFacts {
  pipelineId?: string;
  type?: string;
  name?: string;
  userId?: string;
  anonymousId?: string;
  email?: string;
}

const MAX_MESSAGES = 20_000;
const MAX_USERS = 10_000;

export class MessageIndex {
  private readonly messages = new BoundedMap<MessageFacts>(MAX_MESSAGES);
  /** userId → e-mail, from identify traits, so a later track of that user matches an e-mail. */
  private readonly emails = new BoundedMap<string>(MAX_USERS);

  /** Learns from a `received` trace; other stages teach nothing. */
  learn(trace: Trace): void {
    const event = trace.detail.event as Partial<SignalEvent> | undefined;
    if (trace.stage !== 'received' || !event) return;

    const traitEmail = normaliseEmail(event.traits?.email);
    if (traitEmail && event.userId) this.emails.set(event.userId, traitEmail);

    const email = traitEmail ?? (event.userId ? this.emails.get(event.userId) : undefined);
    const name = event.event ?? event.name;
    // Only the facts present are set: a filter tells "absent" from any value.
    const facts: MessageFacts = {};
    if (trace.pipelineId) facts.pipelineId = trace.pipelineId;
    if (event.type) facts.type = event.type;
    if (name) facts.name = name;
    if (event.userId) facts.userId = event.userId;
    if (event.anonymousId) facts.anonymousId = event.anonymousId;
    if (email) facts.email = email;
    for (const id of trace.messageIds) this.messages.set(id, facts);
  }

  factsOf(messageIds: readonly string[]): MessageFacts[] {
    const known: MessageFacts[] = [];
    for (const id of messageIds) {
      const facts = this.messages.get(id);
      if (facts) known.push(facts);
    }
    return known;
  }
}

/** Trimmed and lower-cased, as the profile key is; undefined for anything but text. */
export function normaliseEmail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;

  const email = value.trim().toLowerCase();
  return email === '' ? undefined : email;
}

/**
 * A map that forgets its oldest keys beyond `capacity`. The insertion order is kept in a ring of
 * keys: asking a `Map` for its first key after many deletions walks over every deleted slot,
 * which made each insert cost in proportion to the map's size.
 */
class BoundedMap<V> {
  private readonly values = new Map<string, V>();
  private readonly order: (string | undefined)[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.order = new Array<string | undefined>(capacity);
  }

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  set(key: string, value: V): void {
    if (this.values.has(key)) {
      this.values.set(key, value);
      return;
    }

    const evicted = this.order[this.next];
    if (evicted !== undefined) this.values.delete(evicted);
    this.order[this.next] = key;
    this.next = (this.next + 1) % this.capacity;
    this.values.set(key, value);
  }
}
