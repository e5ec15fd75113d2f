/**
 * Errors of the Management API and how they are answered: always `{"error":{"code","message"}}`
 * (plus `field` when a request field is to blame), with the catalogue's HTTP status.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../core/error-catalogue.js';
import { ConfigError, SignalError } from '../../core/errors.js';
import type { Logger } from '../../observability/logger.js';

/** A request the API refuses, optionally naming the field at fault. */
export class AdminRequestError extends SignalError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Sent as `Retry-After` (a 429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
  }
}

export function notFound(what: string): AdminRequestError {
  return new AdminRequestError('NOT_FOUND', `${what} does not exist`);
}

export function invalid(field: string, problem: string): AdminRequestError {
  return new AdminRequestError('VALIDATION_FAILED', `${field} ${problem}`, field);
}

/**
 * A `ConfigError` from the shared validators, answered as 422. Their messages start with the
 * path of the value (`config.entity is required`, `mappings: global[2].target: ...`), which is
 * also returned as `field` so the UI can point at it.
 */
export function fromConfigError(error: ConfigError): AdminRequestError {
  const path = /^((?:[A-Za-z_][\w-]*|\[[^\]]*\])(?:\.[A-Za-z_][\w-]*|\[[^\]]*\])*)[: ]/.exec(
    error.message,
  )?.[1];
  // A vendor's own parser names the setting after the prefix: "config: entity is required".
  const setting =
    path === 'config' ? /^config: ([a-z][a-z0-9_]*) /.exec(error.message)?.[1] : undefined;

  return new AdminRequestError(
    'VALIDATION_FAILED',
    error.message,
    setting ? `config.${setting}` : path,
  );
}

export function sendError(reply: FastifyReply, error: SignalError): FastifyReply {
  const field = error instanceof AdminRequestError ? error.field : undefined;
  const retryAfter = error instanceof AdminRequestError ? error.retryAfterSeconds : undefined;
  if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));

  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send({
      error: { code: error.code, message: error.message, ...(field ? { field } : {}) },
    });
}

/** The scope's error handler: our errors as they are, framework errors mapped, the rest 500. */
export function answerError(
  logger: Logger,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof ConfigError) return sendError(reply, fromConfigError(error));
  if (error instanceof SignalError) return sendError(reply, error);

  const status = (error as Partial<FastifyError> | undefined)?.statusCode;
  const mapped = frameworkError(status);
  if (mapped) return sendError(reply, mapped);

  logger.error({ err: error, method: request.method, route: request.routeOptions.url }, 'admin');
  return sendError(reply, new SignalError('INTERNAL', 'An unexpected error; see the server log.'));
}

function frameworkError(status: number | undefined): SignalError | undefined {
  switch (status) {
    case 400:
      return new SignalError('INVALID_JSON', 'The request body is not valid JSON.');
    case 413:
      return new SignalError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
    case 415:
      return new SignalError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
    default:
      return undefined;
  }
}
