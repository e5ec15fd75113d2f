/**
 * Every refusal the gateway documents, over real sockets against a Signal process on a real
 * SQLite file: the status, the exact code in `{"error":{"code","message"}}`, and that the refused
 * request left nothing in the event log and sent nothing to the sandbox.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { ErrorCode } from '../../src/core/error-catalogue.js';
import { PIPELINE_KEY, startHarness, type Harness } from '../support/signal-harness.js';
import {
  DISABLED_KEY,
  EXTRA_PIPELINES,
  FIVE_MB,
  HMAC_SECRET,
  json,
  send,
  signed,
  SIGNED_KEY,
  SITE_ORIGIN,
  THROTTLED_KEY,
  type RawAnswer,
  type RawRequest,
} from './support/gateway-requests.js';

interface Refusal {
  name: string;
  /** Built when the case runs, so timestamps are current. */
  request: () => RawRequest;
  /** Sent just before, to spend the pipeline's rate (each answered a refusal, storing nothing). */
  warmUp?: () => RawRequest;
  status: number;
  code: ErrorCode;
  /** The per-event list a wholly invalid batch answers beside the error. */
  itemErrors?: { index: number; message: RegExp }[];
  /** Headers the answer must carry. */
  headers?: Record<string, RegExp>;
}

const TRACK = { event: 'Signed Up', userId: 'u-1' };
const tinyEvent = (i: number) => ({ type: 'track', event: 'Clicked', userId: `u-${i}` });

