/**
 * One incoming event → the canonical envelope. Clients speak the Segment tracking API (Segment's
 * and RudderStack's libraries, our collector, server sources); this keeps the fields the
 * envelope knows, coerces ids to strings, fills what the request tells (time, user agent, IP,
 * visitor cookie) and names the field when an event cannot be accepted. Unknown top-level fields
 * (`integrations`, `channel`, `writeKey`, ...) are dropped; unknown `context` keys are kept.
 */
import { randomUUID } from 'node:crypto';
import {
  EVENT_TYPES,
  type EventContext,
  type EventType,
  type JsonObject,
  type SignalEvent,
} from '../core/envelope.js';
import { isObject } from './event-batch.js';

/** What the request, rather than the event, says. */
export interface RequestFacts {
  /** The route's type (`/v1/t` → track), used when an event has no `type`. */
  routeType: EventType | undefined;
  receivedAtMs: number;
  receivedAt: string;
  /** The batch's `sentAt` in Unix ms; an event's own `sentAt` wins. */
  sentAtMs: number | undefined;
  /** The batch's `context`, under each event's own. */
  batchContext: JsonObject | undefined;
  /** The visitor id of the request's `_dfid` cookie. */
  cookieVisitorId: string | undefined;
  /** The visitor id this answer sets, when the request had no cookie. */
  newVisitorId: string | undefined;
  /** Whether `newVisitorId` may also fill events that have a `userId` (a web page's request). */
  newVisitorForUsers: boolean;
  userAgent: string | undefined;
  ip: string | undefined;
}

const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const CONTEXT_OBJECTS = ['page', 'consent', 'library', 'campaign', 'traits'] as const;
const CONTEXT_STRINGS = ['locale', 'userAgent', 'ip', 'timezone'] as const;
/** `toISOString` throws beyond this many ms from 1970. */
const MAX_TIME_MS = 8.64e15;

/** The envelope of `raw`, or the message saying why it was refused. */
export function normaliseEvent(raw: unknown, facts: RequestFacts): SignalEvent | string {
  if (!isObject(raw)) return 'an event must be a JSON object';

  try {
    return buildEnvelope(raw, facts);
  } catch (error) {
    if (error instanceof InvalidField) return error.message;
    throw error;
  }
}

/** A `sentAt` value in Unix ms; anything unreadable is ignored rather than losing the events. */
export function readSentAt(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : value;

  return typeof ms === 'number' && Math.abs(ms) < MAX_TIME_MS ? ms : undefined;
}

function buildEnvelope(raw: JsonObject, facts: RequestFacts): SignalEvent {
  const type = eventType(raw.type, facts.routeType);
  const event: SignalEvent = {
    type,
    properties: objectField(raw.properties, 'properties') ?? {},
    traits: {},
    context: buildContext(raw.context, facts),
    timestamp: eventTime(raw, facts),
    messageId: idField(raw.messageId, 'messageId') ?? randomUUID(),
    receivedAt: facts.receivedAt,
  };

  setIdentity(event, raw, facts);
  setTypeFields(event, raw);

  return event;
}

function eventType(value: unknown, routeType: EventType | undefined): EventType {
  if (value === undefined || value === null) {
    if (routeType !== undefined) return routeType;
    throw new InvalidField(`"type" is required: one of ${EVENT_TYPES.join(', ')}`);
  }

  if (typeof value !== 'string' || !TYPES.has(value)) {
    throw new InvalidField(`"type" must be one of ${EVENT_TYPES.join(', ')}`);
  }

  return value as EventType;
}

function setIdentity(event: SignalEvent, raw: JsonObject, facts: RequestFacts): void {
  const userId = idField(raw.userId, 'userId');
  if (userId !== undefined) event.userId = userId;

  // The cookie fills `anonymousId` even when the user is known, so the visitor's anonymous
  // history links to them. A visitor id minted for this very answer fills user events only for a
  // web page: a server batch of several users would otherwise tie them all to one new visitor
  // (and the processor would merge their profiles), or litter profiles with one-off ids.
  const anonymousId =
    idField(raw.anonymousId, 'anonymousId') ??
    facts.cookieVisitorId ??
    (userId === undefined || facts.newVisitorForUsers ? facts.newVisitorId : undefined);
  if (anonymousId !== undefined) event.anonymousId = anonymousId;

  if (userId === undefined && anonymousId === undefined) {
    throw new InvalidField('an event requires a "userId" or an "anonymousId"');
  }
}

