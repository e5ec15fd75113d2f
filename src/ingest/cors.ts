/**
 * CORS for the collector's pages, per pipeline. A pipeline's `allowedOrigins` holds full origins
 * (`https://shop.example`), bare hosts (`shop.example`, any scheme) or `*` (any origin). Allowed
 * origins are echoed with credentials, so the `_dfid` cookie travels with `fetch(..., {
 * credentials: 'include' })`; requests without an `Origin` header (servers) are never refused.
 */
import type { FastifyReply } from 'fastify';

/** A pipeline's allow-list, compiled once per cache fill so a request only does set lookups. */
export interface OriginPolicy {
  any: boolean;
  origins: Set<string>;
  hosts: Set<string>;
}

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'Content-Type, Authorization, X-Signature, X-Timestamp';
/** Browsers cap this (Chrome at 2 hours); 10 minutes lets a changed allow-list apply soon. */
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** Compiles `allowedOrigins` entries: full origins, bare hosts, or `*`. */
export function compileOriginPolicy(allowedOrigins: readonly string[]): OriginPolicy {
  const policy: OriginPolicy = { any: false, origins: new Set(), hosts: new Set() };

  for (const entry of allowedOrigins) {
    const value = entry.trim().toLowerCase().replace(/\/+$/, '');
    if (value === '*') policy.any = true;
    else if (value.includes('://')) policy.origins.add(originOf(value));
    else if (value.length > 0) policy.hosts.add(value);
  }

  return policy;
}

/** Whether the page at `origin` (the `Origin` header) may send to a pipeline with `policy`. */
export function isOriginAllowed(policy: OriginPolicy, origin: string): boolean {
  if (policy.any) return true;

  const value = origin.toLowerCase();
  if (policy.origins.has(value)) return true;

  const schemeEnd = value.indexOf('://');
  return schemeEnd !== -1 && policy.hosts.has(value.slice(schemeEnd + 3));
}

/** Headers that let the page at `origin` read the answer, cookie included. */
export function setCorsHeaders(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-allow-credentials', 'true');
  reply.header('vary', 'Origin');
}

/** Answers an allowed preflight: 204 with the methods and the headers the page asked for. */
export function sendPreflight(
  reply: FastifyReply,
  origin: string,
  requestedHeaders: string | undefined,
): FastifyReply {
  setCorsHeaders(reply, origin);
  reply.header('vary', 'Origin, Access-Control-Request-Headers');
  reply.header('access-control-allow-methods', ALLOWED_METHODS);
  reply.header('access-control-allow-headers', requestedHeaders ?? DEFAULT_ALLOWED_HEADERS);
  reply.header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);

  return reply.code(204).send();
}

/** `https://Shop.example:443/path` → `https://shop.example`; left as is when it does not parse. */
function originOf(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return value;
  }
}