const REFUSALS: Refusal[] = [
  {
    name: 'no pipeline key',
    request: () => ({ path: '/v1/t', headers: json(undefined), body: JSON.stringify(TRACK) }),
    status: 401,
    code: 'MISSING_PIPELINE_KEY',
  },
  {
    name: 'an unknown pipeline key',
    request: () => ({
      path: '/v1/t',
      headers: json('dk_test_nobody_has_this_key'),
      body: JSON.stringify(TRACK),
    }),
    status: 401,
    code: 'INVALID_PIPELINE_KEY',
  },
  {
    name: 'an unknown key in the body as writeKey',
    request: () => ({
      path: '/v1/batch',
      headers: json(undefined),
      body: JSON.stringify({ batch: [TRACK], writeKey: 'dk_test_nobody_has_this_key' }),
    }),
    status: 401,
    code: 'INVALID_PIPELINE_KEY',
  },
  {
    name: 'the key of a disabled pipeline',
    request: () => ({ path: '/v1/t', headers: json(DISABLED_KEY), body: JSON.stringify(TRACK) }),
    status: 401,
    code: 'INVALID_PIPELINE_KEY',
  },
  {
    name: 'a pixel with an unknown key',
    request: () => ({ method: 'GET', path: '/v1/pixel/p?key=dk_test_nobody_has_this_key' }),
    status: 401,
    code: 'INVALID_PIPELINE_KEY',
  },
  {
    name: 'malformed JSON',
    request: () => ({ path: '/v1/t', headers: json(PIPELINE_KEY), body: '{"event":"Signed Up",' }),
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    name: 'an empty body',
    request: () => ({ path: '/v1/t', headers: json(PIPELINE_KEY), body: '' }),
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    name: 'a track without its event name',
    request: () => ({ path: '/v1/t', headers: json(PIPELINE_KEY), body: '{"userId":"u-1"}' }),
    status: 400,
    code: 'INVALID_EVENT',
  },
  {
    name: 'a group without its groupId',
    request: () => ({ path: '/v1/g', headers: json(PIPELINE_KEY), body: '{"userId":"u-1"}' }),
    status: 400,
    code: 'INVALID_EVENT',
  },
  {
    name: 'a batch whose every event is invalid',
    request: () => ({
      path: '/v1/batch',
      headers: json(PIPELINE_KEY),
      body: JSON.stringify({ batch: [{ type: 'track', userId: 'u-1' }, { type: 'nope' }] }),
    }),
    status: 400,
    code: 'INVALID_EVENT',
    itemErrors: [
      { index: 0, message: /"event" name/ },
      { index: 1, message: /"type" must be one of/ },
    ],
  },
  {
    name: 'a body sent as XML',
    request: () => ({
      path: '/v1/t',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${PIPELINE_KEY}` },
      body: '<event>Signed Up</event>',
    }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a body in an unsupported Content-Encoding',
    request: () => ({
      path: '/v1/t',
      headers: json(PIPELINE_KEY, { 'content-encoding': 'br' }),
      body: JSON.stringify(TRACK),
    }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a body over 5 MB',
    request: () => ({
      path: '/v1/batch',
      headers: json(PIPELINE_KEY),
      body: Buffer.alloc(FIVE_MB + 1, 0x20),
    }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a gzipped body that inflates beyond 5 MB',
    request: () => ({
      path: '/v1/batch',
      headers: json(PIPELINE_KEY, { 'content-encoding': 'gzip' }),
      body: gzipSync(Buffer.alloc(FIVE_MB + 1, 0x20)),
    }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a batch of 501 events',
    request: () => ({
      path: '/v1/batch',
      headers: json(PIPELINE_KEY),
      body: JSON.stringify({ batch: Array.from({ length: 501 }, (_, i) => tinyEvent(i)) }),
    }),
    status: 400,
    code: 'BATCH_TOO_LARGE',
  },
  {
    name: 'a single event over 64 KB',
    request: () => ({
      path: '/v1/t',
      headers: json(PIPELINE_KEY),
      body: JSON.stringify({ ...TRACK, properties: { blob: 'x'.repeat(65 * 1024) } }),
    }),
    status: 400,
    code: 'BATCH_TOO_LARGE',
  },
  {
    name: 'a batch with one event over 64 KB among valid ones',
    request: () => ({
      path: '/v1/batch',
      headers: json(PIPELINE_KEY),
      body: JSON.stringify({
        batch: [tinyEvent(1), { ...tinyEvent(2), properties: { blob: 'x'.repeat(65 * 1024) } }],
      }),
    }),
    status: 400,
    code: 'BATCH_TOO_LARGE',
  },
  {
    name: 'a page origin outside the allowed origins',
    request: () => ({
      path: '/v1/t',
      headers: json(PIPELINE_KEY, { origin: 'https://evil.example' }),
      body: JSON.stringify(TRACK),
    }),
    status: 403,
    code: 'ORIGIN_NOT_ALLOWED',
  },
  {
    name: 'a preflight from an origin no pipeline allows',
    request: () => ({
      method: 'OPTIONS',
      path: '/v1/t',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    }),
    status: 403,
    code: 'ORIGIN_NOT_ALLOWED',
  },
  {
    name: 'a second request within the second of a one-request-a-second pipeline',
    warmUp: () => ({ path: '/v1/t', headers: json(THROTTLED_KEY), body: '{' }),
    request: () => ({ path: '/v1/t', headers: json(THROTTLED_KEY), body: JSON.stringify(TRACK) }),
    status: 429,
    code: 'RATE_LIMITED',
    headers: { 'retry-after': /^[1-9]\d*$/ },
  },
  {
    name: 'a server event without signature headers',
    request: () => signed('none', TRACK),
    status: 401,
    code: 'INVALID_SIGNATURE',
  },
  {
    name: 'a server event signed with another secret',
    request: () => signed('wrong-secret', TRACK),
    status: 401,
    code: 'INVALID_SIGNATURE',
  },
  {
    name: 'a server event signed six minutes ago',
    request: () => signed('stale', TRACK),
    status: 401,
    code: 'INVALID_SIGNATURE',
  },
  {
    name: 'a server event for a pipeline without an HMAC secret',
    request: () => ({ path: '/v1/events', headers: json(PIPELINE_KEY), body: '{}' }),
    status: 403,
    code: 'HMAC_NOT_CONFIGURED',
  },
  {
    name: 'an unknown gateway route',
    request: () => ({ path: '/v1/x', headers: json(PIPELINE_KEY), body: JSON.stringify(TRACK) }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'an unknown route outside the gateway',
    request: () => ({ method: 'GET', path: '/no/such/page' }),
    status: 404,
    code: 'NOT_FOUND',
  },
];

const KEYS = [PIPELINE_KEY, SIGNED_KEY, DISABLED_KEY, THROTTLED_KEY, HMAC_SECRET];

function assertErrorShape(answer: RawAnswer, refusal: Refusal): void {
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  const { error } = body as { error: { code: unknown; message: unknown } };

  assert.deepEqual(Object.keys(body), refusal.itemErrors ? ['error', 'errors'] : ['error']);
  assert.deepEqual(Object.keys(error), ['code', 'message']);
  assert.equal(error.code, refusal.code);
  assert.equal(typeof error.message, 'string');
  assert.ok((error.message as string).length > 0, 'the message is empty');
  for (const secret of KEYS) assert.ok(!answer.body.includes(secret), `echoed ${secret}`);
}

function assertItemErrors(answer: RawAnswer, expected: Refusal['itemErrors']): void {
  if (expected === undefined) return;

  const { errors } = JSON.parse(answer.body) as { errors: { index: number; message: string }[] };
  assert.deepEqual(
    errors.map((item) => item.index),
    expected.map((item) => item.index),
  );
  expected.forEach((item, i) => assert.match(errors[i]!.message, item.message));
}

describe('every documented refusal of the gateway over real HTTP', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness({ allowedOrigins: [SITE_ORIGIN] });
    for (const extra of EXTRA_PIPELINES) await harness.signal.store.upsertPipeline(extra);
  });

  after(async () => {
    await harness.close();
  });

  for (const refusal of REFUSALS) {
    it(`answers ${refusal.status} ${refusal.code} to ${refusal.name}, storing nothing`, async () => {
      const warmUp = refusal.warmUp ? await send(harness.signal.url, refusal.warmUp()) : undefined;

      const answer = await send(harness.signal.url, refusal.request());

      assert.notEqual(warmUp?.status, 200, 'the warm-up request must not store anything');
      assert.equal(answer.status, refusal.status, answer.body);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      assertErrorShape(answer, refusal);
      assertItemErrors(answer, refusal.itemErrors);
      for (const [name, pattern] of Object.entries(refusal.headers ?? {})) {
        assert.match(String(answer.headers[name]), pattern, name);
      }
      assert.deepEqual(await harness.signal.store.readEvents(0, 10), []);
      assert.deepEqual(harness.sandbox.requests(), []);
    });
  }
});
