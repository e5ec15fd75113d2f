/**
 * The transform catalogue: each named transform turns one value into another or throws
 * `TransformRejected`. The engine applies a mapping's transforms in order.
 */
import { formatDate } from './date-format.js';
import { toEmail } from './email.js';
import { toLanguage } from './language.js';
import { toE164 } from './phone.js';
import { TransformRejected } from './transform-rejected.js';
import type { TransformSpec } from './types.js';

/** Every transform name a mapping may use. */
export const TRANSFORM_NAMES = [
  'trim',
  'lowercase',
  'uppercase',
  'email',
  'e164',
  'language',
  'boolean',
  'value_map',
  'date_format',
] as const;

export type TransformName = (typeof TRANSFORM_NAMES)[number];

const TRUE_WORDS = new Set(['true', 'yes', '1', 'granted', 'on']);
const FALSE_WORDS = new Set(['false', 'no', '0', 'denied', 'off']);

/** The name of a transform, whether it is written as a bare name or with options. */
export function transformName(spec: TransformSpec): TransformName {
  return typeof spec === 'string' ? spec : spec.name;
}

/**
 * Applies one transform. The text transforms (`trim`, `lowercase`, `uppercase`) change strings
 * only and pass any other value through unchanged: stringifying a number or boolean here would
 * silently change its type at the vendor.
 *
 * @throws TransformRejected when the value cannot be converted.
 */
export function applyTransform(spec: TransformSpec, value: unknown): unknown {
  if (typeof spec !== 'string') return applyWithOptions(spec, value);

  switch (spec) {
    case 'trim':
      return typeof value === 'string' ? value.trim() : value;
    case 'lowercase':
      return typeof value === 'string' ? value.toLowerCase() : value;
    case 'uppercase':
      return typeof value === 'string' ? value.toUpperCase() : value;
    case 'email':
      return toEmail(value);
    case 'e164':
      return toE164(value);
    case 'language':
      return toLanguage(value);
    case 'boolean':
      return toBoolean(value);
  }
}

function applyWithOptions(spec: Exclude<TransformSpec, string>, value: unknown): unknown {
  switch (spec.name) {
    case 'e164':
      return toE164(value, spec.defaultRegion);
    case 'language':
      return toLanguage(value, spec.case);
    case 'value_map':
      return mapValue(value, spec.map, spec);
    case 'date_format':
      return formatDate(value, spec.format);
  }
}

/**
 * The `boolean` transform: true/false, 1/0 and the words true/false, yes/no, 1/0, granted/denied,
 * on/off (any case, surrounding spaces ignored). Anything else is refused rather than guessed.
 */
export function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;

  if (value === 1 || value === 0) return value === 1;

  const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (word !== undefined && TRUE_WORDS.has(word)) return true;
  if (word !== undefined && FALSE_WORDS.has(word)) return false;

  throw new TransformRejected('is not a recognised true/false value');
}

/**
 * The `value_map` transform: looks the value's string form up in `map` (`true` → `"true"`,
 * `3` → `"3"`; strings are matched exactly). An unmapped value becomes `default` when one is
 * given (a `null` default leaves the attribute out) and is refused otherwise.
 */
export function mapValue(
  value: unknown,
  map: Record<string, unknown>,
  options: { default?: unknown } = {},
): unknown {
  const isScalar =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  if (!isScalar) throw new TransformRejected('is not a single value the value map can look up');

  // `Object.hasOwn`, so that values such as "constructor" do not find Object.prototype members.
  const key = String(value);
  if (Object.hasOwn(map, key)) return map[key];

  if (Object.hasOwn(options, 'default')) return options.default;

  throw new TransformRejected('has no entry in the value map and the map has no default');
}
