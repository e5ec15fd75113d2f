/**
 * The Management API over fetch. The session lives in the HttpOnly `signal_session` cookie set at
 * login, so the UI never holds a token; every change carries the CSRF header the API requires
 * of cookie-authenticated writes.
 */

export const API_BASE = '/v1/admin';

const CSRF_HEADER = { 'X-Requested-With': 'signal-ui' };

/** An answer other than 2xx, with the API's stable code and, for 422, the offending field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let onUnauthenticated: () => void = () => {};

/** Called when a request answers 401: the session expired or was revoked. */
export function whenSignedOut(handler: () => void): void {
  onUnauthenticated = handler;
}

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') Object.assign(headers, CSRF_HEADER);
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  const response = await fetch(API_BASE + path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(signal ? { signal } : {}),
  });

  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) return payload as T;

  const error = readError(response.status, payload);
  if (response.status === 401 && !path.startsWith('/auth/login')) onUnauthenticated();
  throw error;
}

function readError(status: number, payload: unknown): ApiError {
  const error =
    typeof payload === 'object' && payload !== null && 'error' in payload
      ? (payload as { error: { code?: string; message?: string; field?: string } }).error
      : undefined;
  return new ApiError(
    status,
    error?.code ?? `HTTP_${status}`,
    error?.message ?? `The server answered ${status}.`,
    error?.field,
  );
}

export const get = <T>(path: string, signal?: AbortSignal) =>
  request<T>('GET', path, undefined, signal);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);

/** `?a=1&b=2` from the defined members of `query`. */
export function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A message for a person from anything a request can throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof DOMException && error.name === 'AbortError') return '';
  if (error instanceof TypeError) return 'The server could not be reached. Is Signal running?';
  return error instanceof Error ? error.message : String(error);
}
