/**
 * The engine's retention pass, on its timer: processed events and delivery attempts older than
 * the policy are deleted a batch at a time until none is left, and again on the next pass.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/eventually.js';
import { seedContext, startHarness, type Harness } from '../support/signal-harness.js';

describe('retention on the engine timer', () => {
  let harness: Harness;

  before(async () => {
    // Everything processed is old at once; batches of 2 make each pass loop.
    harness = await startHarness({
      retention: { maxAgeMs: 0, batchSize: 2, firstRunAfterMs: 50, everyMs: 100 },
    });
  });
  after(() => harness.close());

  it('deletes processed events and attempts, pass after pass, and keeps the profiles', async () => {
    const { store } = harness.signal;

    for (const round of [1, 2]) {
      const emails = [1, 2, 3, 4, 5].map((n) => `r${round}-${n}@example.com`);
      for (const email of emails) {
        const sent = await harness.send('/v1/i', {
          userId: email,
          traits: { email },
          context: seedContext(),
        });
        assert.equal(sent.status, 200);
      }
      await eventually(() => harness.profile(emails.at(-1)!), `round ${round} delivered`);

      await eventually(async () => {
        const events = await store.readEvents(0, 100);
        const attempts = await store.listAttempts('actito', 100);
        return events.length === 0 && attempts.length === 0 ? true : undefined;
      }, `round ${round}'s history deleted`);
    }

    assert.ok(harness.profile('r1-1@example.com'), 'the vendor keeps what it received');
  });
});
