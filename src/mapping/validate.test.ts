import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError } from '../core/errors.js';
import { validateMappingSet } from './validate.js';

function validSet(): Record<string, unknown> {
  return {
    key: { source: 'traits.email', target: 'email', transforms: ['trim', 'lowercase', 'email'] },
    global: [
      { source: 'traits.phone', target: 'phone', transforms: ['e164'] },
      { source: 'context.locale', target: 'language', transforms: ['language'] },
      { source: 'traits.tier', target: 'tier', transforms: ['trim'] },
    ],
    events: { 'Signed Up': { action: 'map', mappings: [] }, page: { action: 'drop' } },
    defaultAction: 'global',
  };
}

/** Validates `raw` and returns the ConfigError message, failing the test if nothing is thrown. */
function messageFor(raw: unknown): string {
  try {
    validateMappingSet(raw);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'INVALID_CONFIG');
    return error.message;
  }
  assert.fail('the mapping set was accepted');
}

function withGlobal(index: number, mapping: unknown): Record<string, unknown> {
  const set = validSet();
  const global = [...(set.global as unknown[])];
  global[index] = mapping;
  return { ...set, global };
}

describe('validateMappingSet', () => {
  it('accepts a valid set and returns an equal copy', () => {
    const raw = validSet();

    const set = validateMappingSet(raw);

    assert.deepEqual(set, raw);
    assert.notEqual(set, raw);
  });

  it('normalises option-less transform objects and lower-case regions', () => {
    const raw = withGlobal(0, {
      source: 'traits.phone',
      target: 'phone',
      transforms: [{ name: 'trim' }, { name: 'e164', defaultRegion: 'be' }, { name: 'language' }],
    });

    const set = validateMappingSet(raw);

    assert.deepEqual(set.global[0]?.transforms, [
      'trim',
      { name: 'e164', defaultRegion: 'BE' },
      'language',
    ]);
  });

  it('names an unknown transform and where it is', () => {
    const raw = withGlobal(2, { source: 'traits.tier', target: 'tier', transforms: ['lowercse'] });

    const message = messageFor(raw);

    assert.match(
      message,
      /^global\[2\]\.transforms\[0\]: unknown transform "lowercse" \(known: trim, /,
    );
  });

  it('names the place of each kind of shape error', () => {
    const cases: [unknown, string][] = [
      [null, 'mapping set: must be an object'],
      [
        { ...validSet(), extra: 1 },
        'mapping set: unknown property "extra" (expected: key, global, events, defaultAction)',
      ],
      [{ ...validSet(), key: undefined }, 'key: must be an object'],
      [{ ...validSet(), global: {} }, 'global: must be a list of mappings'],
      [{ ...validSet(), events: [] }, 'events: must be an object'],
      [{ ...validSet(), defaultAction: 'keep' }, 'defaultAction: must be "global" or "drop"'],
      [
        withGlobal(1, { source: 'context.locale' }),
        'global[1].target: must be the name of the attribute to write',
      ],
      [
        withGlobal(1, { source: 'context.locale', target: '  ' }),
        'global[1].target: must be the name of the attribute to write',
      ],
      [
        withGlobal(0, { source: [], target: 'phone' }),
        'global[0].source: must be a path such as "traits.email" or a non-empty list of paths',
      ],
      [
        withGlobal(0, { source: ['traits.phone', 3], target: 'phone' }),
        'global[0].source[1]: must be a path such as "traits.email"',
      ],
      [
        withGlobal(0, { source: 'traits..phone', target: 'phone' }),
        'global[0].source: "traits..phone" has an empty segment',
      ],
      [
        withGlobal(0, { source: 'trait.phone', target: 'phone' }),
        'global[0].source: "trait.phone" must start with one of type, event, name, ' +
          'properties, traits, userId, anonymousId, groupId, context, timestamp, ' +
          'messageId, consent',
      ],
      [
        withGlobal(0, { source: 'traits.phone', target: 'phone', transform: ['e164'] }),
        'global[0]: unknown property "transform" (expected: source, target, transforms)',
      ],
      [
        withGlobal(0, { source: 'traits.phone', target: 'phone', transforms: 'e164' }),
        'global[0].transforms: must be a list of transforms',
      ],
      [
        withGlobal(0, {
          source: 'traits.phone',
          target: 'phone',
          transforms: [{ defaultRegion: 'BE' }],
        }),
        'global[0].transforms[0]: must be a transform name or an object with a "name"',
      ],
    ];

    const messages = cases.map(([raw]) => messageFor(raw));

    assert.deepEqual(
      messages,
      cases.map(([, expected]) => expected),
    );
  });

  it('checks the options of each transform', () => {
    const transforms: [unknown, string][] = [
      [
        { name: 'e164', defaultRegion: 'XX' },
        'global[0].transforms[0].defaultRegion: must be an ISO 3166-1 alpha-2 country code ' +
          'such as "BE"',
      ],
      [
        { name: 'e164', region: 'BE' },
        'global[0].transforms[0]: unknown property "region" (expected: name, defaultRegion)',
      ],
      [
        { name: 'language', case: 'title' },
        'global[0].transforms[0].case: must be "lower" or "upper"',
      ],
      [
        'value_map',
        'global[0].transforms[0].map: must be an object from input values to output values',
      ],
      [
        { name: 'value_map', map: ['a'] },
        'global[0].transforms[0].map: must be an object from input values to output values',
      ],
      [
        { name: 'date_format' },
        'global[0].transforms[0].format: must be one of date, datetime, iso, epoch_ms',
      ],
      [
        { name: 'date_format', format: 'yyyy-MM-dd' },
        'global[0].transforms[0].format: must be one of date, datetime, iso, epoch_ms',
      ],
      [
        { name: 'trim', mode: 'both' },
        'global[0].transforms[0]: unknown property "mode" (expected: name)',
      ],
    ];

    const messages = transforms.map(([transform]) =>
      messageFor(withGlobal(0, { source: 'traits.x', target: 'x', transforms: [transform] })),
    );

    assert.deepEqual(
      messages,
      transforms.map(([, expected]) => expected),
    );
  });

  it('keeps a value_map default, including null, and every map entry as an own key', () => {
    const raw = JSON.parse(
      '{"source":"traits.plan","target":"plan","transforms":' +
        '[{"name":"value_map","map":{"free":"F","__proto__":"P"},"default":null}]}',
    ) as unknown;

    const set = validateMappingSet(withGlobal(0, raw));

    assert.deepEqual(set.global[0]?.transforms, [
      {
        name: 'value_map',
        map: JSON.parse('{"free":"F","__proto__":"P"}') as unknown,
        default: null,
      },
    ]);
  });

  it('names the event entry by its name', () => {
    const cases: [unknown, string][] = [
      [{ 'Signed Up': { action: 'keep' } }, 'events["Signed Up"].action: must be "map" or "drop"'],
      [{ 'Signed Up': 'map' }, 'events["Signed Up"]: must be an object'],
      [{ '': { action: 'map' } }, 'events[""]: an event name cannot be blank'],
      [
        {
          'Signed Up': {
            action: 'map',
            mappings: [
              { source: 'traits.first_name', target: 'firstName', transforms: ['titlecase'] },
            ],
          },
        },
        'events["Signed Up"].mappings[0].transforms[0]: unknown transform "titlecase" ' +
          '(known: trim, lowercase, uppercase, email, e164, language, boolean, value_map, ' +
          'date_format)',
      ],
    ];

    const messages = cases.map(([events]) => messageFor({ ...validSet(), events }));

    assert.deepEqual(
      messages,
      cases.map(([, expected]) => expected),
    );
  });

  it('keeps an event named __proto__ as an ordinary entry', () => {
    const raw = JSON.parse(
      '{"key":{"source":"userId","target":"id"},"global":[],"defaultAction":"drop",' +
        '"events":{"__proto__":{"action":"drop"}}}',
    ) as unknown;

    const set = validateMappingSet(raw);

    assert.deepEqual(Object.keys(set.events), ['__proto__']);
    assert.equal(Object.getPrototypeOf(set.events), Object.prototype);
  });
});
