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
  private readonly messages = new Map<string, MessageFacts>();
  /** userId → e-mail, from identify traits, so a later track of that user matches an e-mail. */
  private readonly emails = new Map<string, string>();

  /** Learns from a `received` trace; other stages teach nothing. */
  learn(trace: Trace): void {
    const event = trace.detail.event as Partial<SignalEvent> | undefined;
    if (trace.stage !== 'received' || !event) return;

    const traitEmail = normaliseEmail(event.traits?.email);
    if (traitEmail && event.userId) remember(this.emails, event.userId, traitEmail, MAX_USERS);

    const email = traitEmail ?? (event.userId ? this.emails.get(event.userId) : undefined);
    const facts: MessageFacts = {
      ...(trace.pipelineId ? { pipelineId: trace.pipelineId } : {}),
      ...(event.type ? { type: event.type } : {}),
      ...((event.event ?? event.name) ? { name: event.event ?? event.name } : {}),
      ...(event.userId ? { userId: event.userId } : {}),
      ...(event.anonymousId ? { anonymousId: event.anonymousId } : {}),
      ...(email ? { email } : {}),
    };
    for (const id of trace.messageIds) remember(this.messages, id, facts, MAX_MESSAGES);
  }

  factsOf(messageIds: readonly string[]): MessageFacts[] {
    return messageIds.flatMap((id) => {
      const facts = this.messages.get(id);
      return facts ? [facts] : [];
    });
  }
}

/** Trimmed and lower-cased, as the profile key is; undefined for anything but text. */
export function normaliseEmail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;

  const email = value.trim().toLowerCase();
  return email === '' ? undefined : email;
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size <= max) return;

  const oldest = map.keys().next().value;
  if (oldest !== undefined) map.delete(oldest);
}
