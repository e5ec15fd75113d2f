/**
 * Checks a mapping set that comes from outside the code (a preset file, the UI, a config file)
 * and returns a clean copy. Every complaint names the place (`global[2].transforms[0]`) so that
 * the UI can point at the field and a config-file user can find the line.
 */
import { ConfigError } from '../core/errors.js';
import { DATE_FORMATS } from './date-format.js';
import { DOCUMENT_ROOTS } from './mapping-document.js';
import { isPhoneRegion } from './phone.js';
import { TRANSFORM_NAMES, type TransformName } from './transforms.js';
import type { EventMapping, Mapping, MappingSet, TransformSpec } from './types.js';

type Raw = Record<string, unknown>;

/** The options each transform accepts when written as an object. */
const TRANSFORM_OPTIONS: Record<TransformName, readonly string[]> = {
  trim: [],
  lowercase: [],
  uppercase: [],
  email: [],
  boolean: [],
  e164: ['defaultRegion'],
  language: ['case'],
  value_map: ['map', 'default'],
  date_format: ['format'],
};

/**
 * Validates `raw` as a `MappingSet` and returns a copy holding only the known fields. An option-
 * less transform written as an object (`{ "name": "trim" }`) is accepted and returned as its bare
 * name; an `e164` default region is upper-cased.
 *
 * @throws ConfigError `INVALID_CONFIG` naming the offending place and what is wrong with it.
 */
export function validateMappingSet(raw: unknown): MappingSet {
  const set = expectObject(raw, 'mapping set');
  rejectUnknownKeys(set, ['key', 'global', 'events', 'defaultAction'], 'mapping set');

  const key = validateMapping(set.key, 'key');
  const global = validateMappings(set.global, 'global');
  const events = validateEvents(set.events);

  if (set.defaultAction !== 'global' && set.defaultAction !== 'drop') {
    fail('defaultAction', 'must be "global" or "drop"');
  }

  return { key, global, events, defaultAction: set.defaultAction };
}

