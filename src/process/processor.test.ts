import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ADA,
  dropReasons,
  event,
  GRANT,
  harness,
  identify,
  planned,
  received,
  REFUSE,
} from './test-support.js';

describe('Processor.processBatch', () => {
  it('drops a messageId repeated in the same batch and plans the first only', async (t) => {
    const h = await harness(t);
    const first = identify({ consent: GRANT });
    await h.append(first, { ...first });

    const handled = await h.processor.processBatch();

    assert.equal(handled, 2);
    assert.equal(planned(h.traces, first.messageId).length, 1);
    assert.deepEqual(dropReasons(h.traces, first.messageId), ['duplicate messageId']);
  });

  it('drops a messageId already processed in an earlier batch', async (t) => {
    const h = await harness(t);
    const first = identify({ consent: GRANT });
    await h.append(first);
    await h.processor.processBatch();
    h.traces.length = 0;
    await h.append({ ...first, traits: { email: 'other@example.com' } });

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, first.messageId), []);
    assert.deepEqual(dropReasons(h.traces, first.messageId), ['duplicate messageId']);
  });

  it("plans a track that follows an identify in the same batch with the identify's email", async (t) => {
    const h = await harness(t);
    const login = identify({ traits: { email: ' Ada@Example.com ' }, consent: GRANT });
    const order = event('track', { userId: 'u-1' });
    await h.append(login, order);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, order.messageId), [
      {
        messageId: order.messageId,
        profileKey: ADA,
        attributes: { email: ADA, language: 'en', marketingConsent: true },
        optOut: false,
      },
    ]);
  });

  it('carries the traits and consent of an anonymous visitor over to the user at login', async (t) => {
    const h = await harness(t);
    const view = event('page', { anonymousId: 'a-1', consent: GRANT });
    const newsletter = event('identify', { anonymousId: 'a-1', traits: { email: ADA } });
    await h.append(view, newsletter);
    await h.processor.processBatch();
    const login = event('identify', {
      userId: 'u-1',
      anonymousId: 'a-1',
      traits: { first_name: 'Ada' },
    });
    const laterView = event('page', { anonymousId: 'a-1' });
    await h.append(login, laterView);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, login.messageId, laterView.messageId), [
      {
        messageId: login.messageId,
        profileKey: ADA,
        attributes: { email: ADA, firstName: 'Ada', language: 'en', marketingConsent: true },
        optOut: false,
      },
      {
        messageId: laterView.messageId,
        profileKey: ADA,
        attributes: { email: ADA, language: 'en', marketingConsent: true },
        optOut: false,
      },
    ]);
  });

  it('lets consent stated in canonical categories win over CMP codes', async (t) => {
    const h = await harness(t);
    const login = identify({
      consent: { categories: { C0004: true }, canonical: { marketing: false } },
    });
    await h.append(login);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, login.messageId), []);
    assert.deepEqual(dropReasons(h.traces, login.messageId), ['consent not granted: marketing']);
  });

  it("uses the visitor's stored consent when an event says nothing about consent", async (t) => {
    const h = await harness(t);
    await h.append(identify({ consent: GRANT }));
    await h.processor.processBatch();
    const order = event('track', { userId: 'u-1' });
    await h.append(order);

    await h.processor.processBatch();

    assert.equal(planned(h.traces, order.messageId)[0]?.attributes['marketingConsent'], true);
  });

  it('uses the configured default when neither the event nor the profile has consent', async (t) => {
    const denied = await harness(t);
    const granted = await harness(t, { consent: { default: 'granted' } });
    const login = identify();
    await denied.append(login);
    await granted.append(login);

    await denied.processor.processBatch();
    await granted.processor.processBatch();

    assert.deepEqual(dropReasons(denied.traces, login.messageId), [
      'consent not granted: marketing',
    ]);
    assert.equal(planned(granted.traces, login.messageId)[0]?.attributes['marketingConsent'], true);
  });

  it('plans exactly one minimal opt-out when a known visitor withdraws marketing', async (t) => {
    const h = await harness(t);
    await h.append(identify({ traits: { email: ADA, first_name: 'Ada' }, consent: GRANT }));
    await h.processor.processBatch();
    const withdrawal = event('page', { userId: 'u-1', consent: REFUSE });
    await h.append(withdrawal);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, withdrawal.messageId), [
      {
        messageId: withdrawal.messageId,
        profileKey: ADA,
        attributes: { email: ADA, marketingConsent: false },
        optOut: true,
      },
    ]);
  });

  it('drops later events while marketing stays withdrawn', async (t) => {
    const h = await harness(t);
    await h.append(identify({ consent: GRANT }), event('page', { userId: 'u-1', consent: REFUSE }));
    await h.processor.processBatch();
    const later = event('track', { userId: 'u-1' });
    await h.append(later);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, later.messageId), []);
    assert.deepEqual(dropReasons(h.traces, later.messageId), ['consent not granted: marketing']);
  });

  it('sends no opt-out when propagateOptOut is off', async (t) => {
    const h = await harness(t, { delivery: { propagateOptOut: false } });
    const withdrawal = event('page', { userId: 'u-1', consent: REFUSE });
    await h.append(identify({ consent: GRANT }), withdrawal);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, withdrawal.messageId), []);
    assert.deepEqual(dropReasons(h.traces, withdrawal.messageId), [
      'consent not granted: marketing',
    ]);
  });

  it('opts out a visitor whose marketing consent came from a granted default', async (t) => {
    const h = await harness(t, { consent: { default: 'granted' } });
    await h.append(identify());
    await h.processor.processBatch();
    const withdrawal = event('page', { userId: 'u-1', consent: REFUSE });
    await h.append(withdrawal);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, withdrawal.messageId), [
      {
        messageId: withdrawal.messageId,
        profileKey: ADA,
        attributes: { email: ADA, marketingConsent: false },
        optOut: true,
      },
    ]);
  });

  it('records an event of a pipeline that no longer exists as dropped', async (t) => {
    const h = await harness(t);
    const orphan = identify({ consent: GRANT });
    await h.store.appendEvents([{ pipelineId: 'removed', event: orphan }]);

    await h.processor.processBatch();

    assert.deepEqual(dropReasons(h.traces, orphan.messageId), ['pipeline removed not found']);
    assert.deepEqual(planned(h.traces, orphan.messageId), []);
  });

  it('still plans an event for the other integrations when one fails to plan it', async (t) => {
    const h = await harness(t, { second: true });
    const broken = h.integrations.get('actito-2')!;
    broken.definition = {
      ...broken.definition,
      plan: () => {
        throw new TypeError('mapping exploded');
      },
    };
    const login = identify({ consent: GRANT });
    await h.append(login);

    await h.processor.processBatch();

    const plans = planned(h.traces, login.messageId);
    assert.equal(plans.length, 1);
    assert.equal(plans[0]?.profileKey, ADA);
    assert.deepEqual(dropReasons(h.traces, login.messageId), ['planning failed: mapping exploded']);
  });

  it('drops an event for a disabled integration with the reason', async (t) => {
    const h = await harness(t, { enabled: false });
    const login = identify({ consent: GRANT });
    await h.append(login);

    await h.processor.processBatch();

    assert.deepEqual(planned(h.traces, login.messageId), []);
    assert.deepEqual(dropReasons(h.traces, login.messageId), ['integration disabled']);
  });

  it('advances the cursor so that a second call finds nothing new', async (t) => {
    const h = await harness(t);
    await h.append(identify({ consent: GRANT }), event('track', { userId: 'u-1' }));
    await h.processor.processBatch();
    const cursor = await h.store.readCursor();
    h.traces.length = 0;

    const handled = await h.processor.processBatch();

    assert.equal(cursor, 2);
    assert.equal(handled, 0);
    assert.deepEqual(h.traces, []);
    assert.equal(await h.store.readCursor(), 2);
  });

  it('resumes after the cursor when a new processor opens the same store', async (t) => {
    const h = await harness(t);
    const before = identify({ consent: GRANT });
    await h.append(before);
    await h.processor.processBatch();
    const after = event('track', { userId: 'u-1' });
    await h.append(after);
    await h.store.close();
    const restarted = await h.restart();

    const handled = await restarted.processor.processBatch();

    assert.equal(handled, 1);
    assert.deepEqual(received(restarted.traces), [after.messageId]);
    assert.equal(planned(restarted.traces, after.messageId)[0]?.profileKey, ADA);
  });
});
