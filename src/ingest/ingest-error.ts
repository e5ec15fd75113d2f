/**
 * How the gateway refuses a request: a coded error answered as
 * `{"error":{"code":"...","message":"..."}}`. Messages are written for the person reading them
 * and never repeat a pipeline key, a secret or any part of the body.
 */
import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../core/error-catalogue.js';
import { InvalidInputError, SignalError } from '../core/errors.js';

/** One refused event of a batch, by its position in the request. */
export interface ItemError {
  index: number;
  message: string;
}

/** A refusal answered to the client; `retryAfterSeconds` becomes a `Retry-After` header. */
export class IngestRefusal extends InvalidInputError {
  readonly retryAfterSeconds: number | undefined;
  readonly itemErrors: ItemError[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: { retryAfterSeconds?: number; itemErrors?: ItemError[]; cause?: unknown } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.itemErrors = details.itemErrors;
  }
}

/** Content type of every JSON answer of the gateway. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Answers `error` in the gateway's error shape, with its status and, if any, `Retry-After`. */
export function sendError(reply: FastifyReply, error: SignalError): FastifyReply {
  const body: { error: { code: string; message: string }; errors?: ItemError[] } = {
    error: { code: error.code, message: error.message },
  };

  if (error instanceof IngestRefusal) {
    if (error.itemErrors !== undefined) body.errors = error.itemErrors;
    if (error.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(error.retryAfterSeconds));
    }
  }

  return reply.code(error.status).type(JSON_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Answers a refusal built on the spot. */
export function sendRefusal(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return sendError(reply, new SignalError(code, message));
}
