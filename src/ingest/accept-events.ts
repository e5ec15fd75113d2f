/**
 * The steps every ingest request goes through, in order: find the pipeline of the key, admit the
 * request (origin, rate limit, signature), normalise its events and store them durably. A step
 * that refuses throws an `IngestRefusal`; `refuse` answers it and counts it.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventType } from '../core/envelope.js';
import { SignalError } from '../core/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';
import type { EventToAppend } from '../store/types.js';
import { isOriginAllowed, setCorsHeaders } from './cors.js';
import type { BodyShape, EventBatch } from './event-batch.js';
import { IngestRefusal, sendError, type ItemError } from './ingest-error.js';
import type { IngestLimits } from './ingest-limits.js';
import { normaliseEvent, readSentAt, type RequestFacts } from './normalise-event.js';
import { isPlausibleKey } from './pipeline-key.js';
import type { KnownPipeline, PipelineCache } from './pipeline-cache.js';
import type { RateLimiter } from './rate-limiter.js';
import { verifySignature } from './signature.js';
import { isSecureRequest, readVisitorId, visitorCookie } from './visitor-cookie.js';

/** The metrics label of a request refused before its pipeline was known. */
export const UNKNOWN_PIPELINE = 'unknown';

/** What an ingest route accepts and how it treats the request. */
export interface IngestRoute {
  /** Metrics label and log field. */
  name: string;
  /** Type of events without one (`/v1/t` → track). */
  type: EventType | undefined;
  shape: BodyShape;
  /** Server sources: HMAC signature required. */
  signed: boolean;
  /** Browser-facing: visitor cookie, and `userAgent` / `ip` from the request. */
  browser: boolean;
}

/** Everything the steps share, built once per registration. */
export interface IngestContext {
  store: Store;
  metrics: Metrics;
  log: Logger;
  limits: IngestLimits;
  now: () => Date;
  pipelines: PipelineCache;
  limiter: RateLimiter;
  /** `eventsReceived` children by pipeline id, so the hot path skips label hashing. */
  received: Map<string, { inc(value?: number): void }>;
}

/** The pipeline of `key`; throws 401 when it is missing, unknown, revoked or disabled. */
export async function findPipeline(
  context: IngestContext,
  key: string | undefined,
  nowMs: number,
  route: IngestRoute,
): Promise<KnownPipeline> {
  if (key === undefined) {
    throw new IngestRefusal(
      'MISSING_PIPELINE_KEY',
      'Send the pipeline key as "Authorization: Bearer <key>", as the Basic auth user name, ' +
        'or as "writeKey" in the body ("key" in a pixel\'s query)',
    );
  }

  let known: KnownPipeline | undefined;
  try {
    known = isPlausibleKey(key) ? await context.pipelines.find(key, nowMs) : undefined;
  } catch (error) {
    context.log.error({ err: error, route: route.name }, 'pipeline lookup failed; answered 503');
    throw storeUnavailable(error);
  }

  if (known === undefined || !known.pipeline.enabled) {
    throw new IngestRefusal(
      'INVALID_PIPELINE_KEY',
      'The pipeline key is unknown, revoked or disabled',
    );
  }

  return known;
}

/** Origin allow-list, rate limit and, on signed routes, the HMAC signature. */
export function admit(
  context: IngestContext,
  request: FastifyRequest,
  reply: FastifyReply,
  known: KnownPipeline,
  nowMs: number,
  route: IngestRoute,
): void {
  const { pipeline } = known;

  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (!isOriginAllowed(known.origins, origin)) {
      throw new IngestRefusal(
        'ORIGIN_NOT_ALLOWED',
        `The origin ${origin} is not in this pipeline's allowed origins`,
      );
    }
    setCorsHeaders(reply, origin);
  }

  const waitSeconds = context.limiter.take(pipeline.id, pipeline.rateLimitPerSecond, nowMs);
  if (waitSeconds > 0) {
    throw new IngestRefusal(
      'RATE_LIMITED',
      `This pipeline accepts ${pipeline.rateLimitPerSecond} requests per second; ` +
        `retry after ${waitSeconds} s`,
      { retryAfterSeconds: waitSeconds },
    );
  }

  if (route.signed) checkSignature(context, request, pipeline.hmacSecret, nowMs);
}

function checkSignature(
  context: IngestContext,
  request: FastifyRequest,
  secret: string | undefined,
  nowMs: number,
): void {
  if (secret === undefined || secret === '') {
    throw new IngestRefusal(
      'HMAC_NOT_CONFIGURED',
      'This pipeline has no HMAC secret, so it accepts no signed server events; set one on the pipeline',
    );
  }

  const signature = request.headers['x-signature'];
  const timestamp = request.headers['x-timestamp'];
  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  verifySignature(
    secret,
    {
      signature: typeof signature === 'string' ? signature : undefined,
      timestamp: typeof timestamp === 'string' ? timestamp : undefined,
      rawBody,
    },
    nowMs,
    context.limits.maxClockSkewMs,
  );
}

