/**
 * What an Actito answer means for the delivery: each status becomes a rung of the error ladder
 * with a stable code and a message a person can act on (the seed's troubleshooting table).
 * Secrets never reach a message: vendor bodies are scrubbed of them before they are kept.
 */
import {
  PermanentDeliveryError,
  TransientDeliveryError,
  type DeliveryError,
} from '../../core/errors.js';
import type { HttpFailure, HttpResponse } from '../../deliver/http-client.js';
import { scrubSecrets } from '../../core/secret-text.js';

/** Which call answered: the token exchange, the profile write, or the table-structure check. */
export type ActitoCall = 'token' | 'profile' | 'structure';

/** How the call was authorised, which decides what a 401 means. */
export type ActitoAuth = 'api_key' | 'access_token';

export interface ClassifyContext {
  call: ActitoCall;
  auth: ActitoAuth;
  entity: string;
  profileTable: string;
  /** Values that must never appear in an error (the API key, the tokens). */
  secrets: readonly string[];
}

export const API_KEY_REJECTED = 'API key rejected: check api_key and the API host';
export const ACCESS_TOKEN_REJECTED =
  'access_token rejected: preview access tokens expire after 15 minutes; production needs the ' +
  'api_key (leave access_token blank so Signal exchanges the key)';

/** The advice for every "not found": Actito compares entity and table names exactly. */
export const NAMES_ARE_CASE_SENSITIVE =
  'Copy entity and profile_table exactly as the Actito Dashboard shows them: names are case-sensitive.';

/** Longest part of Actito's body quoted in a message; the error keeps the whole trimmed body. */
const MAX_QUOTED_BODY = 300;

/** The error a non-2xx answer stands for, or undefined when the call succeeded. */
export function classifyResponse(
  res: HttpResponse,
  ctx: ClassifyContext,
  now = Date.now(),
): DeliveryError | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;

  const vendorBody = scrubSecrets(res.body.trim(), ctx.secrets);
  const details = { vendorStatus: res.status, vendorBody };
  const target = `${ctx.entity}/${ctx.profileTable}`;

  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    return transientFor(res, details, now);
  }

  switch (res.status) {
    case 401: {
      const message = ctx.auth === 'access_token' ? ACCESS_TOKEN_REJECTED : API_KEY_REJECTED;
      return new PermanentDeliveryError('VENDOR_AUTH_REJECTED', message, details);
    }

    case 403: {
      return new PermanentDeliveryError('VENDOR_FORBIDDEN', forbiddenMessage(ctx), details);
    }

    case 404: {
      // A 404 from the token endpoint says nothing about the entity: the host is not Actito's.
      const message =
        ctx.call === 'token'
          ? 'no Actito token endpoint at this API host: check api_host'
          : `entity or profile_table not found (names are case-sensitive): ${target}`;
      return new PermanentDeliveryError('VENDOR_NOT_FOUND', message, details);
    }

    case 400: {
      const quoted = quote(vendorBody);
      const message =
        ctx.call === 'profile'
          ? `payload rejected: an attribute is not in the table or email is missing${quoted}`
          : `request rejected by Actito${quoted}`;
      return new PermanentDeliveryError('VENDOR_REJECTED_PAYLOAD', message, details);
    }

    default:
      return new PermanentDeliveryError(
        'VENDOR_UNEXPECTED',
        `unexpected answer from Actito: HTTP ${res.status}${quote(vendorBody)}`,
        details,
      );
  }
}

/** A call that got no answer: always worth retrying later. */
export function classifyFailure(failure: HttpFailure): TransientDeliveryError {
  if (failure.kind === 'timeout') {
    return new TransientDeliveryError(
      'VENDOR_TIMEOUT',
      `Actito did not answer: ${failure.message}`,
      {
        cause: failure,
      },
    );
  }

  return new TransientDeliveryError(
    'VENDOR_UNREACHABLE',
    `Actito could not be reached (check api_host): ${failure.message}`,
    { cause: failure },
  );
}

/**
 * `Retry-After` in milliseconds: either delay-seconds or an HTTP date. Undefined when absent or
 * unreadable; a date in the past reads as 0 (retry now).
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;

  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;

  // An HTTP date always names its day and month; anything else (`-5`) is not one, even though
  // Date.parse would read it as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;

  return Math.max(0, date - now);
}

function transientFor(
  res: HttpResponse,
  details: { vendorStatus: number; vendorBody: string },
  now: number,
): TransientDeliveryError {
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now);
  const withRetry = { ...details, retryAfterMs };

  if (res.status === 408) {
    return new TransientDeliveryError('VENDOR_TIMEOUT', 'Actito timed out (HTTP 408)', withRetry);
  }
  if (res.status === 429) {
    const message = 'Actito rate limit reached (HTTP 429): over 5 concurrent calls or the quota';
    return new TransientDeliveryError('VENDOR_RATE_LIMITED', message, withRetry);
  }

  return new TransientDeliveryError(
    'VENDOR_SERVER_ERROR',
    `Actito server error (HTTP ${res.status})`,
    withRetry,
  );
}

function forbiddenMessage(ctx: ClassifyContext): string {
  const grant = 'grant write permission in the Actito portal';

  switch (ctx.call) {
    case 'token':
      return 'API user may not obtain an access token: check the API user in the Actito portal';
    case 'structure':
      return `API user has no right on entity ${ctx.entity}: ${grant} on ${ctx.entity}/${ctx.profileTable}`;
    case 'profile':
      return `API user lacks write access on ${ctx.entity}/${ctx.profileTable}: ${grant}`;
  }
}

function quote(body: string): string {
  if (body === '') return '';

  const short = body.length > MAX_QUOTED_BODY ? `${body.slice(0, MAX_QUOTED_BODY)}…` : body;
  return ` — Actito said: ${short}`;
}

/** What a person should do about an error, for the "Test connection" answer and the dead letter. */
export function troubleshootingHint(error: DeliveryError, auth: ActitoAuth): string {
  switch (error.code) {
    case 'VENDOR_AUTH_REJECTED':
      return auth === 'access_token'
        ? 'Clear access_token (preview tokens last 15 minutes) and save the api_key instead.'
        : 'Re-check the api_key value, and that api_host is the host of your licence: a valid ' +
            'key is rejected on another host.';
    case 'VENDOR_FORBIDDEN':
      return 'In the Actito portal, grant the API user write permission on this entity and table.';
    case 'VENDOR_NOT_FOUND':
      return NAMES_ARE_CASE_SENSITIVE;
    case 'VENDOR_REJECTED_PAYLOAD':
      return 'Confirm every mapped attribute exists in the profile table and that email is mapped.';
    case 'VENDOR_UNREACHABLE':
      return 'Check api_host and that this server can reach it (DNS, firewall, proxy).';
    case 'VENDOR_TIMEOUT':
      return 'Actito did not answer in time: try again, or raise timeout_ms.';
    case 'VENDOR_RATE_LIMITED':
      return 'Actito allows 5 concurrent calls per licence: wait a moment and try again.';
    case 'VENDOR_SERVER_ERROR':
      return 'Actito is having trouble on its side: try again later.';
    default:
      return 'Check that api_host points at the Actito API of your licence.';
  }
}
