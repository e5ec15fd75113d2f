/**
 * Who may call what. Every request to the Management API passes `checkAccess` first: it finds the
 * route in the operation table (a route missing there is refused, never left open), reads the
 * session from `Authorization: Bearer` or the `signal_session` cookie, applies the CSRF rule to
 * cookie-authenticated changes, and the operation's role.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_OPERATIONS, toRoutePath, type AdminOperation } from '../api-operations.js';
import { AdminRequestError, sendError } from '../http/admin-error.js';
import { ADMIN_PREFIX } from '../openapi.js';
import type { Authenticated, Sessions } from './sessions.js';

export const SESSION_COOKIE = 'signal_session';
/** Browsers let a page add this header only to same-origin requests (or after a CORS grant). */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'signal-ui';

export interface RequestAuth extends Authenticated {
  token: string;
  via: 'bearer' | 'cookie' | 'query';
}

const OPERATIONS = new Map(
  ADMIN_OPERATIONS.map((operation) => [
    `${operation.method} ${ADMIN_PREFIX}${toRoutePath(operation.path)}`,
    operation,
  ]),
);

const AUTH = new WeakMap<FastifyRequest, RequestAuth>();

/** The signed-in caller of a request that passed `checkAccess`. */
export function authOf(request: FastifyRequest): RequestAuth {
  const auth = AUTH.get(request);
  if (!auth) throw new AdminRequestError('UNAUTHENTICATED', 'Sign in first.');

  return auth;
}

/** For the WebSocket route, which answers a missing session itself (close code 4401). */
export function optionalAuthOf(request: FastifyRequest): RequestAuth | undefined {
  return AUTH.get(request);
}

export function operationOf(request: FastifyRequest): AdminOperation | undefined {
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  return OPERATIONS.get(`${method} ${request.routeOptions.url ?? ''}`);
}

/** The `onRequest` hook of the admin scope. */
export function accessHook(sessions: Sessions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // An unknown path: let the scope's 404 answer.
    if (request.routeOptions.url === undefined) return;

    const operation = operationOf(request);
    if (!operation) {
      await sendError(reply, forbidden('This route is not part of the API contract.'));
      return;
    }
    if (operation.access === 'public') return;

    const upgrade = request.headers.upgrade?.toLowerCase() === 'websocket';
    const auth = await authenticate(request, sessions, upgrade);
    if (auth) AUTH.set(request, auth);
    // The WebSocket route closes the connection itself: a browser sees no HTTP status there.
    if (upgrade) return;

    const refusal = refusalFor(request, operation, auth);
    if (refusal) await sendError(reply, refusal);
  };
}

function refusalFor(
  request: FastifyRequest,
  operation: AdminOperation,
  auth: RequestAuth | undefined,
): AdminRequestError | undefined {
  if (!auth) {
    return new AdminRequestError(
      'UNAUTHENTICATED',
      'Sign in first: send a current access token (Authorization: Bearer) or the session cookie.',
    );
  }

  const change = request.method !== 'GET' && request.method !== 'HEAD';
  if (change && auth.via === 'cookie' && request.headers[CSRF_HEADER] !== CSRF_VALUE) {
    return new AdminRequestError(
      'CSRF_REJECTED',
      `Changes made with the session cookie need the header "X-Requested-With: ${CSRF_VALUE}".`,
    );
  }

  if (operation.access === 'admin' && auth.user.role !== 'admin') {
    return forbidden('Only an admin may do this; your role is viewer.');
  }

  return undefined;
}

async function authenticate(
  request: FastifyRequest,
  sessions: Sessions,
  upgrade: boolean,
): Promise<RequestAuth | undefined> {
  const found = tokenOf(request, upgrade);
  if (!found) return undefined;

  const checked = await sessions.check(found.token);
  return checked ? { ...checked, ...found } : undefined;
}

/**
 * The bearer header wins over the cookie. A token in the query string is accepted only for the
 * WebSocket, where browsers cannot set headers; elsewhere it would end up in access logs.
 */
function tokenOf(
  request: FastifyRequest,
  upgrade: boolean,
): { token: string; via: RequestAuth['via'] } | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) return { token: bearer, via: 'bearer' };

  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) return { token: cookie, via: 'cookie' };

  const query = (request.query as Record<string, unknown>).access_token;
  if (upgrade && typeof query === 'string' && query !== '') return { token: query, via: 'query' };

  return undefined;
}

function forbidden(message: string): AdminRequestError {
  return new AdminRequestError('FORBIDDEN', message);
}
