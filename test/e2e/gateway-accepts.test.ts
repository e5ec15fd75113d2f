/**
 * What the gateway accepts beside its refusals, over real sockets: a batch with some invalid
 * events stores the valid ones, and a correctly signed server event is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PIPELINE_KEY, startHarness, type Harness } from '../support/signal-harness.js';
import { EXTRA_PIPELINES, json, send, signed } from './support/gateway-requests.js';

describe('a batch with some invalid events over real HTTP', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
    await harness.signal.store.upsertPipeline(EXTRA_PIPELINES[0]!);
  });

  after(async () => {
    await harness.close();
  });

  it('stores the valid events and lists the others by index', async () => {
    const batch = [
      { type: 'identify', userId: 'ok-1', traits: { email: 'ok-1@example.com' } },
      { type: 'track', userId: 'bad-1' },
      { type: 'track', event: 'Clicked', userId: 'ok-2' },
      'not an event',
    ];

    const answer = await send(harness.signal.url, {
      path: '/v1/batch',
      headers: json(PIPELINE_KEY),
      body: JSON.stringify({ batch }),
    });

    assert.equal(answer.status, 200);
    const body = JSON.parse(answer.body) as {
      success: boolean;
      accepted: number;
      errors: { index: number; message: string }[];
    };
    assert.deepEqual(Object.keys(body), ['success', 'accepted', 'errors']);
    assert.equal(body.success, true);
    assert.equal(body.accepted, 2);
    assert.deepEqual(
      body.errors.map((error) => error.index),
      [1, 3],
    );
    assert.match(body.errors[0]!.message, /"event" name/);
    assert.match(body.errors[1]!.message, /JSON object/);
    const stored = await harness.signal.store.readEvents(0, 10);
    assert.deepEqual(
      stored.filter(({ pipelineId }) => pipelineId === 'web').map(({ event }) => event.userId),
      ['ok-1', 'ok-2'],
    );
  });

  it('accepts a correctly signed server event: the refusals are about the signature', async () => {
    const answer = await send(
      harness.signal.url,
      signed('valid', { type: 'identify', userId: 'srv-1', traits: { plan: 'pro' } }),
    );

    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body), { success: true });
    // The answer comes only once the event is durable, so it is in the log already.
    const stored = await harness.signal.store.readEvents(0, 10);
    const event = stored.find(({ pipelineId }) => pipelineId === 'signed')?.event;
    assert.equal(event?.userId, 'srv-1');
    assert.deepEqual(event?.traits, { plan: 'pro' });
  });
});
