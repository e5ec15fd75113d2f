/**
 * From HTTP to the Actito sandbox: events sent to the gateway end as profile writes, through
 * the real event log, processor, delivery queue and token flow.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Trace } from '../../src/observability/trace.js';
import { eventually } from '../support/eventually.js';
import {
  drained,
  seedContext,
  SEED_PAYLOAD,
  SEED_TRAITS,
  startHarness,
  type Harness,
} from '../support/signal-harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function collectTraces(h: Harness, stage: Trace['stage']): Trace[] {
  const traces: Trace[] = [];
  h.signal.traces.subscribe((trace) => {
    if (trace.stage === stage) traces.push(trace);
  });
  return traces;
}

describe('the seed example over HTTP', () => {
  it('ends as exactly the documented Actito payload', async () => {
    harness = await startHarness();

    const identify = await harness.send('/v1/i', {
      userId: 'user-123',
      traits: SEED_TRAITS,
      context: seedContext(),
    });
    const signedUp = await harness.send('/v1/t', {
      event: 'Signed Up',
      userId: 'user-123',
      context: seedContext(),
    });
    await eventually(() => harness!.profile('jane.doe@example.com'), 'the profile');
    await drained(harness.signal);

    assert.equal(identify.status, 200);
    assert.equal(signedUp.status, 200);
    const writes = harness.profileWrites();
    assert.ok(writes.length >= 1);
    assert.equal(JSON.stringify(writes[0]!.body), SEED_PAYLOAD);
    assert.ok(writes.every((write) => JSON.stringify(write.body) === SEED_PAYLOAD));
  });

  it('lets a track after identify know the e-mail through the stored profile', async () => {
    harness = await startHarness();

    await harness.send('/v1/i', { userId: 'u-1', traits: { email: 'a@example.com' } });
    await drained(harness.signal);
    await harness.send('/v1/t', {
      event: 'Product Viewed',
      userId: 'u-1',
      properties: { sku: 'X1' },
      context: { locale: 'fr-BE', consent: { categories: { C0004: true } } },
    });
    await drained(harness.signal);

    const last = harness.profileWrites().at(-1)!;
    assert.deepEqual(last.body, { email: 'a@example.com', language: 'fr', marketingConsent: true });
  });
});

describe('consent', () => {
  it('drops events of a visitor without marketing consent, with the reason', async () => {
    harness = await startHarness();
    const drops = collectTraces(harness, 'dropped');

    await harness.send('/v1/i', {
      userId: 'u-2',
      traits: { email: 'b@example.com' },
      context: seedContext(false),
    });
    await eventually(() => (drops.length > 0 ? drops : undefined), 'a drop');
    await drained(harness.signal);

    assert.equal(harness.profileWrites().length, 0);
    assert.equal(drops[0]!.detail.reason, 'consent not granted: marketing');
  });

  it('sends one minimal opt-out update when a known profile withdraws marketing', async () => {
    harness = await startHarness();

    await harness.send('/v1/i', {
      userId: 'user-123',
      traits: SEED_TRAITS,
      context: seedContext(true),
    });
    await drained(harness.signal);
    await harness.send('/v1/t', {
      event: 'Consent Updated',
      userId: 'user-123',
      context: seedContext(false),
    });
    await drained(harness.signal);
    await harness.send('/v1/p', { userId: 'user-123', context: seedContext(false) });
    await drained(harness.signal);

    const writes = harness.profileWrites();
    assert.equal(writes.length, 2);
    assert.deepEqual(writes[1]!.body, { email: 'jane.doe@example.com', marketingConsent: false });
    assert.equal(harness.profile('jane.doe@example.com')?.marketingConsent, false);
  });

  it('uses the stored consent for events that carry none', async () => {
    harness = await startHarness();

    await harness.send('/v1/i', {
      userId: 'u-3',
      traits: { email: 'c@example.com' },
      context: seedContext(true),
    });
    await drained(harness.signal);
    await harness.send('/v1/i', { userId: 'u-3', traits: { first_name: 'Cy' } });
    await drained(harness.signal);

    assert.equal(harness.profile('c@example.com')?.firstName, 'Cy');
  });
});

describe('the delivery queue', () => {
  it('coalesces a burst for one profile into far fewer calls ending at the last values', async () => {
    harness = await startHarness();
    harness.sandbox.setFaults({ latencyMs: 50 });

    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        harness!.send('/v1/i', {
          userId: 'burst',
          traits: { email: 'burst@example.com', first_name: `N${i}` },
          context: seedContext(),
          timestamp: new Date(Date.now() + i).toISOString(),
        }),
      ),
    );
    await drained(harness.signal);

    const writes = harness.profileWrites();
    assert.ok(writes.length <= 20, `expected at most 20 calls, saw ${writes.length}`);
    const events = await harness.signal.store.readEvents(0, 1_000);
    const lastName = events.at(-1)!.event.traits.first_name;
    assert.equal(harness.profile('burst@example.com')?.firstName, lastName);
  });

  it('keeps each profile’s writes in event order under injected failures', async () => {
    const patientRetries = { delaysMs: Array(10).fill(20), jitter: 0, maxRetryAfterMs: 100 };
    harness = await startHarness({ retryPolicy: patientRetries });
    harness.sandbox.setFaults({ errors: [{ status: 503, rate: 0.3, paths: 'profile' }] });

    for (let i = 0; i < 15; i++) {
      await Promise.all(
        ['p1', 'p2', 'p3'].map((user) =>
          harness!.send('/v1/i', {
            userId: user,
            traits: { email: `${user}@example.com`, first_name: `${i}` },
            context: seedContext(),
          }),
        ),
      );
    }
    await drained(harness.signal, 20_000);

    for (const user of ['p1', 'p2', 'p3']) {
      const applied: number[] = harness
        .profileWrites()
        .filter(
          (w) => w.status < 300 && (w.body as { email: string }).email === `${user}@example.com`,
        )
        .map((w) => Number((w.body as { firstName?: string }).firstName));
      const sorted = [...applied].sort((a, b) => a - b);
      assert.deepEqual(applied, sorted, `${user} writes out of order: ${applied.join(',')}`);
      assert.equal(harness.profile(`${user}@example.com`)?.firstName, '14');
    }
  });

  it('skips a call when nothing changed since the last delivery', async () => {
    harness = await startHarness();

    await harness.send('/v1/i', {
      userId: 'same',
      traits: { email: 's@example.com' },
      context: seedContext(),
    });
    await drained(harness.signal);
    await harness.send('/v1/p', { userId: 'same', context: seedContext() });
    await drained(harness.signal);

    assert.equal(harness.profileWrites().length, 1);
  });

  it('drops a duplicate messageId', async () => {
    harness = await startHarness();
    const duplicates = collectTraces(harness, 'duplicate');
    const event = {
      userId: 'dup',
      messageId: 'm-1',
      traits: { email: 'dup@example.com', first_name: 'One' },
      context: seedContext(),
    };

    await harness.send('/v1/i', event);
    await drained(harness.signal);
    await harness.send('/v1/i', { ...event, traits: { ...event.traits, first_name: 'Two' } });
    await drained(harness.signal);

    assert.equal(duplicates.length, 1);
    assert.equal(harness.profile('dup@example.com')?.firstName, 'One');
  });

  it('dead-letters a permanent error with its hint, then delivers it after a fix and a replay', async () => {
    harness = await startHarness({ actitoConfig: { profile_table: 'profiles' } });

    await harness.send('/v1/i', {
      userId: 'dl',
      traits: { email: 'dl@example.com' },
      context: seedContext(),
    });
    const [letter] = await eventually(async () => {
      const letters = await harness!.signal.store.listDeadLetters();
      return letters.length > 0 ? letters : undefined;
    }, 'a dead letter');
    assert.equal(letter!.error.code, 'VENDOR_NOT_FOUND');
    assert.match(letter!.error.message, /names are case-sensitive/);
    assert.match(letter!.error.hint ?? '', /case-sensitive/i);

    const [record] = await harness.signal.store.listIntegrations();
    await harness.signal.store.upsertIntegration({
      ...record!,
      config: { ...record!.config, profile_table: 'Profiles' },
    });
    await harness.signal.reloadConfiguration();
    const replayed = await harness.signal.store.replayDeadLetters({ integrationId: 'actito' });
    harness.signal.delivery.notify(['actito']);
    await eventually(() => harness!.profile('dl@example.com'), 'the replayed profile');

    assert.equal(replayed, 1);
    assert.equal((await harness.signal.store.listDeadLetters()).length, 0);
  });

  it('dead-letters a transient error once the retries are used up', async () => {
    harness = await startHarness();
    harness.sandbox.setFaults({ errors: [{ status: 503, rate: 1, paths: 'profile' }] });

    await harness.send('/v1/i', {
      userId: 'tx',
      traits: { email: 'tx@example.com' },
      context: seedContext(),
    });
    const [letter] = await eventually(async () => {
      const letters = await harness!.signal.store.listDeadLetters();
      return letters.length > 0 ? letters : undefined;
    }, 'a dead letter');

    assert.equal(letter!.attempts, 4);
    assert.match(letter!.error.message, /^gave up after 4 attempts/);
    assert.equal(harness.profileWrites().length, 4);
  });
});