function setTypeFields(event: SignalEvent, raw: JsonObject): void {
  switch (event.type) {
    case 'track':
      if (typeof raw.event !== 'string' || raw.event.trim() === '') {
        throw new InvalidField('track event requires a non-empty "event" name');
      }
      event.event = raw.event;
      return;

    case 'page':
    case 'screen':
      if (raw.name !== undefined && raw.name !== null) {
        if (typeof raw.name !== 'string') throw new InvalidField('"name" must be a string');
        event.name = raw.name;
      }
      return;

    case 'identify':
      event.traits = traitsOf(raw, event.context);
      return;

    case 'group':
      event.traits = traitsOf(raw, event.context);
      event.groupId = idField(raw.groupId, 'groupId');
      if (event.groupId === undefined) throw new InvalidField('group event requires a "groupId"');
      return;

    case 'alias':
      event.previousId = idField(raw.previousId, 'previousId');
      if (event.previousId === undefined) {
        throw new InvalidField('alias event requires a "previousId"');
      }
      if (event.userId === undefined) throw new InvalidField('alias event requires a "userId"');
      return;
  }
}

/** Top-level `traits` over Segment's `context.traits` (analytics.js sends them there). */
function traitsOf(raw: JsonObject, context: EventContext): JsonObject {
  const traits = objectField(raw.traits, 'traits');
  const contextTraits = context.traits as JsonObject | undefined;

  if (contextTraits === undefined) return traits ?? {};
  return traits === undefined ? { ...contextTraits } : { ...contextTraits, ...traits };
}

function buildContext(value: unknown, facts: RequestFacts): EventContext {
  const given = objectField(value, 'context');
  const context: EventContext =
    facts.batchContext === undefined ? (given ?? {}) : { ...facts.batchContext, ...given };

  for (const name of CONTEXT_OBJECTS) {
    const field = context[name];
    if (field === null) delete context[name];
    else if (field !== undefined && !isObject(field)) {
      throw new InvalidField(`"context.${name}" must be an object`);
    }
  }

  for (const name of CONTEXT_STRINGS) {
    const field = context[name];
    if (field === null) delete context[name];
    else if (field !== undefined && typeof field !== 'string') {
      throw new InvalidField(`"context.${name}" must be a string`);
    }
  }

  if (context.userAgent === undefined && facts.userAgent !== undefined) {
    context.userAgent = facts.userAgent;
  }
  if (context.ip === undefined && facts.ip !== undefined) context.ip = facts.ip;

  return context;
}

/**
 * The client's time (`timestamp`, or RudderStack's `originalTimestamp`), corrected for the
 * client's clock the Segment way when `sentAt` is known: the event happened `sentAt - timestamp`
 * before the request was sent, so `receivedAt` minus that. Without a client time, `receivedAt`.
 */
function eventTime(raw: JsonObject, facts: RequestFacts): string {
  const field = raw.timestamp !== undefined ? 'timestamp' : 'originalTimestamp';
  const clientMs = timeField(raw[field], field);
  if (clientMs === undefined) return facts.receivedAt;

  const sentAtMs = readSentAt(raw.sentAt) ?? facts.sentAtMs;
  const ms = sentAtMs === undefined ? clientMs : facts.receivedAtMs - (sentAtMs - clientMs);
  if (Math.abs(ms) >= MAX_TIME_MS) throw new InvalidField(`"${field}" is out of range`);

  return new Date(ms).toISOString();
}

function timeField(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;

  const ms = typeof value === 'string' ? Date.parse(value) : value;
  if (typeof ms !== 'number' || !(Math.abs(ms) < MAX_TIME_MS)) {
    throw new InvalidField(`"${name}" must be an ISO 8601 date`);
  }

  return ms;
}

/** Ids are strings; numbers are accepted and converted, empty strings count as absent. */
function idField(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);

  throw new InvalidField(`"${name}" must be a string or a number`);
}

function objectField(value: unknown, name: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (isObject(value)) return value;

  throw new InvalidField(`"${name}" must be an object`);
}

/** A refused field; caught in `normaliseEvent` and answered as the event's error message. */
class InvalidField extends Error {}
