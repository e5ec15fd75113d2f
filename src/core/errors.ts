/**
 * The error ladder. Every error that crosses a module boundary is a `SignalError` with a stable
 * code from the catalogue below; the subclass says what the caller must do with it.
 */
import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';

export class SignalError extends Error {
  readonly code: ErrorCode;
  /** HTTP status when the error is answered to a client. */
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options?.status ?? ERROR_CATALOGUE[code].status;
  }
}

/** Malformed or unacceptable input from a client: answered with a 4xx, nothing is stored. */
export class InvalidInputError extends SignalError {}

/** A configuration that cannot work (missing field, bad URL): refused when it is saved or loaded. */
export class ConfigError extends SignalError {}

/** The store could not do its work durably: the caller must not acknowledge anything. */
export class StoreUnavailableError extends SignalError {}

/** Base of the delivery rungs: a vendor call that did not succeed. */
export class DeliveryError extends SignalError {
  /** Vendor HTTP status, when the vendor answered. */
  readonly vendorStatus: number | undefined;
  /** The vendor's response body, trimmed; never contains our secrets. */
  readonly vendorBody: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: { vendorStatus?: number; vendorBody?: string; cause?: unknown } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.vendorStatus = details.vendorStatus;
    this.vendorBody = details.vendorBody;
  }
}

/** Try again later (timeouts, 429, 5xx, connection errors); `retryAfterMs` when the vendor said. */
export class TransientDeliveryError extends DeliveryError {
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: { vendorStatus?: number; vendorBody?: string; cause?: unknown; retryAfterMs?: number },
  ) {
    super(code, message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Retrying unchanged is useless: the delivery goes to the dead letter with this hint. */
export class PermanentDeliveryError extends DeliveryError {}
