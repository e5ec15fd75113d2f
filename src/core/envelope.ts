/**
 * The canonical event envelope. Every input (browser collector, server source, Segment- or
 * RudderStack-style client, pixel) is normalised into this shape before it is stored, and every
 * later stage reads only this shape. Field names are those of the Segment tracking API so that
 * existing clients speak it unchanged.
 */

export const EVENT_TYPES = ['track', 'page', 'identify', 'group', 'screen', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type JsonObject = { [key: string]: unknown };

export interface PageContext {
  url?: string;
  path?: string;
  referrer?: string;
  title?: string;
  search?: string;
}

/**
 * Consent as the browser saw it: the CMP's own codes (`categories`, e.g. OneTrust's `C0004`)
 * and, when the page knows them, canonical categories.
 */
export interface ConsentContext {
  categories?: Record<string, boolean>;
  canonical?: Partial<Record<string, boolean>>;
  source?: string;
}

export interface EventContext {
  page?: PageContext;
  locale?: string;
  userAgent?: string;
  ip?: string;
  timezone?: string;
  consent?: ConsentContext;
  library?: { name?: string; version?: string };
  campaign?: Record<string, string>;
  [key: string]: unknown;
}

export interface SignalEvent {
  type: EventType;
  /** Event name of a `track` call. */
  event?: string;
  /** Page or screen name of a `page` call. */
  name?: string;
  properties: JsonObject;
  traits: JsonObject;
  userId?: string;
  anonymousId?: string;
  groupId?: string;
  /** The former id of an `alias` call. */
  previousId?: string;
  context: EventContext;
  /** When the event happened, as the client said (ISO 8601). */
  timestamp: string;
  messageId: string;
  /** When the gateway received it (ISO 8601). */
  receivedAt: string;
}
