/**
 * Every stable error code Signal answers or records, with its HTTP status and what it means.
 * Codes are part of the public API: clients and dashboards match on them, so a code is never
 * renamed or reused for another meaning.
 */
export const ERROR_CATALOGUE = {
  // Ingestion gateway
  INVALID_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  INVALID_EVENT: { status: 400, description: 'An event lacks a required field or has a bad one.' },
  BATCH_TOO_LARGE: { status: 400, description: 'A batch exceeds the event-count or size limit.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body exceeds the size limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The body is not sent as JSON.' },
  MISSING_PIPELINE_KEY: { status: 401, description: 'No pipeline key was sent.' },
  INVALID_PIPELINE_KEY: { status: 401, description: 'The pipeline key is unknown or revoked.' },
  INVALID_SIGNATURE: { status: 401, description: 'The HMAC signature or timestamp is wrong.' },
  HMAC_NOT_CONFIGURED: {
    status: 403,
    description: 'The pipeline has no HMAC secret, so it accepts no signed server events.',
  },
  ORIGIN_NOT_ALLOWED: { status: 403, description: 'The page origin is not allowed.' },
  NOT_FOUND: { status: 404, description: 'No such route or resource.' },
  RATE_LIMITED: { status: 429, description: 'Too many requests; retry after `Retry-After`.' },
  STORE_UNAVAILABLE: { status: 503, description: 'Events cannot be stored durably right now.' },
  INTERNAL: { status: 500, description: 'An unexpected error; the logs have the details.' },

  // Configuration
  INVALID_CONFIG: { status: 422, description: 'A configuration value is missing or invalid.' },

  // Management API
  UNAUTHENTICATED: {
    status: 401,
    description: 'No valid session: sign in, or send a current access token.',
  },
  INVALID_CREDENTIALS: { status: 401, description: 'The e-mail address or password is wrong.' },
  FORBIDDEN: { status: 403, description: 'Your role does not allow this action.' },
  CSRF_REJECTED: {
    status: 403,
    description: 'A change signed in by cookie lacks the `X-Requested-With: signal-ui` header.',
  },
  CONFLICT: { status: 409, description: 'The change clashes with the current state.' },
  VALIDATION_FAILED: { status: 422, description: 'A request field is missing or invalid.' },

  // Delivery (recorded on attempts and dead letters, shown in the debugger)
  VENDOR_TIMEOUT: { status: 504, description: 'The vendor did not answer in time.' },
  VENDOR_UNREACHABLE: { status: 502, description: 'The vendor could not be reached.' },
  VENDOR_RATE_LIMITED: { status: 429, description: 'The vendor asked us to slow down.' },
  VENDOR_SERVER_ERROR: { status: 502, description: 'The vendor failed on its side.' },
  VENDOR_AUTH_REJECTED: { status: 401, description: 'The vendor rejected our credentials.' },
  VENDOR_FORBIDDEN: { status: 403, description: 'The vendor user lacks the needed right.' },
  VENDOR_NOT_FOUND: { status: 404, description: 'The vendor does not know the target.' },
  VENDOR_REJECTED_PAYLOAD: { status: 400, description: 'The vendor refused the payload.' },
  VENDOR_UNEXPECTED: { status: 502, description: 'The vendor answered in an unexpected way.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
