/**
 * Sends one request through the shared HttpClient and appends a record of it, safe to store and
 * show: credential headers masked, known secrets scrubbed from bodies and error text, and the
 * issued access token cut out of a token response.
 *
 * Vendor-neutral; it lives here until a second vendor needs it, then belongs in `src/deliver/`.
 */
import {
  HttpFailure,
  maskHeaders,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type RecordedExchange,
} from '../../deliver/http-client.js';
import { MASK, scrubSecrets } from '../../core/secret-text.js';

/** Field names of a JSON response whose values are credentials. */
const SECRET_BODY_FIELDS = new Set(['accessToken', 'access_token', 'refreshToken', 'id_token']);

export interface RecordedSendOptions {
  /** Values that must not appear in the record (the API key, tokens). */
  secrets: readonly string[];
  /** Where the record goes; one array per delivery. */
  exchanges: RecordedExchange[];
  /**
   * The success body carries a credential (a token exchange): its credential fields are masked,
   * and a body that cannot be read as JSON is withheld entirely rather than risk it.
   */
  responseHoldsSecret?: boolean;
}

/**
 * Sends `req` and records it. Resolves with the real, unmasked response; rejects with the
 * client's `HttpFailure` when no answer came (recorded too).
 */
export async function recordedSend(
  http: HttpClient,
  req: HttpRequest,
  options: RecordedSendOptions,
): Promise<HttpResponse> {
  const at = new Date().toISOString();
  const request = {
    method: req.method,
    url: req.url,
    headers: maskHeaders(req.headers),
    ...(req.body === undefined ? {} : { body: scrubSecrets(req.body, options.secrets) }),
  };

  try {
    const res = await http.send(req);

    const body = scrubSecrets(recordableBody(res, options), options.secrets);
    options.exchanges.push({
      request,
      response: { status: res.status, body },
      latencyMs: res.latencyMs,
      at,
    });
    return res;
  } catch (error) {
    const latencyMs = error instanceof HttpFailure ? error.latencyMs : 0;
    const message = error instanceof Error ? error.message : String(error);

    options.exchanges.push({
      request,
      error: scrubSecrets(message, options.secrets),
      latencyMs,
      at,
    });
    throw error;
  }
}

function recordableBody(res: HttpResponse, options: RecordedSendOptions): string {
  const masked = maskSecretFields(res.body);
  const succeeded = res.status >= 200 && res.status < 300;

  if (options.responseHoldsSecret && succeeded && masked === undefined) {
    return '[token response withheld]';
  }
  return masked ?? res.body;
}

/**
 * A JSON object body with its credential fields masked (unchanged when it has none), or
 * undefined when the body is not a JSON object.
 */
function maskSecretFields(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }

  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;

  const fields = parsed as Record<string, unknown>;
  if (!Object.keys(fields).some((name) => SECRET_BODY_FIELDS.has(name))) return body;

  const masked = Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      name,
      SECRET_BODY_FIELDS.has(name) ? MASK : value,
    ]),
  );
  return JSON.stringify(masked);
}
