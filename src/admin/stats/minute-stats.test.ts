import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Trace } from '../../observability/trace.js';
import { MinuteStats } from './minute-stats.js';

const trace = (stage: Trace['stage'], integrationId?: string): Trace => ({
  stage,
  at: '',
  messageIds: ['m'],
  ...(integrationId ? { integrationId } : {}),
  detail: {},
});

describe('MinuteStats', () => {
  it('counts each stage in the minute it happened, per integration', () => {
    const clock = { ms: 10 * 60_000 };
    const stats = new MinuteStats(() => clock.ms);

    stats.record(trace('received'));
    stats.record(trace('planned', 'actito'));
    clock.ms += 60_000;
    stats.record(trace('delivered', 'actito'));
    stats.record(trace('retried', 'actito'));
    stats.record(trace('dropped', 'actito'));

    const [first, second] = stats.series(2);
    assert.equal(first!.minute, new Date(10 * 60_000).toISOString());
    assert.deepEqual(first!.total, { received: 1, delivered: 0, failed: 0, dropped: 0 });
    assert.deepEqual(first!.integrations.actito, {
      received: 1,
      delivered: 0,
      failed: 0,
      dropped: 0,
    });
    assert.deepEqual(second!.integrations.actito, {
      received: 1,
      delivered: 1,
      failed: 1,
      dropped: 1,
    });
  });

  it('forgets minutes older than a day instead of growing', () => {
    const clock = { ms: 0 };
    const stats = new MinuteStats(() => clock.ms);
    stats.record(trace('received'));

    clock.ms = 24 * 60 * 60_000;
    stats.record(trace('received'));

    const series = stats.series(24 * 60);
    assert.equal(
      series.reduce((sum, minute) => sum + minute.total.received, 0),
      1,
    );
  });
});
