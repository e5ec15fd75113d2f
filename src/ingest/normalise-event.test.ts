import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SignalEvent } from '../core/envelope.js';
import { normaliseEvent, type RequestFacts } from './normalise-event.js';

const RECEIVED_MS = Date.UTC(2025, 5, 1, 12, 0, 0);

function facts(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return {
    routeType: undefined,
    receivedAtMs: RECEIVED_MS,
    receivedAt: new Date(RECEIVED_MS).toISOString(),
    sentAtMs: undefined,
    batchContext: undefined,
    cookieVisitorId: undefined,
    newVisitorId: undefined,
    newVisitorForUsers: false,
    userAgent: undefined,
    ip: undefined,
    ...overrides,
  };
}

function accepted(result: SignalEvent | string): SignalEvent {
  assert.equal(typeof result, 'object', `refused: ${String(result)}`);
  return result as SignalEvent;
}

describe('normaliseEvent', () => {
  it('keeps the client timestamp as UTC ISO 8601 when there is no sentAt', () => {
    const event = accepted(
      normaliseEvent(
        { type: 'page', anonymousId: 'a', timestamp: '2025-06-01T13:59:00+02:00' },
        facts(),
      ),
    );

    assert.equal(event.timestamp, '2025-06-01T11:59:00.000Z');
  });

  it('corrects a skewed client clock with the batch sentAt', () => {
    // The client's clock is a day ahead; the event happened 30 s before sending.
    const clientSentAt = RECEIVED_MS + 86_400_000;

    const event = accepted(
      normaliseEvent(
        {
          type: 'page',
          anonymousId: 'a',
          timestamp: new Date(clientSentAt - 30_000).toISOString(),
        },
        facts({ sentAtMs: clientSentAt }),
      ),
    );

    assert.equal(event.timestamp, new Date(RECEIVED_MS - 30_000).toISOString());
  });

  it('ignores an unreadable sentAt rather than refusing the event', () => {
    const event = accepted(
      normaliseEvent(
        { type: 'page', anonymousId: 'a', timestamp: '2025-06-01T11:00:00Z', sentAt: 'soon' },
        facts(),
      ),
    );

    assert.equal(event.timestamp, '2025-06-01T11:00:00.000Z');
  });

  it('refuses an unreadable timestamp, naming it', () => {
    const result = normaliseEvent(
      { type: 'page', anonymousId: 'a', timestamp: 'yesterday' },
      facts(),
    );

    assert.equal(result, '"timestamp" must be an ISO 8601 date');
  });

  it('refuses an event with neither userId nor anonymousId', () => {
    const result = normaliseEvent({ type: 'track', event: 'Orphan' }, facts());

    assert.equal(result, 'an event requires a "userId" or an "anonymousId"');
  });

  it('refuses an id that is neither a string nor a number', () => {
    const result = normaliseEvent({ type: 'page', userId: { id: 1 } }, facts());

    assert.equal(result, '"userId" must be a string or a number');
  });

  it('refuses a context field of the wrong type, naming it', () => {
    const result = normaliseEvent(
      { type: 'page', anonymousId: 'a', context: { page: 'https://shop.example/' } },
      facts(),
    );

    assert.equal(result, '"context.page" must be an object');
  });

  it('merges the batch context under the event context', () => {
    const event = accepted(
      normaliseEvent(
        { type: 'page', anonymousId: 'a', context: { locale: 'de-DE' } },
        facts({ batchContext: { locale: 'en-GB', library: { name: 'lib' } } }),
      ),
    );

    assert.deepEqual(event.context, { locale: 'de-DE', library: { name: 'lib' } });
  });

  it('keeps a client-given IP and user agent over the request ones', () => {
    const event = accepted(
      normaliseEvent(
        { type: 'page', anonymousId: 'a', context: { ip: '203.0.113.9', userAgent: 'App/2' } },
        facts({ ip: '10.0.0.1', userAgent: 'node' }),
      ),
    );

    assert.equal(event.context.ip, '203.0.113.9');
    assert.equal(event.context.userAgent, 'App/2');
  });

  it('requires previousId and userId on an alias call', () => {
    const refused = normaliseEvent({ type: 'alias', userId: 'u' }, facts());
    const event = accepted(normaliseEvent({ type: 'alias', userId: 'u', previousId: 7 }, facts()));

    assert.equal(refused, 'alias event requires a "previousId"');
    assert.equal(event.previousId, '7');
  });

  it('keeps traits off track calls, where Segment sends them only as context', () => {
    const event = accepted(
      normaliseEvent(
        { type: 'track', event: 'Viewed', userId: 'u', context: { traits: { plan: 'pro' } } },
        facts(),
      ),
    );

    assert.deepEqual(event.traits, {});
    assert.deepEqual(event.context.traits, { plan: 'pro' });
  });
});
