/**
 * The path of one emulated Actito call, in order:
 * route (404/405) → injected error → `Accept` (406) → caller (401) → licence concurrency (429)
 * → body (413) → calls-per-minute slow-down and fault latency → the endpoint's own checks and
 * work → stall.
 *
 * Everything up to admission needs only the request line and headers, so a request takes its
 * concurrency slot on arrival and holds it while its body uploads.
 *
 * Injected errors come first so they cost nothing and behave the same whatever the request.
 * Rejected calls (401, 429) do not count against the minute's budget: they do no work.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { exchangeToken, resolveCaller, type Caller } from './auth-handlers.js';
import { apiError, type ApiResult } from './api-result.js';
import { callKindOf, matchRoute, type ApiRoute } from './api-routes.js';
import type { ApiKey } from './model.js';
import { deleteProfile, readProfile, writeProfile, type RequestBody } from './profile-handlers.js';
import { MAX_BODY_BYTES, type LazyBody, type ReadBody } from './request-body.js';
import type { SandboxState } from './sandbox-state.js';
import { getProfileTable, listEntities, listProfileTables } from './structure-handlers.js';

export interface ApiRequest {
  method: string;
  pathname: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Read only once the request is admitted. */
  body: LazyBody;
}

/** Answers one call to the emulated API. `signal` aborts pending waits when the sandbox closes. */
export async function handleApiRequest(
  state: SandboxState,
  request: ApiRequest,
  signal: AbortSignal,
): Promise<ApiResult> {
  const match = matchRoute(request.method, request.pathname);
  if (match.kind === 'bad-path') return apiError(400, 'malformed percent-encoding in path');
  if (match.kind === 'not-found') return apiError(404, 'unknown route');
  if (match.kind === 'method-not-allowed') {
    return apiError(405, `method ${request.method} not allowed`, { allow: match.allow });
  }
  const { route } = match;

  const rule = state.faults.pick(callKindOf(route));
  if (rule !== undefined) {
    const headers =
      rule.retryAfterSeconds === undefined
        ? undefined
        : { 'retry-after': String(rule.retryAfterSeconds) };
    return apiError(rule.status, 'injected fault (sandbox fault injection)', headers);
  }

  if (!acceptsJson(request.headers.accept)) {
    return apiError(406, 'this API only produces application/json');
  }

  const nowMs = Date.now();
  const caller = resolveCaller(state, route, request.headers.authorization, nowMs);
  const limiter = caller.ok ? caller.key.licence.limiter : undefined;
  if (limiter !== undefined && !limiter.tryAcquire()) {
    state.stats.rejectedConcurrency += 1;
    return apiError(429, 'too many concurrent requests for this licence');
  }

  try {
    if (limiter !== undefined && limiter.inFlight > state.stats.maxConcurrent) {
      state.stats.maxConcurrent = limiter.inFlight;
    }

    const body = await request.body();

    const wait = (limiter?.countCall(nowMs) ?? 0) + state.faults.latencyMs;
    if (wait > 0) await sleep(wait, undefined, { signal });

    const result = answer(state, caller, route, body, request);

    // The work is done but the answer is held: a client that times out here must not assume
    // that nothing was written.
    if (state.faults.stallMs > 0) await sleep(state.faults.stallMs, undefined, { signal });
    return result;
  } finally {
    limiter?.release();
  }
}

/** The answer once the body is in: the caller's rejection, a 413, or the endpoint's own. */
function answer(
  state: SandboxState,
  caller: Caller,
  route: ApiRoute,
  body: ReadBody,
  request: ApiRequest,
): ApiResult {
  if (!caller.ok) return caller.failure;

  if (body.raw === 'too-large') {
    return apiError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  return dispatch(state, caller.key, route, body.parsed, request);
}

function dispatch(
  state: SandboxState,
  key: ApiKey,
  route: ApiRoute,
  body: RequestBody,
  request: ApiRequest,
): ApiResult {
  switch (route.name) {
    case 'token':
      return exchangeToken(state, key, Date.now());
    case 'profiles':
      return writeProfile(state, key, route, request.query, body);
    case 'profile':
      return request.method === 'DELETE' ? deleteProfile(key, route) : readProfile(key, route);
    case 'entities':
      return listEntities(key);
    case 'tables':
      return listProfileTables(key, route.entity);
    case 'table':
      return getProfileTable(key, route.entity, route.tableRef);
  }
}

/** JSON, `application/*`, `*\/*` or no `Accept` at all; anything else is answered 406. */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;

  return accept.split(',').some((part) => {
    const type = (part.split(';')[0] ?? '').trim().toLowerCase();
    return (
      type === 'application/json' ||
      type === 'application/*' ||
      type === '*/*' ||
      type.endsWith('+json')
    );
  });
}
