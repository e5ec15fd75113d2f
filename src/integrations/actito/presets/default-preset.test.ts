import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { applyMappings, validateMappingSet } from '../../../mapping/engine.js';
import { planInput } from '../../../mapping/test-events.js';
import type { MappingSet } from '../../../mapping/types.js';
import type { SignalEvent } from '../../../core/envelope.js';
import { SEED_PAYLOAD } from '../test-support.js';

// Read as data, the way the catalogue and the UI receive it, so that validation is really tested.
const preset = JSON.parse(readFileSync(new URL('./default.json', import.meta.url), 'utf8')) as {
  id: unknown;
  name: unknown;
  description: unknown;
  mappings: unknown;
};
const mappings = validateMappingSet(preset.mappings);

const SEED_TRAITS = {
  email: 'Jane.Doe@Example.com ',
  first_name: 'Jane',
  last_name: 'Doe',
  phone: '+44 7700 900123',
};

/** An event carrying the seed's traits and locale, with marketing consent granted. */
function seedEvent(event: Partial<SignalEvent>, traits: Record<string, unknown> = SEED_TRAITS) {
  return planInput({ userId: 'user-123', traits, context: { locale: 'en' }, ...event });
}

function plan(event: Partial<SignalEvent>, traits?: Record<string, unknown>, set = mappings) {
  return applyMappings(set, seedEvent(event, traits));
}

describe('Actito Default preset', () => {
  it('is a valid preset whose mappings pass validation unchanged', () => {
    const identity = [preset.id, preset.name, typeof preset.description];

    const validated = validateMappingSet(preset.mappings);

    assert.deepEqual(identity, ['default', 'Default', 'string']);
    assert.deepEqual(validated, preset.mappings);
  });

  it('turns the seed identify into the seed payload byte for byte', () => {
    const input = seedEvent({ type: 'identify' });

    const result = applyMappings(mappings, input);

    assert.equal(result.kind, 'intent');
    assert.equal(JSON.stringify(result.attributes), SEED_PAYLOAD);
    assert.equal(result.profileKey, 'jane.doe@example.com');
    assert.deepEqual(result.warnings, []);
  });

  it('turns the seed Signed Up track into the same payload', () => {
    const input = seedEvent({ type: 'track', event: 'Signed Up', properties: { plan: 'pro' } });

    const result = applyMappings(mappings, input);

    assert.equal(result.kind === 'intent' && JSON.stringify(result.attributes), SEED_PAYLOAD);
  });

  it('refreshes the profile through the globals only for another track event, without its properties', () => {
    const properties = { product_id: 'p-1', price: 19.99, firstName: 'Not Jane' };

    const result = plan({ type: 'track', event: 'Product Viewed', properties });

    assert.equal(
      result.kind === 'intent' && JSON.stringify(result.attributes),
      '{"email":"jane.doe@example.com","phone":"+447700900123","language":"en","marketingConsent":true}',
    );
  });

  it('refreshes the profile including language on a page view', () => {
    const result = plan({ type: 'page', name: 'Pricing', context: { locale: 'fr-BE' } });

    assert.equal(
      result.kind === 'intent' && JSON.stringify(result.attributes),
      '{"email":"jane.doe@example.com","phone":"+447700900123","language":"fr","marketingConsent":true}',
    );
  });

  it('drops an event without a usable email, saying why without quoting the value', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ first_name: 'Jane' }, 'no usable email: traits.email is missing'],
      [{ email: '   ' }, 'no usable email: traits.email is missing'],
      [{ email: null }, 'no usable email: traits.email is missing'],
      [{ email: 'jane.doe@' }, 'no usable email: traits.email is not a valid e-mail address'],
      [
        { email: 'jané@example.com' },
        'no usable email: traits.email is not a valid e-mail address',
      ],
      [
        { email: 'jane..doe@example.com' },
        'no usable email: traits.email is not a valid e-mail address',
      ],
    ];

    const results = cases.map(([traits]) => plan({ type: 'identify' }, traits));

    assert.deepEqual(
      results,
      cases.map(([, reason]) => ({ kind: 'drop', reason, warnings: [] })),
    );
  });

  it('normalises an international phone number', () => {
    const traits = { email: 'a@example.be', phone: '+32 470 12 34 56' };

    const result = plan({ type: 'identify' }, traits);

    assert.equal(result.kind === 'intent' && result.attributes.phone, '+32470123456');
  });

  it('reads a national phone number once a default region is set on the mapping', () => {
    const withRegion: MappingSet = {
      ...mappings,
      global: mappings.global.map((mapping) =>
        mapping.target === 'phone'
          ? { ...mapping, transforms: [{ name: 'e164', defaultRegion: 'BE' }] }
          : mapping,
      ),
    };

    const result = plan(
      { type: 'identify' },
      { email: 'a@example.be', phone: '0470 12 34 56' },
      withRegion,
    );

    assert.equal(result.kind === 'intent' && result.attributes.phone, '+32470123456');
  });

  it('leaves out an unusable phone with a warning and still sends the rest', () => {
    const phones = ['abc', '+44 12', '0470 12 34 56'];

    const results = phones.map((phone) => plan({ type: 'identify' }, { ...SEED_TRAITS, phone }));

    assert.deepEqual(
      results.map((result) => result.kind === 'intent' && JSON.stringify(result.attributes)),
      Array(3).fill(
        '{"email":"jane.doe@example.com","firstName":"Jane","lastName":"Doe",' +
          '"language":"en","marketingConsent":true}',
      ),
    );
    assert.deepEqual(
      results.map((result) => result.warnings),
      [
        ['phone: traits.phone is not a possible phone number'],
        ['phone: traits.phone is not a possible phone number'],
        ['phone: traits.phone has no country code and the e164 transform has no defaultRegion'],
      ],
    );
  });

  it('sends marketingConsent false when marketing consent is not granted', () => {
    const input = planInput(
      { type: 'identify', traits: SEED_TRAITS, context: { locale: 'en' } },
      { marketing: false },
    );

    const result = applyMappings(mappings, input);

    assert.equal(result.kind === 'intent' && result.attributes.marketingConsent, false);
  });

  it('reads camelCase name traits when the snake_case ones are absent', () => {
    const traits = { email: 'a@example.be', first_name: ' ', firstName: 'Ann', lastName: 'Lee' };

    const result = plan({ type: 'identify' }, traits);

    assert.deepEqual(
      result.kind === 'intent' && [result.attributes.firstName, result.attributes.lastName],
      ['Ann', 'Lee'],
    );
  });

  it('sends names as provided, without trimming or case changes', () => {
    const traits = { email: 'a@example.be', first_name: 'jean-PIERRE ', last_name: 'de Smet' };

    const result = plan({ type: 'identify' }, traits);

    assert.deepEqual(
      result.kind === 'intent' && [result.attributes.firstName, result.attributes.lastName],
      ['jean-PIERRE ', 'de Smet'],
    );
  });

  it('leaves out language when the locale is missing or not a language', () => {
    const contexts = [{}, { locale: 'xx-XX' }];

    const results = contexts.map((context) => plan({ type: 'page', context }));

    assert.deepEqual(
      results.map((result) => result.kind === 'intent' && 'language' in result.attributes),
      [false, false],
    );
    assert.deepEqual(
      results.map((result) => result.warnings),
      [[], ['language: context.locale is not a plausible language code']],
    );
  });
});
