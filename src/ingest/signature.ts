/**
 * HMAC signatures of server sources on `/v1/events`: `X-Signature: sha256=<hex>` is
 * HMAC-SHA256, keyed with the pipeline's secret, of `X-Timestamp + "." + rawBody`, where
 * `X-Timestamp` is the sending time in Unix milliseconds. The timestamp bounds replays of a
 * captured request to the allowed clock skew.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { IngestRefusal } from './ingest-error.js';

const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP_PATTERN = /^\d{1,15}$/;

/** The parts of a request its signature covers or carries. */
export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  /** The body exactly as sent: still compressed when the request has a `Content-Encoding`. */
  rawBody: Buffer;
}

/** The signature a sender computes; exported for tests and for server-side senders. */
export function signBody(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');

  return `sha256=${digest}`;
}

/** Throws 401 INVALID_SIGNATURE unless the request is signed with `secret` within `maxSkewMs`. */
export function verifySignature(
  secret: string,
  request: SignedRequest,
  nowMs: number,
  maxSkewMs: number,
): void {
  const { signature, timestamp, rawBody } = request;
  if (signature === undefined || timestamp === undefined) {
    throw refusal('Signed requests need the X-Signature and X-Timestamp headers');
  }

  if (!TIMESTAMP_PATTERN.test(timestamp)) {
    throw refusal('X-Timestamp must be the sending time in Unix milliseconds');
  }

  if (Math.abs(nowMs - Number(timestamp)) > maxSkewMs) {
    const minutes = Math.round(maxSkewMs / 60_000);
    throw refusal(
      `X-Timestamp is more than ${minutes} minutes away from the server clock; check the sender's clock`,
    );
  }

  const given = SIGNATURE_PATTERN.exec(signature)?.[1];
  if (given === undefined) throw refusal('X-Signature must be "sha256=" and 64 hex digits');

  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();

  // Both are 32 bytes here; the comparison takes the same time wherever they differ.
  if (!timingSafeEqual(Buffer.from(given, 'hex'), expected)) {
    throw refusal('The signature does not match the body; sign X-Timestamp + "." + the raw body');
  }
}

function refusal(message: string): IngestRefusal {
  return new IngestRefusal('INVALID_SIGNATURE', message);
}
