/**
 * Authentication as at Actito: `GET /auth/token` takes the raw API key in `Authorization` (no
 * prefix) and returns a short-lived bearer token; every other call sends `Bearer <token>`.
 */
import { apiError, type ApiResult } from './api-result.js';
import type { ApiRoute } from './api-routes.js';
import type { ApiKey } from './model.js';
import type { SandboxState } from './sandbox-state.js';

export type Caller = { ok: true; key: ApiKey } | { ok: false; failure: ApiResult };

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const PREFIXED = /^(Bearer|Basic)\s/i;

/**
 * Who is calling: the API key itself on the token route, the key a token was issued to on
 * data routes. Resolved before the handler runs so licence limits can apply to the caller.
 */
export function resolveCaller(
  state: SandboxState,
  route: ApiRoute,
  authorization: string | undefined,
  nowMs: number,
): Caller {
  if (authorization === undefined || authorization.trim() === '') {
    return unauthorized('missing Authorization header');
  }

  if (route.name === 'token') {
    const key = state.model.keys.get(authorization.trim());
    if (key !== undefined) return { ok: true, key };
    return unauthorized(
      PREFIXED.test(authorization)
        ? 'unknown API key (send the raw key, without a Bearer or Basic prefix)'
        : 'unknown API key',
    );
  }

  const match = BEARER.exec(authorization);
  if (match?.[1] === undefined) {
    return unauthorized('expected "Authorization: Bearer <access token>" from /auth/token');
  }

  const grant = state.tokens.verify(match[1], nowMs);
  if (grant === 'expired') return unauthorized('access token expired');
  if (grant === undefined) return unauthorized('access token is invalid or revoked');
  return { ok: true, key: grant.key };
}

/** `GET /auth/token`: issues a token to an already resolved key. */
export function exchangeToken(state: SandboxState, key: ApiKey, nowMs: number): ApiResult {
  const { token, grant } = state.tokens.issue(key, nowMs);
  state.stats.tokenExchanges += 1;

  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      accessToken: token,
      tokenType: 'bearer',
      expiresIn: `${state.tokenLifetimeSeconds}s`,
      scope: scopeOf(key),
      jti: grant.jti,
    },
  };
}

/** A readable summary of the key's rights, e.g. `demo/*:write`; Actito's own is opaque. */
function scopeOf(key: ApiKey): string {
  return key.config.rights
    .map((r) => `${r.entity}/${r.table}:${r.write ? 'write' : 'read'}`)
    .join(' ');
}

function unauthorized(message: string): Caller {
  return { ok: false, failure: apiError(401, message) };
}
