import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniformConsent } from '../core/consent.js';
import type { ConsentSettings } from '../store/types.js';
import { resolveConsent, withdrawnCategories } from './consent-resolver.js';

const DENIED: ConsentSettings = {
  default: 'denied',
  mapping: { C0002: 'analytics', C0004: 'marketing', 'tcf:1': 'marketing' },
};
const GRANTED: ConsentSettings = { ...DENIED, default: 'granted' };

describe('resolveConsent', () => {
  it('uses the configured default when nothing is stored and the event says nothing', () => {
    const denied = resolveConsent(undefined, DENIED, undefined);
    const granted = resolveConsent(undefined, GRANTED, undefined);

    assert.deepEqual(denied, { state: uniformConsent(false), stated: false });
    assert.deepEqual(granted, { state: uniformConsent(true), stated: false });
  });

  it('keeps the stored state over the default when the event says nothing', () => {
    const stored = { ...uniformConsent(false), analytics: true };

    const resolved = resolveConsent({}, GRANTED, stored);

    assert.deepEqual(resolved, { state: stored, stated: false });
  });

  it('maps CMP codes onto canonical categories over the stored state', () => {
    const stored = uniformConsent(false);

    const resolved = resolveConsent({ categories: { C0004: true } }, DENIED, stored);

    assert.deepEqual(resolved, { state: { ...stored, marketing: true }, stated: true });
  });

  it('lets canonical categories win over CMP codes for the same category', () => {
    const context = { categories: { C0004: true }, canonical: { marketing: false } };

    const resolved = resolveConsent(context, GRANTED, undefined);

    assert.equal(resolved.state.marketing, false);
    assert.equal(resolved.stated, true);
  });

  it('refuses a category when any of the codes mapped onto it is refused', () => {
    const context = { categories: { C0004: true, 'tcf:1': false } };

    const resolved = resolveConsent(context, GRANTED, undefined);

    assert.equal(resolved.state.marketing, false);
  });

  it('reads an unmapped code named like a canonical category as that category', () => {
    const resolved = resolveConsent({ categories: { personalization: true } }, DENIED, undefined);

    assert.equal(resolved.state.personalization, true);
    assert.equal(resolved.stated, true);
  });

  it('ignores unknown codes and canonical names, and then says the event stated nothing', () => {
    const context = { categories: { C0099: true }, canonical: { tracking: true } };

    const resolved = resolveConsent(context, DENIED, undefined);

    assert.deepEqual(resolved, { state: uniformConsent(false), stated: false });
  });

  it('always grants essential, even when the event refuses it', () => {
    const context = { canonical: { essential: false } };

    const resolved = resolveConsent(context, DENIED, {
      ...uniformConsent(false),
      essential: false,
    });

    assert.equal(resolved.state.essential, true);
  });

  it('does not change the stored state object it was given', () => {
    const stored = uniformConsent(true);

    resolveConsent({ canonical: { marketing: false } }, DENIED, stored);

    assert.equal(stored.marketing, true);
  });
});

describe('withdrawnCategories', () => {
  it('lists the categories granted before and refused now', () => {
    const before = uniformConsent(true);
    const after = { ...before, marketing: false, analytics: false };

    const withdrawn = withdrawnCategories(before, after);

    assert.deepEqual(withdrawn, ['analytics', 'marketing']);
  });

  it('lists nothing for a newly granted category or an unknown previous state', () => {
    const after = { ...uniformConsent(false), marketing: true };

    const fromRefused = withdrawnCategories(uniformConsent(false), after);
    const fromUnknown = withdrawnCategories(undefined, uniformConsent(false));

    assert.deepEqual(fromRefused, []);
    assert.deepEqual(fromUnknown, []);
  });
});
