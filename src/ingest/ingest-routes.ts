/**
 * The ingestion gateway's HTTP routes. The composing server registers them with
 * `await registerIngestRoutes(app, deps)` (or `app.register(registerIngestRoutes, deps)`); they
 * live in their own encapsulated scope, so their body parsers and error answers do not leak into
 * the server's other routes. Two things are server-wide: the 404 answer (our error shape, for
 * every unknown route), and `trustProxy`, which the server sets and which decides whether
 * `X-Forwarded-For` / `X-Forwarded-Proto` are believed. Create the server with request logging
 * disabled (`logController: new LogController({ disableRequestLogging: true })`): the pixel's URL
 * carries the pipeline key, and per-request info lines cost throughput.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawServerDefault,
} from 'fastify';
import { SignalError } from '../core/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';
import {
  admit,
  findPipeline,
  refuse,
  storeEvents,
  UNKNOWN_PIPELINE,
  type IngestContext,
  type IngestRoute,
} from './accept-events.js';
import { sendPreflight } from './cors.js';
import { parseJsonBody, readEventBatch, type JsonBody } from './event-batch.js';
import { IngestRefusal, JSON_CONTENT_TYPE, sendError, sendRefusal } from './ingest-error.js';
import { resolveIngestLimits, type IngestLimits } from './ingest-limits.js';
import { pixelEvent, pixelKey, pixelType, sendPixel, type PixelQuery } from './pixel.js';
import { keyFromAuthorization, keyFromBody } from './pipeline-key.js';
import { PipelineCache } from './pipeline-cache.js';
import { RateLimiter } from './rate-limiter.js';

/** What the gateway needs from the composing server. */
export interface IngestDeps {
  store: Store;
  metrics: Metrics;
  logger: Logger;
  limits?: Partial<IngestLimits>;
  /** The server clock; tests pass a fixed one. */
  now?: () => Date;
}

const POST_ROUTES: Readonly<Record<string, IngestRoute>> = {
  '/v1/t': { name: 'track', type: 'track', shape: 'single', signed: false, browser: true },
  '/v1/p': { name: 'page', type: 'page', shape: 'single', signed: false, browser: true },
  '/v1/i': { name: 'identify', type: 'identify', shape: 'single', signed: false, browser: true },
  '/v1/g': { name: 'group', type: 'group', shape: 'single', signed: false, browser: true },
  '/v1/batch': { name: 'batch', type: undefined, shape: 'batch', signed: false, browser: true },
  '/v1/events': { name: 'events', type: undefined, shape: 'either', signed: true, browser: false },
};

const PIXEL_PATH = '/v1/pixel/:type';
const PIXEL_ROUTE: IngestRoute = {
  name: 'pixel',
  type: undefined,
  shape: 'single',
  signed: false,
  browser: true,
};

const SUCCESS_BODY = '{"success":true}';

/** What the composing server may ask of the gateway once its routes are registered. */
export interface IngestGateway {
  /**
   * Forgets the pipeline keys it looked up, so that a key revoked or a pipeline disabled through
   * this process is refused at once rather than when its cache entry expires.
   */
  forgetPipelines(): void;
}

/** Registers `POST /v1/{t,p,i,g,batch,events}`, `GET /v1/pixel/:type` and their preflights. */
export function registerIngestRoutes<AppLogger extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, AppLogger>,
  deps: IngestDeps,
): IngestGateway {
  const limits = resolveIngestLimits(deps.limits);
  const context: IngestContext = {
    store: deps.store,
    metrics: deps.metrics,
    log: deps.logger.child({ module: 'ingest' }),
    limits,
    now: deps.now ?? (() => new Date()),
    pipelines: new PipelineCache(deps.store, limits.keyCacheTtlMs, limits.keyCacheMaxEntries),
    limiter: new RateLimiter(),
    received: new Map(),
  };

  // Not awaited: the scope loads with the server's other plugins, whether this function is
  // called directly on the server or registered as a plugin.
  void app.register(async (scope) => {
    // Our parser keeps the raw bytes: `/v1/events` signs them, and the collector sends JSON as
    // text/plain so that browsers skip the CORS preflight and `sendBeacon` works.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['application/json', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: limits.maxBodyBytes },
      (_request, body, done) => done(null, body),
    );
    scope.setErrorHandler((error: FastifyError, _request, reply) =>
      answerFrameworkError(context, reply, error),
    );
    scope.setNotFoundHandler((request, reply) =>
      sendRefusal(
        reply,
        'NOT_FOUND',
        `There is no route ${request.method} ${request.url.split('?')[0]}`,
      ),
    );

    for (const [path, route] of Object.entries(POST_ROUTES)) {
      scope.post(path, { bodyLimit: limits.maxBodyBytes }, postHandler(context, route));
      scope.options(path, preflightHandler(context, route));
    }

    // A HEAD request must not record a pixel view.
    scope.get(PIXEL_PATH, { exposeHeadRoute: false }, pixelHandler(context));
    scope.options(PIXEL_PATH, preflightHandler(context, PIXEL_ROUTE));
  });

  return { forgetPipelines: () => context.pipelines.forget() };
}

