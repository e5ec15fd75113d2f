/**
 * What an emulated endpoint answers, before the server adds recording and delays.
 */

export interface ApiResult {
  status: number;
  /** JSON body; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * An error answer. Actito's error body shape is undocumented, so this small JSON is the
 * sandbox's own (`source` says so); clients must rely on the status only. Messages never
 * contain an API key or a token.
 */
export function apiError(
  status: number,
  message: string,
  headers?: Record<string, string>,
): ApiResult {
  const result: ApiResult = { status, body: { status, message, source: 'actito-sandbox' } };
  if (headers !== undefined) result.headers = headers;
  return result;
}
