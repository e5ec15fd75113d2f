/**
 * "A slow or failing integration never delays another": one pipeline routes every event to two
 * Actito integrations, each with its own sandbox. The troubled one's sandbox hangs, fails every
 * call, or asks Signal to pause; the healthy one must still receive every profile promptly.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startSandbox, type FaultSettings, type Sandbox } from '../../src/sandbox/index.js';
import { eventually } from '../support/eventually.js';
import {
  seedContext,
  startHarness,
  unthrottledSandbox,
  type Harness,
} from '../support/signal-harness.js';

const PROFILES = 20;

/**
 * How long the healthy integration may take for all its profiles. It needs well under a second;
 * the generous bound stays far below what waiting on the troubled one would cost (its calls hang
 * for 20 s, or it pauses for 30 s).
 */
const PROMPTLY_MS = 5_000;

/** The troubled integration waits this long for an answer, longer than `PROMPTLY_MS`. */
const TROUBLED_TIMEOUT_MS = 20_000;

const EMAILS = Array.from({ length: PROFILES }, (_, i) => `visitor-${i}@example.com`);

function storedCount(sandbox: Sandbox): number {
  return sandbox.profiles('demo', 'Profiles').length;
}

/** Adds the integration `troubled`, on its own sandbox, beside the harness's `actito`. */
async function addTroubledIntegration(harness: Harness, sandbox: Sandbox): Promise<void> {
  const { store } = harness.signal;
  const [actito] = await store.listIntegrations();
  const [pipeline] = await store.listPipelines();

  await store.upsertIntegration({
    ...actito!,
    id: 'troubled',
    name: 'Actito (troubled)',
    config: { ...actito!.config, api_host: sandbox.url, timeout_ms: TROUBLED_TIMEOUT_MS },
  });
  await store.upsertPipeline({ ...pipeline!, integrationIds: ['actito', 'troubled'] });
  await harness.signal.reloadConfiguration();
}

/** Sends one identify per profile, all at once; resolves when all are acknowledged. */
async function sendProfiles(harness: Harness): Promise<void> {
  const answers = await Promise.all(
    EMAILS.map((email) =>
      harness.send('/v1/i', { userId: email, traits: { email }, context: seedContext() }),
    ),
  );

  assert.deepEqual(new Set(answers.map((answer) => answer.status)), new Set([200]));
}

/** Fails unless the healthy sandbox holds every profile within `PROMPTLY_MS`. */
async function healthyReceivesAllPromptly(harness: Harness): Promise<void> {
  await eventually(
    () => (storedCount(harness.sandbox) === PROFILES ? true : undefined),
    'every profile in the healthy sandbox',
    PROMPTLY_MS,
  );
}

async function troubledQueue(harness: Harness) {
  const depths = await harness.signal.store.queueDepths();

  return depths.find((depth) => depth.integrationId === 'troubled');
}

describe('one integration in trouble, another healthy, on one pipeline', () => {
  let harness: Harness;
  let troubled: Sandbox;

  async function startWith(faults: FaultSettings): Promise<void> {
    troubled.setFaults(faults);
    await addTroubledIntegration(harness, troubled);
  }

  beforeEach(async () => {
    harness = await startHarness();
    troubled = await startSandbox({ port: 0, config: unthrottledSandbox() });
  });

  afterEach(async () => {
    // Closed first: its hanging calls then fail at once instead of holding Signal's shutdown.
    await troubled.close();
    await harness.close();
  });

  it('delivers every profile promptly while the other vendor hangs on every call', async () => {
    await startWith({ latencyMs: 60_000 });

    await sendProfiles(harness);
    await healthyReceivesAllPromptly(harness);

    const stuck = await troubledQueue(harness);
    assert.equal(storedCount(troubled), 0);
    assert.ok(stuck!.inFlight > 0, 'the troubled integration has calls hanging');
    assert.equal(stuck!.waiting + stuck!.inFlight, PROFILES);
    assert.equal(stuck!.deadLetters, 0);
  });

  it('delivers every profile promptly while the other vendor answers 503 to every call', async () => {
    await startWith({ errors: [{ status: 503, paths: 'profile' }] });

    await sendProfiles(harness);
    await healthyReceivesAllPromptly(harness);
    const dead = await eventually(
      async () => {
        const depth = await troubledQueue(harness);
        return depth?.deadLetters === PROFILES ? depth : undefined;
      },
      'every troubled delivery in the dead letter',
      10_000,
    );

    assert.equal(dead.waiting + dead.inFlight, 0);
    assert.equal(storedCount(troubled), 0);
    const healthyStatuses = harness.profileWrites().map((write) => write.status);
    assert.ok(
      healthyStatuses.every((status) => status < 300),
      `healthy: ${healthyStatuses.join()}`,
    );
  });

  it('keeps calling one vendor while the other asked for a 30-second pause with a 429', async () => {
    await startWith({
      errors: [{ status: 429, count: 1, retryAfterSeconds: 30, paths: 'profile' }],
    });

    await sendProfiles(harness);
    await healthyReceivesAllPromptly(harness);

    // Only the calls already started when the 429 came may have gone through since.
    assert.ok(storedCount(troubled) < PROFILES, `troubled stored ${storedCount(troubled)}`);
    const paused = await troubledQueue(harness);
    assert.ok(paused!.waiting > 0, 'the troubled integration still has intents waiting');
  });
});
