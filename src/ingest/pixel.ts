/**
 * The tracking pixel, for places that cannot run script (emails, `<noscript>`):
 * `GET /v1/pixel/{type}?key=dk_...&...` answers a 1×1 transparent GIF once the event is stored.
 *
 * Query format (every value is a string unless it is JSON):
 * - `key` or `writeKey`: the pipeline key;
 * - `{type}`: `track`, `page`, `identify`, `group` or their initials `t`, `p`, `i`, `g`, with an
 *   optional `.gif` suffix;
 * - `event`, `name`, `userId`, `anonymousId`, `groupId`, `messageId`, `timestamp`;
 * - `properties`, `traits`, `context`: a JSON object each (URL-encoded);
 * - `p.<name>=value` and `t.<name>=value`: one property or trait each, always a string; they
 *   win over the same name in `properties` / `traits`. Send numbers and booleans in the JSON.
 * Without `context.page.url`, the `Referer` header (the embedding page) is used.
 */
import type { FastifyReply } from 'fastify';
import type { EventType, JsonObject } from '../core/envelope.js';
import { isObject } from './event-batch.js';
import { IngestRefusal } from './ingest-error.js';

/** The query of a pixel request, as Fastify parses it (a repeated name gives an array). */
export type PixelQuery = Record<string, string | string[] | undefined>;

/** A 1×1 transparent GIF (42 bytes). */
export const TRANSPARENT_GIF = Buffer.from(
  'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
  'base64',
);

const PIXEL_TYPES: Readonly<Record<string, EventType>> = {
  track: 'track',
  page: 'page',
  identify: 'identify',
  group: 'group',
  t: 'track',
  p: 'page',
  i: 'identify',
  g: 'group',
};

const PLAIN_FIELDS = [
  'event',
  'name',
  'userId',
  'anonymousId',
  'groupId',
  'messageId',
  'timestamp',
];

/** The event type of the `{type}` path segment; throws 400 INVALID_EVENT for an unknown one. */
export function pixelType(segment: string): EventType {
  const name = segment.endsWith('.gif') ? segment.slice(0, -4) : segment;
  const type = Object.hasOwn(PIXEL_TYPES, name) ? PIXEL_TYPES[name] : undefined;
  if (type !== undefined) return type;

  throw new IngestRefusal(
    'INVALID_EVENT',
    'The pixel type must be track, page, identify or group (or t, p, i, g)',
  );
}

/** The pipeline key of the query (`key`, else `writeKey`). */
export function pixelKey(query: PixelQuery): string | undefined {
  return first(query.key) || first(query.writeKey) || undefined;
}

/** The raw event a pixel query describes, ready for normalisation. */
export function pixelEvent(
  query: PixelQuery,
  type: EventType,
  referer: string | undefined,
): JsonObject {
  const event: JsonObject = { type };

  for (const name of PLAIN_FIELDS) {
    const value = first(query[name]);
    if (value !== undefined) event[name] = value;
  }

  event.properties = jsonObjectParam(query, 'properties', 'p.');
  event.traits = jsonObjectParam(query, 'traits', 't.');

  const context = jsonParam(query, 'context') ?? {};
  const page = isObject(context.page) ? context.page : undefined;
  if (referer !== undefined && page?.url === undefined) context.page = { ...page, url: referer };
  event.context = context;

  return event;
}

/** Answers the GIF, never cached, so every view reaches the gateway. */
export function sendPixel(reply: FastifyReply): FastifyReply {
  return reply
    .code(200)
    .header('cache-control', 'no-cache, no-store, must-revalidate')
    .header('pragma', 'no-cache')
    .header('expires', '0')
    .type('image/gif')
    .send(TRANSPARENT_GIF);
}

function jsonObjectParam(query: PixelQuery, name: string, prefix: string): JsonObject {
  const object = jsonParam(query, name) ?? {};

  for (const key of Object.keys(query)) {
    if (!key.startsWith(prefix) || key.length === prefix.length) continue;

    const field = key.slice(prefix.length);
    // Assigning "__proto__" would change the object's prototype instead of adding a field.
    if (field === '__proto__') continue;
    object[field] = first(query[key]);
  }

  return object;
}

function jsonParam(query: PixelQuery, name: string): JsonObject | undefined {
  const text = first(query[name]);
  if (text === undefined) return undefined;

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }

  if (isObject(value)) return value;
  throw new IngestRefusal('INVALID_EVENT', `"${name}" must be a URL-encoded JSON object`);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