/** How many events were stored, and why the others were not. */
export interface StoreOutcome {
  accepted: number;
  errors: ItemError[] | undefined;
}

/**
 * Normalises the batch's events and appends the valid ones in one call; resolves once they are
 * durable. Throws 400 when none is valid and 503 when the store cannot write.
 */
export async function storeEvents(
  context: IngestContext,
  request: FastifyRequest,
  reply: FastifyReply,
  known: KnownPipeline,
  batch: EventBatch,
  receivedAt: Date,
  route: IngestRoute,
): Promise<StoreOutcome> {
  const pipelineId = known.pipeline.id;
  const cookieVisitorId = route.browser ? readVisitorId(request.headers.cookie) : undefined;
  const newVisitorId = route.browser && cookieVisitorId === undefined ? randomUUID() : undefined;
  const facts: RequestFacts = {
    routeType: route.type,
    receivedAtMs: receivedAt.getTime(),
    receivedAt: receivedAt.toISOString(),
    sentAtMs: readSentAt(batch.sentAt),
    batchContext: batch.context,
    cookieVisitorId,
    newVisitorId,
    // Browsers send `Origin` with every POST; server libraries do not.
    newVisitorForUsers: request.headers.origin !== undefined,
    userAgent: route.browser ? request.headers['user-agent'] : undefined,
    ip: route.browser ? request.ip : undefined,
  };

  const events: EventToAppend[] = [];
  let errors: ItemError[] | undefined;
  for (let index = 0; index < batch.items.length; index++) {
    const event = normaliseEvent(batch.items[index], facts);
    if (typeof event === 'string') (errors ??= []).push({ index, message: event });
    else events.push({ pipelineId, event });
  }

  if (events.length === 0) throw noneValid(errors ?? [], batch.isBatch);

  await append(context, events, pipelineId, route);

  receivedCounter(context, pipelineId).inc(events.length);
  if (errors !== undefined) {
    context.metrics.eventsRejected.inc(
      { pipeline: pipelineId, code: 'INVALID_EVENT' },
      errors.length,
    );
  }

  const visitorId = cookieVisitorId ?? newVisitorId;
  if (visitorId !== undefined) {
    reply.header('set-cookie', visitorCookie(visitorId, isSecureRequest(request)));
  }

  return { accepted: events.length, errors };
}

async function append(
  context: IngestContext,
  events: EventToAppend[],
  pipelineId: string,
  route: IngestRoute,
): Promise<void> {
  try {
    await context.store.appendEvents(events);
  } catch (error) {
    context.log.error(
      { err: error, pipelineId, route: route.name, events: events.length },
      'events could not be stored; answered 503 so the client retries',
    );
    throw storeUnavailable(error);
  }
}

/** Answers a refusal (or, for anything unexpected, a logged 500) and counts it. */
export function refuse(
  context: IngestContext,
  reply: FastifyReply,
  error: unknown,
  pipelineId: string,
  events: number,
  route: IngestRoute,
): FastifyReply {
  let refusal: SignalError;
  if (error instanceof SignalError) refusal = error;
  else {
    context.log.error({ err: error, route: route.name }, 'unexpected error while accepting events');
    refusal = new SignalError(
      'INTERNAL',
      'An unexpected error stopped the request and nothing was stored; the server logs have the details',
    );
  }

  context.metrics.eventsRejected.inc({ pipeline: pipelineId, code: refusal.code }, events);

  return sendError(reply, refusal);
}

function noneValid(errors: ItemError[], isBatch: boolean): IngestRefusal {
  const firstMessage = errors[0]?.message ?? 'the event is invalid';
  if (!isBatch) return new IngestRefusal('INVALID_EVENT', firstMessage);

  const more = errors.length > 1 ? ` (and ${errors.length - 1} more, listed in "errors")` : '';
  return new IngestRefusal(
    'INVALID_EVENT',
    `No event of the batch was accepted: event ${errors[0]?.index ?? 0}: ${firstMessage}${more}`,
    { itemErrors: errors },
  );
}

function storeUnavailable(cause: unknown): IngestRefusal {
  return new IngestRefusal(
    'STORE_UNAVAILABLE',
    'The events could not be stored right now and were not accepted; retry shortly',
    { retryAfterSeconds: 1, cause },
  );
}

function receivedCounter(
  context: IngestContext,
  pipelineId: string,
): { inc(value?: number): void } {
  let counter = context.received.get(pipelineId);
  if (counter === undefined) {
    counter = context.metrics.eventsReceived.labels(pipelineId);
    context.received.set(pipelineId, counter);
  }

  return counter;
}
