/**
 * Small checks shared by the sections of the configuration file. Each takes the JSON path of the
 * value (`pipelines[0].allowed_origins[1]`) and throws a `ConfigError` that starts with it, so a
 * person can find the line to fix. Values are never echoed unless the caller says they are safe:
 * any string may have come from a secret `${VAR}`.
 */
import { ConfigError } from '../core/errors.js';

export type RawObject = Record<string, unknown>;

/** Pipeline and integration ids: short, lower-case, safe in URLs, logs and metric labels. */
const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The path of `key` inside the value at `parent` (`''` is the top level). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;

  // Keys such as `tcf:1` or `C0004 ` cannot be written after a dot without confusion.
  const segment = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (parent === '') return segment;

  return segment.startsWith('[') ? `${parent}${segment}` : `${parent}.${segment}`;
}

/** Throws the error for the value at `path`; `problem` reads on from the path ("must be ..."). */
export function fail(path: string, problem: string, cause?: unknown): never {
  throw new ConfigError('INVALID_CONFIG', `${path === '' ? 'the file' : path} ${problem}`, {
    cause,
  });
}

/**
 * Runs `check`, prefixing the message of a `ConfigError` it throws with `path:`, for checks
 * written elsewhere (vendor settings, mapping sets) that do not know where their input came from.
 */
export function within<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;

    throw new ConfigError('INVALID_CONFIG', `${path}: ${error.message}`, { cause: error });
  }
}

export function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, path: string): RawObject {
  if (!isObject(value)) fail(path, 'must be an object');

  return value;
}

/** An optional array (absent: empty), each element checked by `item`. */
export function optionalArray<T>(
  value: unknown,
  path: string,
  item: (element: unknown, path: string) => T,
): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, 'must be an array');

  return value.map((element, index) => item(element, childPath(path, index)));
}

/** Refuses properties outside `known`: a typo such as `allowed_origin` would otherwise be lost. */
export function rejectUnknownKeys(value: RawObject, known: readonly string[], path: string): void {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown === undefined) return;

  fail(childPath(path, unknown), `is not a known setting (expected one of: ${known.join(', ')})`);
}

export function requiredString(value: unknown, path: string): string {
  if (value === undefined) fail(path, 'is required');

  return nonBlankString(value, path);
}

export function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : nonBlankString(value, path);
}

function nonBlankString(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'must be a string');

  const trimmed = value.trim();
  if (trimmed === '') fail(path, 'must not be blank');

  return trimmed;
}

/** A pipeline or integration id. The value is echoed: ids are names, never secrets. */
export function checkId(value: unknown, path: string): string {
  if (value === undefined) fail(path, 'is required');
  if (typeof value !== 'string') fail(path, 'must be a string');

  if (!ID_PATTERN.test(value)) {
    fail(
      path,
      `"${value}" must be 1 to 64 lower-case letters, digits, "_" or "-", starting with a ` +
        'letter or digit',
    );
  }

  return value;
}

export function optionalBoolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(path, 'must be true or false');

  return value;
}

/** A whole number within `[min, max]`; `fallback` when absent. */
export function optionalInteger(
  value: unknown,
  path: string,
  range: { min: number; max?: number },
  fallback: number,
): number {
  if (value === undefined) return fallback;

  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > max) {
    const bounds =
      range.max === undefined ? `of at least ${range.min}` : `from ${range.min} to ${range.max}`;
    fail(path, `must be a whole number ${bounds}`);
  }

  return value;
}

/** Each value once, first occurrence first. */
export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
