import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryService } from './delivery-service.js';
import { harness, INTEGRATION, waitingCount } from './test-support.js';

describe('DeliveryService', () => {
  it('releases a previous run’s claims on start with recover, and delivers them', async (t) => {
    const h = await harness(t);
    await h.enqueue(['ada@example.com', 'bob@example.com']);
    const interrupted = await h.store.claimDeliveries(INTEGRATION, 2, 60_000);
    const service = new DeliveryService({ ...h.deps, vendorTimeoutMs: 5_000 });
    t.after(() => service.stop());

    await service.start({ recover: true });
    await h.drained();

    assert.equal(interrupted.length, 2);
    assert.equal(h.sandbox.profiles('demo', 'Profiles').length, 2);
  });

  it('stops delivering once stopped', async (t) => {
    const h = await harness(t);
    const service = new DeliveryService({ ...h.deps, vendorTimeoutMs: 5_000 });
    await service.start({ recover: false });
    await service.stop();

    await h.enqueue(['ada@example.com']);
    service.notify([INTEGRATION]);
    await sleep(300);

    assert.equal(h.profileCalls().length, 0);
    assert.equal(await waitingCount(h.store), 1);
  });
});
