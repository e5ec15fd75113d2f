import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PermanentDeliveryError, TransientDeliveryError } from '../../core/errors.js';
import { HttpFailure, type HttpResponse } from '../../deliver/http-client.js';
import { parseExpiresIn } from './auth.js';
import {
  classifyFailure,
  classifyResponse,
  parseRetryAfter,
  type ClassifyContext,
} from './outcome.js';

const ctx: ClassifyContext = {
  call: 'profile',
  auth: 'api_key',
  entity: 'demo',
  profileTable: 'Profiles',
  secrets: ['the-api-key-123', 'the-token-456'],
};

function response(status: number, body = '', headers: Record<string, string> = {}): HttpResponse {
  return { status, body, headers, latencyMs: 1 };
}

describe('classifyResponse', () => {
  it('treats every 2xx as success', () => {
    assert.equal(classifyResponse(response(200), ctx), undefined);
    assert.equal(classifyResponse(response(201), ctx), undefined);
    assert.equal(classifyResponse(response(204), ctx), undefined);
  });

  it('retries 408, 429 and 5xx later with their codes', () => {
    const codes = [408, 429, 500, 502, 503].map((status) => {
      const error = classifyResponse(response(status), ctx);
      assert.ok(error instanceof TransientDeliveryError);
      return error.code;
    });

    assert.deepEqual(codes, [
      'VENDOR_TIMEOUT',
      'VENDOR_RATE_LIMITED',
      'VENDOR_SERVER_ERROR',
      'VENDOR_SERVER_ERROR',
      'VENDOR_SERVER_ERROR',
    ]);
  });

  it('gives up on statuses it does not know, quoting the body', () => {
    const error = classifyResponse(response(409, ' conflict '), ctx);

    assert.ok(error instanceof PermanentDeliveryError);
    assert.equal(error.code, 'VENDOR_UNEXPECTED');
    assert.equal(error.message, 'unexpected answer from Actito: HTTP 409 — Actito said: conflict');
    assert.equal(error.vendorBody, 'conflict');
  });

  it('scrubs our secrets from a vendor body that echoes them', () => {
    const error = classifyResponse(response(400, '{"bad":"the-token-456"}'), ctx);

    assert.equal(error?.vendorBody, '{"bad":"****"}');
    assert.equal(error?.message.includes('the-token-456'), false);
  });

  it('reads a 404 from the token endpoint as a wrong host, not a wrong table', () => {
    const error = classifyResponse(response(404), { ...ctx, call: 'token' });

    assert.equal(error?.code, 'VENDOR_NOT_FOUND');
    assert.equal(error?.message, 'no Actito token endpoint at this API host: check api_host');
  });

  it('cuts a long vendor body in the message but keeps it whole on the error', () => {
    const body = 'x'.repeat(1_000);

    const error = classifyResponse(response(400, body), ctx);

    assert.equal(error?.vendorBody, body);
    assert.ok((error?.message.length ?? 0) < 450);
  });
});

describe('classifyFailure', () => {
  it('turns a timeout into VENDOR_TIMEOUT and a connection error into VENDOR_UNREACHABLE', () => {
    const timeout = classifyFailure(new HttpFailure('timeout', 'no answer within 5 ms', 5));
    const refused = classifyFailure(new HttpFailure('connection', 'connection failed: x', 1));

    assert.equal(timeout.code, 'VENDOR_TIMEOUT');
    assert.equal(refused.code, 'VENDOR_UNREACHABLE');
    assert.ok(timeout instanceof TransientDeliveryError);
    assert.ok(refused instanceof TransientDeliveryError);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    assert.equal(parseRetryAfter('120'), 120_000);
    assert.equal(parseRetryAfter(' 0 '), 0);
  });

  it('reads an HTTP date relative to now, and a past date as zero', () => {
    const now = Date.parse('2025-01-01T10:00:00Z');

    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 09:00:00 GMT', now), 0);
  });

  it('ignores an absent or unreadable value', () => {
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter('-5'), undefined);
  });
});

describe('parseExpiresIn', () => {
  it('reads Actito’s "900s", a bare number of seconds, and a numeric string', () => {
    assert.equal(parseExpiresIn('900s'), 900_000);
    assert.equal(parseExpiresIn(60), 60_000);
    assert.equal(parseExpiresIn('30'), 30_000);
  });

  it('assumes fifteen minutes when the lifetime is absent or unreadable', () => {
    assert.equal(parseExpiresIn(undefined), 900_000);
    assert.equal(parseExpiresIn('PT15M'), 900_000);
    assert.equal(parseExpiresIn(-1), 900_000);
  });
});
