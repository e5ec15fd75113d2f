import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Trace } from '../../observability/trace.js';
import { MessageIndex } from './message-index.js';

function received(messageId: string, userId: string, email?: string): Trace {
  return {
    stage: 'received',
    at: '2025-01-01T00:00:00.000Z',
    pipelineId: 'web',
    messageIds: [messageId],
    detail: { event: { type: 'identify', userId, traits: email ? { email } : {} } },
  };
}

describe('MessageIndex', () => {
  it("fills in a later event's e-mail from the same user's identify", () => {
    const index = new MessageIndex();

    index.learn(received('m1', 'u1', ' Ada@Example.com'));
    index.learn(received('m2', 'u1'));

    assert.deepEqual(index.factsOf(['m2']), [
      { pipelineId: 'web', type: 'identify', userId: 'u1', email: 'ada@example.com' },
    ]);
  });

  it('forgets the oldest messages once it holds twenty thousand, and only those', () => {
    const index = new MessageIndex();

    for (let n = 0; n <= 20_000; n++) index.learn(received(`m${n}`, `u${n % 7}`));

    assert.deepEqual(index.factsOf(['m0']), []);
    assert.equal(index.factsOf(['m1', 'm20000']).length, 2);
  });
});