function validateEvents(raw: unknown): Record<string, EventMapping> {
  const events = expectObject(raw, 'events');
  const result: Record<string, EventMapping> = {};

  for (const [name, value] of Object.entries(events)) {
    const where = `events[${JSON.stringify(name)}]`;
    if (name.trim() === '') fail(where, 'an event name cannot be blank');

    const entry = expectObject(value, where);
    rejectUnknownKeys(entry, ['action', 'mappings'], where);
    if (entry.action !== 'map' && entry.action !== 'drop') {
      fail(`${where}.action`, 'must be "map" or "drop"');
    }

    const mappings =
      entry.mappings === undefined
        ? undefined
        : validateMappings(entry.mappings, `${where}.mappings`);
    // `defineProperty`, so that an event named `__proto__` stays an ordinary entry.
    Object.defineProperty(result, name, {
      value: mappings === undefined ? { action: entry.action } : { action: entry.action, mappings },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }

  return result;
}

function validateMappings(raw: unknown, where: string): Mapping[] {
  if (!Array.isArray(raw)) fail(where, 'must be a list of mappings');

  return raw.map((item: unknown, index) => validateMapping(item, `${where}[${index}]`));
}

function validateMapping(raw: unknown, where: string): Mapping {
  const mapping = expectObject(raw, where);
  rejectUnknownKeys(mapping, ['source', 'target', 'transforms'], where);

  const source = validateSource(mapping.source, `${where}.source`);

  if (typeof mapping.target !== 'string' || mapping.target.trim() === '') {
    fail(`${where}.target`, 'must be the name of the attribute to write');
  }

  if (mapping.transforms === undefined) return { source, target: mapping.target };

  if (!Array.isArray(mapping.transforms)) {
    fail(`${where}.transforms`, 'must be a list of transforms');
  }
  const transforms = mapping.transforms.map((item: unknown, index) =>
    validateTransform(item, `${where}.transforms[${index}]`),
  );

  return { source, target: mapping.target, transforms };
}

function validateSource(raw: unknown, where: string): string | string[] {
  if (typeof raw === 'string') return validatePath(raw, where);

  if (!Array.isArray(raw) || raw.length === 0) {
    fail(where, 'must be a path such as "traits.email" or a non-empty list of paths');
  }

  return raw.map((path: unknown, index) => validatePath(path, `${where}[${index}]`));
}

function validatePath(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    fail(where, 'must be a path such as "traits.email"');
  }

  const segments = raw.split('.');
  if (segments.some((segment) => segment === '')) fail(where, `"${raw}" has an empty segment`);

  const root = segments[0] ?? '';
  if (!(DOCUMENT_ROOTS as readonly string[]).includes(root)) {
    fail(where, `"${raw}" must start with one of ${DOCUMENT_ROOTS.join(', ')}`);
  }

  return raw;
}

function validateTransform(raw: unknown, where: string): TransformSpec {
  const name = typeof raw === 'string' ? raw : isObject(raw) ? raw.name : undefined;
  if (typeof name !== 'string') fail(where, 'must be a transform name or an object with a "name"');
  if (!isTransformName(name)) {
    fail(where, `unknown transform "${name}" (known: ${TRANSFORM_NAMES.join(', ')})`);
  }

  const options: Raw = isObject(raw) ? raw : {};
  rejectUnknownKeys(options, ['name', ...TRANSFORM_OPTIONS[name]], where);

  switch (name) {
    case 'e164':
      return validatePhoneOptions(options, where);
    case 'language':
      return validateLanguageOptions(options, where);
    case 'value_map':
      return validateValueMap(options, where);
    case 'date_format':
      return validateDateFormat(options, where);
    default:
      return name;
  }
}

function validatePhoneOptions(options: Raw, where: string): TransformSpec {
  const region = options.defaultRegion;
  if (region === undefined) return 'e164';

  const upper = typeof region === 'string' ? region.toUpperCase() : undefined;
  if (upper === undefined || !isPhoneRegion(upper)) {
    fail(`${where}.defaultRegion`, 'must be an ISO 3166-1 alpha-2 country code such as "BE"');
  }

  return { name: 'e164', defaultRegion: upper };
}

function validateLanguageOptions(options: Raw, where: string): TransformSpec {
  const letterCase = options.case;
  if (letterCase === undefined) return 'language';

  if (letterCase !== 'lower' && letterCase !== 'upper') {
    fail(`${where}.case`, 'must be "lower" or "upper"');
  }

  return { name: 'language', case: letterCase };
}

function validateValueMap(options: Raw, where: string): TransformSpec {
  const map = options.map;
  if (!isObject(map)) fail(`${where}.map`, 'must be an object from input values to output values');

  // A copy with `defineProperty`, so that a `__proto__` entry stays an ordinary key.
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map)) {
    Object.defineProperty(copy, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }

  return Object.hasOwn(options, 'default')
    ? { name: 'value_map', map: copy, default: options.default }
    : { name: 'value_map', map: copy };
}

function validateDateFormat(options: Raw, where: string): TransformSpec {
  const format = DATE_FORMATS.find((candidate) => candidate === options.format);
  if (format === undefined) fail(`${where}.format`, `must be one of ${DATE_FORMATS.join(', ')}`);

  return { name: 'date_format', format };
}

function isTransformName(name: string): name is TransformName {
  return (TRANSFORM_NAMES as readonly string[]).includes(name);
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectObject(value: unknown, where: string): Raw {
  if (!isObject(value)) fail(where, 'must be an object');

  return value;
}

function rejectUnknownKeys(value: Raw, known: readonly string[], where: string): void {
  // A typo such as "transform" for "transforms" would otherwise be silently ignored.
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    fail(where, `unknown property "${unknown}" (expected: ${known.join(', ')})`);
  }
}

function fail(where: string, problem: string): never {
  throw new ConfigError('INVALID_CONFIG', `${where}: ${problem}`);
}
