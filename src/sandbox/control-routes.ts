/**
 * `/__sandbox/...`: the programmatic controls over HTTP, for other processes (benchmarks,
 * manual tries). Exempt from licence limits and faults, and never recorded.
 */
import { apiError, type ApiResult } from './api-result.js';
import type { RequestBody } from './profile-handlers.js';
import { FaultSettingsError, SandboxNotFoundError } from './sandbox-errors.js';
import type { SandboxState } from './sandbox-state.js';

type Handler = (state: SandboxState, query: Record<string, string>, body: RequestBody) => ApiResult;

const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  '/__sandbox/profiles': { GET: listProfiles },
  '/__sandbox/requests': {
    GET: (state) => ({ status: 200, body: { requests: state.recorder.list() } }),
    DELETE: (state) => {
      state.recorder.clear();
      return { status: 204 };
    },
  },
  '/__sandbox/reset': {
    POST: (state) => {
      state.reset();
      return { status: 204 };
    },
  },
  '/__sandbox/faults': {
    GET: (state) => ({ status: 200, body: state.faults.current() }),
    PUT: setFaults,
  },
  '/__sandbox/tokens/revoke': {
    POST: (state) => {
      state.tokens.revokeAll();
      return { status: 204 };
    },
  },
  '/__sandbox/stats': { GET: (state) => ({ status: 200, body: { ...state.stats } }) },
};

/** Answers a control request. */
export function handleControl(
  state: SandboxState,
  method: string,
  pathname: string,
  query: Record<string, string>,
  body: RequestBody,
): ApiResult {
  const methods = ROUTES[pathname];
  if (methods === undefined) return apiError(404, 'unknown sandbox control route');

  const handler = methods[method];
  if (handler === undefined) {
    return apiError(405, `method ${method} not allowed`, {
      allow: Object.keys(methods).join(', '),
    });
  }
  return handler(state, query, body);
}

function listProfiles(state: SandboxState, query: Record<string, string>): ApiResult {
  const { entity, table } = query;
  if (entity === undefined || table === undefined) {
    return apiError(400, 'query parameters "entity" and "table" are required');
  }

  try {
    return { status: 200, body: { profiles: state.profiles(entity, table) } };
  } catch (error) {
    // Only a name the configuration lacks is a 404; anything else is a bug and must show as one.
    if (error instanceof SandboxNotFoundError) return apiError(error.status, error.message);
    throw error;
  }
}

function setFaults(
  state: SandboxState,
  _query: Record<string, string>,
  body: RequestBody,
): ApiResult {
  if (!body.json) return apiError(400, 'the body is not valid JSON');

  try {
    state.faults.set(body.value);
  } catch (error) {
    if (error instanceof FaultSettingsError) return apiError(error.status, error.message);
    throw error;
  }
  return { status: 200, body: state.faults.current() };
}