function postHandler(context: IngestContext, route: IngestRoute) {
  const latency = context.metrics.ingestLatency.labels(route.name);

  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    // Fastify's `reply.elapsedTime` reads 0 on a server without a logger, as Signal runs it.
    const observeLatency = latency.startTimer();
    let pipelineId = UNKNOWN_PIPELINE;
    let events = 1;

    try {
      const receivedAt = context.now();
      const nowMs = receivedAt.getTime();

      // The header key is checked before the body is parsed; only a body key needs the parse.
      let body: JsonBody | undefined;
      let key = keyFromAuthorization(request.headers.authorization);
      if (key === undefined) {
        body = parseBody(context, request);
        key = keyFromBody(body.value);
      }

      const known = await findPipeline(context, key, nowMs, route);
      pipelineId = known.pipeline.id;
      admit(context, request, reply, known, nowMs, route);

      body ??= parseBody(context, request);
      const batch = readEventBatch(body.value, route.shape, body.bytes, context.limits);
      events = batch.items.length;

      const outcome = await storeEvents(context, request, reply, known, batch, receivedAt, route);

      const answer =
        outcome.errors === undefined
          ? SUCCESS_BODY
          : JSON.stringify({ success: true, accepted: outcome.accepted, errors: outcome.errors });
      return reply.code(200).type(JSON_CONTENT_TYPE).send(answer);
    } catch (error) {
      return refuse(context, reply, error, pipelineId, events, route);
    } finally {
      observeLatency();
    }
  };
}

function parseBody(context: IngestContext, request: FastifyRequest): JsonBody {
  const rawBody = Buffer.isBuffer(request.body) ? request.body : undefined;

  return parseJsonBody(rawBody, request.headers['content-encoding'], context.limits.maxBodyBytes);
}

function pixelHandler(context: IngestContext) {
  const latency = context.metrics.ingestLatency.labels(PIXEL_ROUTE.name);

  return async (
    request: FastifyRequest<{ Params: { type: string }; Querystring: PixelQuery }>,
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    const observeLatency = latency.startTimer();
    let pipelineId = UNKNOWN_PIPELINE;

    try {
      const receivedAt = context.now();
      const key = keyFromAuthorization(request.headers.authorization) ?? pixelKey(request.query);

      const known = await findPipeline(context, key, receivedAt.getTime(), PIXEL_ROUTE);
      pipelineId = known.pipeline.id;
      admit(context, request, reply, known, receivedAt.getTime(), PIXEL_ROUTE);

      const type = pixelType(request.params.type);
      const event = pixelEvent(request.query, type, request.headers.referer);
      const batch = { items: [event], isBatch: false, sentAt: undefined, context: undefined };
      await storeEvents(context, request, reply, known, batch, receivedAt, PIXEL_ROUTE);

      return sendPixel(reply);
    } catch (error) {
      return refuse(context, reply, error, pipelineId, 1, PIXEL_ROUTE);
    } finally {
      observeLatency();
    }
  };
}

/**
 * A preflight carries no key, so it is allowed when any enabled pipeline allows the origin; the
 * real request is then held to its own pipeline's list.
 */
function preflightHandler(context: IngestContext, route: IngestRoute) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const origin = request.headers.origin;
    if (origin === undefined) return reply.code(204).header('allow', 'GET, POST, OPTIONS').send();

    let allowed: boolean;
    try {
      allowed = await context.pipelines.allowsOriginAnywhere(origin, context.now().getTime());
    } catch (error) {
      context.log.error({ err: error, route: route.name }, 'pipeline list failed; answered 503');
      const refusal = new IngestRefusal(
        'STORE_UNAVAILABLE',
        'Pipelines cannot be read right now; retry shortly',
        { retryAfterSeconds: 1 },
      );
      return sendError(reply, refusal);
    }

    if (!allowed) {
      return sendRefusal(reply, 'ORIGIN_NOT_ALLOWED', `The origin ${origin} is not allowed`);
    }

    return sendPreflight(reply, origin, request.headers['access-control-request-headers']);
  };
}

/** Refusals Fastify raises before our handlers run: body size, content type, broken bodies. */
function answerFrameworkError(
  context: IngestContext,
  reply: FastifyReply,
  error: FastifyError,
): FastifyReply {
  const refusal = frameworkRefusal(context, error);
  context.metrics.eventsRejected.inc({ pipeline: UNKNOWN_PIPELINE, code: refusal.code });

  return sendError(reply, refusal);
}

function frameworkRefusal(context: IngestContext, error: FastifyError): SignalError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const megabytes = context.limits.maxBodyBytes / (1024 * 1024);
      return new SignalError(
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than ${megabytes} MB; send the events in smaller batches`,
      );
    }

    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new SignalError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the body as JSON with Content-Type application/json or text/plain',
      );
  }

  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new SignalError('INVALID_JSON', 'The request body could not be read as JSON');
  }

  context.log.error({ err: error }, 'unexpected error before an ingest handler ran');
  return new SignalError(
    'INTERNAL',
    'An unexpected error stopped the request and nothing was stored; the server logs have the details',
  );
}
