import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { applyMappings } from './engine.js';
import { planInput } from './test-events.js';
import type { MappingSet } from './types.js';

/** A small vendor-neutral set: keyed on userId, a global tier and a per-event override. */
function crmSet(overrides: Partial<MappingSet> = {}): MappingSet {
  return {
    key: { source: ['userId', 'traits.customer_id'], target: 'customerId', transforms: ['trim'] },
    global: [
      { source: 'traits.tier', target: 'tier', transforms: ['uppercase'] },
      {
        source: 'traits.phone',
        target: 'mobile',
        transforms: [{ name: 'e164', defaultRegion: 'BE' }],
      },
      { source: 'consent.analytics', target: 'tracking', transforms: ['boolean'] },
    ],
    events: {
      'Order Completed': {
        action: 'map',
        mappings: [
          { source: 'properties.total', target: 'lastOrderTotal' },
          { source: 'properties.tier', target: 'tier' },
        ],
      },
      'Debug Ping': { action: 'drop' },
      track: { action: 'map', mappings: [{ source: 'event', target: 'lastEvent' }] },
    },
    defaultAction: 'drop',
    ...overrides,
  };
}

describe('applyMappings', () => {
  it('writes the key first, then the event mappings, then the global ones', () => {
    const input = planInput({
      type: 'track',
      event: 'Order Completed',
      userId: ' u-1 ',
      properties: { total: 42.5 },
      traits: { tier: 'gold', phone: '0470 12 34 56' },
    });

    const result = applyMappings(crmSet(), input);

    assert.equal(result.kind, 'intent');
    assert.equal(
      JSON.stringify(result.attributes),
      '{"customerId":"u-1","lastOrderTotal":42.5,"tier":"GOLD","mobile":"+32470123456","tracking":true}',
    );
    assert.equal(result.profileKey, 'u-1');
    assert.deepEqual(result.warnings, []);
  });

  it('lets a per-event mapping win over a global one for the same target', () => {
    const input = planInput({
      type: 'track',
      event: 'Order Completed',
      userId: 'u-1',
      properties: { tier: 'platinum' },
      traits: { tier: 'gold' },
    });

    const result = applyMappings(crmSet(), input);

    assert.equal(result.kind === 'intent' && result.attributes.tier, 'platinum');
  });

  it('falls back to the global mapping when the per-event one produces nothing', () => {
    const input = planInput({
      type: 'track',
      event: 'Order Completed',
      userId: 'u-1',
      properties: { tier: '  ' },
      traits: { tier: 'gold' },
    });

    const result = applyMappings(crmSet(), input);

    assert.equal(result.kind === 'intent' && result.attributes.tier, 'GOLD');
  });

  it('uses the track entry for a track event that is not listed by name', () => {
    const input = planInput({ type: 'track', event: 'Product Viewed', userId: 'u-1' });

    const result = applyMappings(crmSet(), input);

    assert.deepEqual(result.kind === 'intent' && result.attributes, {
      customerId: 'u-1',
      lastEvent: 'Product Viewed',
      tracking: true,
    });
  });

  it('drops an event whose mapping says drop, with a reason naming it', () => {
    const named = planInput({ type: 'track', event: 'Debug Ping', userId: 'u-1' });
    const viaTrack = planInput({ type: 'track', event: 'Other', userId: 'u-1' });
    const set = crmSet({
      events: { 'Debug Ping': { action: 'drop' }, track: { action: 'drop' } },
    });

    const results = [applyMappings(set, named), applyMappings(set, viaTrack)];

    assert.deepEqual(results, [
      { kind: 'drop', reason: 'event "Debug Ping" is dropped by its mapping', warnings: [] },
      { kind: 'drop', reason: 'event "Other" is dropped by the "track" mapping', warnings: [] },
    ]);
  });

  it('drops an unlisted event when the default action is drop', () => {
    const input = planInput({ type: 'group', groupId: 'g-1', userId: 'u-1' });

    const result = applyMappings(crmSet(), input);

    assert.deepEqual(result, { kind: 'drop', reason: 'event "group" is not mapped', warnings: [] });
  });

  it('maps an unlisted event through the global mappings when the default action is global', () => {
    const input = planInput({ type: 'screen', name: 'Home', userId: 'u-1', traits: { tier: 'b' } });

    const result = applyMappings(crmSet({ defaultAction: 'global' }), input);

    assert.deepEqual(result.kind === 'intent' && result.attributes, {
      customerId: 'u-1',
      tier: 'B',
      tracking: true,
    });
  });

  it('does not find an event entry among Object.prototype members', () => {
    const input = planInput({ type: 'track', event: 'toString', userId: 'u-1' });

    const result = applyMappings(crmSet({ events: {} }), input);

    assert.deepEqual(result, {
      kind: 'drop',
      reason: 'event "toString" is not mapped',
      warnings: [],
    });
  });

  it('tries the key sources in order and names all of them when none has a value', () => {
    const fallback = planInput({ userId: '', traits: { customer_id: 'c-9' } });
    const none = planInput({ traits: { customer_id: null } });

    const set = crmSet({ defaultAction: 'global' });

    const results = [applyMappings(set, fallback), applyMappings(set, none)];

    assert.equal(results[0]?.kind === 'intent' && results[0].profileKey, 'c-9');
    assert.deepEqual(results[1], {
      kind: 'drop',
      reason: 'no usable customerId: none of userId, traits.customer_id has a value',
      warnings: [],
    });
  });

  it('checks the key before the event, so an unmapped event without a key reports the key', () => {
    const input = planInput({ type: 'group' });

    const result = applyMappings(crmSet(), input);

    assert.equal(
      result.kind === 'drop' && result.reason,
      'no usable customerId: none of userId, traits.customer_id has a value',
    );
  });

  it('writes a numeric key as text and refuses a key that is not text', () => {
    const numeric = planInput({ traits: { customer_id: 1234 } });
    const object = planInput({ traits: { customer_id: { id: 1 } } });
    const set = crmSet({ events: { identify: { action: 'map' } } });

    const results = [applyMappings(set, numeric), applyMappings(set, object)];

    assert.equal(results[0]?.kind === 'intent' && results[0].attributes.customerId, '1234');
    assert.equal(
      results[1]?.kind === 'drop' && results[1].reason,
      'no usable customerId: traits.customer_id is not text',
    );
  });

  it('drops the event when a transform empties the key', () => {
    const set = crmSet({
      key: {
        source: 'traits.plan',
        target: 'plan',
        transforms: [{ name: 'value_map', map: { free: null }, default: 'paid' }],
      },
    });

    const result = applyMappings(set, planInput({ traits: { plan: 'free' } }));

    assert.deepEqual(result, {
      kind: 'drop',
      reason: 'no usable plan: traits.plan is empty after its transforms',
      warnings: [],
    });
  });

  it('leaves out a rejected attribute with a warning that does not quote the value', () => {
    const input = planInput({
      type: 'identify',
      userId: 'u-1',
      traits: { phone: 'call me', tier: 's' },
    });
    const set = crmSet({ events: { identify: { action: 'map' } } });

    const result = applyMappings(set, input);

    assert.deepEqual(result, {
      kind: 'intent',
      profileKey: 'u-1',
      attributes: { customerId: 'u-1', tier: 'S', tracking: true },
      warnings: ['mobile: traits.phone is not a possible phone number'],
    });
  });

  it('leaves out absent values instead of sending null, but keeps false and 0', () => {
    const input = planInput(
      {
        type: 'track',
        event: 'Order Completed',
        userId: 'u-1',
        properties: { total: 0 },
        traits: { tier: null },
      },
      { analytics: false },
    );

    const result = applyMappings(crmSet(), input);

    assert.deepEqual(result.kind === 'intent' && result.attributes, {
      customerId: 'u-1',
      lastOrderTotal: 0,
      tracking: false,
    });
  });

  it('keeps a target named __proto__ as an ordinary attribute', () => {
    const set = crmSet({
      defaultAction: 'global',
      global: [{ source: 'traits.tier', target: '__proto__' }],
    });

    const result = applyMappings(set, planInput({ userId: 'u-1', traits: { tier: 'gold' } }));

    assert.equal(
      result.kind === 'intent' && JSON.stringify(result.attributes),
      '{"customerId":"u-1","__proto__":"gold"}',
    );
  });
});
