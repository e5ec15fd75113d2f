/**
 * The first-party visitor cookie `_dfid`: a random UUID v4 that identifies a browser across
 * visits. It is set by the gateway (not by script), so it is `HttpOnly` and survives browsers'
 * caps on script-written cookies; every answer renews it to the 400-day maximum browsers allow.
 */
import type { FastifyRequest } from 'fastify';

/** Name of the first-party visitor cookie. */
export const VISITOR_COOKIE = '_dfid';

/** 400 days, the longest lifetime browsers honour. */
export const VISITOR_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

const COOKIE_PATTERN = /(?:^|;)\s*_dfid=([^;\s]*)/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const LOOPBACK_HOST = /^(?:localhost|.+\.localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** The visitor id of a `Cookie` header; a value that is not a UUID v4 counts as absent. */
export function readVisitorId(cookieHeader: string | undefined): string | undefined {
  if (cookieHeader === undefined) return undefined;

  const value = COOKIE_PATTERN.exec(cookieHeader)?.[1];
  return value !== undefined && UUID_V4.test(value) ? value.toLowerCase() : undefined;
}

/** The `Set-Cookie` value that (re)sets the visitor cookie to `visitorId`. */
export function visitorCookie(visitorId: string, secure: boolean): string {
  const lifetime = `Max-Age=${VISITOR_COOKIE_MAX_AGE_SECONDS}`;
  const cookie = `${VISITOR_COOKIE}=${visitorId}; ${lifetime}; Path=/; HttpOnly; SameSite=Lax`;

  return secure ? `${cookie}; Secure` : cookie;
}

/**
 * The cookie is `Secure` except over plain http to a loopback host, where a developer runs the
 * gateway without TLS. `request.protocol` honours `X-Forwarded-Proto` only when the server was
 * created with `trustProxy`.
 */
export function isSecureRequest(request: FastifyRequest): boolean {
  return request.protocol === 'https' || !LOOPBACK_HOST.test(request.hostname);
}
