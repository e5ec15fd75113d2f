/**
 * A reproducible mixed trace of website traffic: visitors who identify early (some after an
 * anonymous first page view), then browse and act, change a trait now and then, and sometimes
 * withdraw or grant marketing consent again. Visitors' events are interleaved at random while
 * each visitor's own order is kept. The events are in the wire format the gateway accepts.
 */

export type WireEvent = Record<string, unknown> & { type: string; anonymousId: string };

export interface MixedTrace {
  /** In sending order. */
  events: WireEvent[];
  visitors: number;
}

const LOCALES = ['en-GB', 'fr-BE', 'nl-BE', 'de-DE', 'en-US'];
const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Linus', 'Margaret', 'Ken'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Torvalds', 'Hamilton'];
const TRACKS = ['Product Viewed', 'Added to Cart', 'Checkout Started', 'Signed Up'];

/** A visitor's browser state while their events are generated. */
interface Visitor {
  anonymousId: string;
  userId: string | undefined;
  locale: string;
  marketing: boolean;
}

export function mixedTrace(visitors: number, eventsPerVisitor: number, seed = 42): MixedTrace {
  const random = seededRandom(seed);
  const queues = Array.from({ length: visitors }, (_, index) =>
    visitorEvents(index, eventsPerVisitor, random),
  );

  // One slot per event, shuffled: a uniform interleaving that keeps each visitor's order.
  const slots = queues.flatMap((queue, index) => queue.map(() => index));
  shuffle(slots, random);
  const cursors = new Array<number>(visitors).fill(0);
  const events = slots.map((index) => queues[index]![cursors[index]!++]!);

  return { events, visitors };
}

function visitorEvents(index: number, count: number, random: () => number): WireEvent[] {
  const visitor: Visitor = {
    anonymousId: `anon-${index}`,
    userId: undefined,
    locale: pick(LOCALES, random),
    marketing: random() < 0.85,
  };
  const events: WireEvent[] = [];

  if (random() < 0.3) events.push(page(visitor, index, events.length));
  visitor.userId = `user-${index}`;
  events.push(identify(visitor, index, events.length, firstTraits(index, random)));

  while (events.length < count) events.push(nextEvent(visitor, index, events.length, random));
  return events;
}

function nextEvent(visitor: Visitor, index: number, seq: number, random: () => number): WireEvent {
  if (random() < 0.05) visitor.locale = pick(LOCALES, random);

  const roll = random();
  if (roll < 0.5) return page(visitor, index, seq);
  if (roll < 0.75) return track(visitor, index, seq, pick(TRACKS, random));
  if (roll < 0.87) return identify(visitor, index, seq, changedTrait(random));

  visitor.marketing = !visitor.marketing;
  return page(visitor, index, seq);
}

/** The first identify: e-mail (sometimes with stray case and spaces), names, usually a phone. */
function firstTraits(index: number, random: () => number): Record<string, unknown> {
  const email = random() < 0.2 ? `  Visitor${index}@Example.COM ` : `visitor${index}@example.com`;
  const traits: Record<string, unknown> = {
    email,
    firstName: pick(FIRST_NAMES, random),
    lastName: pick(LAST_NAMES, random),
  };
  if (random() < 0.7) traits.phone = phoneNumber(random);
  return traits;
}

/** A later identify that changes one trait only (the stored profile keeps the others). */
function changedTrait(random: () => number): Record<string, unknown> {
  const roll = random();
  if (roll < 0.4) return { firstName: pick(FIRST_NAMES, random) };
  if (roll < 0.6) return { lastName: pick(LAST_NAMES, random) };
  return { phone: phoneNumber(random) };
}

/** A Belgian mobile number as people type it: `+32 47x xx xx xx`. */
function phoneNumber(random: () => number): string {
  const digits = Array.from({ length: 7 }, () => Math.floor(random() * 10)).join('');
  return `+32 47${digits[0]} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits.slice(5, 7)}`;
}

function identify(
  visitor: Visitor,
  index: number,
  seq: number,
  traits: Record<string, unknown>,
): WireEvent {
  return { ...base(visitor, index, seq, 'identify'), traits };
}

function page(visitor: Visitor, index: number, seq: number): WireEvent {
  return { ...base(visitor, index, seq, 'page'), name: 'Home' };
}

function track(visitor: Visitor, index: number, seq: number, name: string): WireEvent {
  return { ...base(visitor, index, seq, 'track'), event: name, properties: { sku: `sku-${seq}` } };
}

function base(visitor: Visitor, index: number, seq: number, type: string): WireEvent {
  return {
    type,
    messageId: `v${index}-e${seq}`,
    anonymousId: visitor.anonymousId,
    ...(visitor.userId === undefined ? {} : { userId: visitor.userId }),
    context: {
      locale: visitor.locale,
      consent: { categories: { C0001: true, C0004: visitor.marketing }, source: 'onetrust' },
    },
  };
}

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)]!;
}

function shuffle<T>(values: T[], random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
}

/** mulberry32: a small seeded generator, so every run sends the same trace. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
