/**
 * Reading a request body into the events it carries: one event, or `{"batch":[...]}` with
 * optional batch-wide `sentAt` and `context`. The request-wide limits are checked here, before
 * any event is normalised, because going over one refuses the whole request.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import type { JsonObject } from '../core/envelope.js';
import { IngestRefusal } from './ingest-error.js';
import type { IngestLimits } from './ingest-limits.js';

/** What a route accepts: one event, a batch, or either (server sources). */
export type BodyShape = 'single' | 'batch' | 'either';

/** The events of one request and what the batch says about all of them. */
export interface EventBatch {
  items: unknown[];
  /** Whether the body was `{"batch":[...]}` (its errors are then listed by index). */
  isBatch: boolean;
  /** The batch's `sentAt`, in Unix ms, for clock-skew correction of every event. */
  sentAt: unknown;
  /** The batch's `context`, merged under each event's own. */
  context: JsonObject | undefined;
}

/** A parsed body and its size once decompressed. */
export interface JsonBody {
  value: unknown;
  bytes: number;
}

/**
 * Parses a JSON body (sent as `application/json` or `text/plain`), gunzipping or inflating it
 * first when `Content-Encoding` says so (RudderStack's server libraries gzip by default). Throws
 * 400 INVALID_JSON, 413 when it inflates beyond `maxBytes`, 415 for an unknown encoding.
 */
export function parseJsonBody(
  rawBody: Buffer | undefined,
  contentEncoding: string | undefined,
  maxBytes: number,
): JsonBody {
  if (rawBody === undefined || rawBody.length === 0) {
    throw new IngestRefusal('INVALID_JSON', 'The request body is empty; send the event as JSON');
  }

  const body = decode(rawBody, contentEncoding, maxBytes);
  try {
    return { value: JSON.parse(body.toString('utf8')), bytes: body.length };
  } catch {
    throw new IngestRefusal(
      'INVALID_JSON',
      'The request body is not valid JSON; check quoting, commas and brackets',
    );
  }
}

function decode(rawBody: Buffer, contentEncoding: string | undefined, maxBytes: number): Buffer {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return rawBody;

  const inflate = encoding === 'gzip' ? gunzipSync : encoding === 'deflate' ? inflateSync : null;
  if (inflate === null) {
    throw new IngestRefusal(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding "${encoding}" is not supported; send gzip, deflate or no encoding`,
    );
  }

  try {
    // The limit also bounds what a small "zip bomb" may inflate to.
    return inflate(rawBody, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new IngestRefusal(
        'PAYLOAD_TOO_LARGE',
        `The decompressed body is larger than ${maxBytes / (1024 * 1024)} MB; send smaller batches`,
      );
    }
    throw new IngestRefusal('INVALID_JSON', `The ${encoding} body could not be decompressed`);
  }
}

/**
 * The events of a parsed body. Throws 400 INVALID_EVENT when the body has the wrong shape and
 * 400 BATCH_TOO_LARGE when it holds too many events or one too large.
 */
export function readEventBatch(
  body: unknown,
  shape: BodyShape,
  bodyBytes: number,
  limits: IngestLimits,
): EventBatch {
  if (!isObject(body)) {
    throw new IngestRefusal('INVALID_EVENT', 'The body must be a JSON object');
  }

  const isBatch = shape === 'batch' || (shape === 'either' && Array.isArray(body.batch));
  const batch = isBatch ? batchOf(body, limits) : singleOf(body);

  // Serialising an event only to measure it is costly; a body smaller than the limit cannot
  // hold an event larger than it, which spares nearly every request.
  if (bodyBytes > limits.maxEventBytes) checkEventSizes(batch.items, isBatch, limits);

  return batch;
}

function batchOf(body: JsonObject, limits: IngestLimits): EventBatch {
  const items = body.batch;
  if (!Array.isArray(items)) {
    throw new IngestRefusal('INVALID_EVENT', '"batch" must be an array of events');
  }

  if (items.length === 0) {
    throw new IngestRefusal('INVALID_EVENT', '"batch" must contain at least one event');
  }

  if (items.length > limits.maxBatchEvents) {
    throw new IngestRefusal(
      'BATCH_TOO_LARGE',
      `The batch has ${items.length} events; the limit is ${limits.maxBatchEvents} per request, so split it`,
    );
  }

  const context = body.context;
  if (context !== undefined && context !== null && !isObject(context)) {
    throw new IngestRefusal('INVALID_EVENT', '"context" of the batch must be an object');
  }

  return {
    items,
    isBatch: true,
    sentAt: body.sentAt,
    context: isObject(context) ? context : undefined,
  };
}

function singleOf(body: JsonObject): EventBatch {
  // A single event's own `sentAt` is read with the event.
  return { items: [body], isBatch: false, sentAt: undefined, context: undefined };
}

function checkEventSizes(items: unknown[], isBatch: boolean, limits: IngestLimits): void {
  for (let index = 0; index < items.length; index++) {
    const bytes = Buffer.byteLength(JSON.stringify(items[index]) ?? '');
    if (bytes <= limits.maxEventBytes) continue;

    const which = isBatch ? `Event ${index} of the batch` : 'The event';
    throw new IngestRefusal(
      'BATCH_TOO_LARGE',
      `${which} is ${formatBytes(bytes)}; the limit is ${formatBytes(limits.maxEventBytes)} per event`,
    );
  }
}

function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/** A plain JSON object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
