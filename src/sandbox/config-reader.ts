/**
 * A small validating reader for hand-written JSON: every check records a problem with its path
 * instead of throwing, so one run reports all the mistakes in a file at once.
 */
import { SandboxConfigError } from './sandbox-errors.js';

/** Collects problems found while reading one configuration document. */
export class ConfigReader {
  private readonly problems: string[] = [];

  constructor(private readonly source: string) {}

  /** Records a problem at a JSON path (empty path = the document itself). */
  problem(path: string, message: string): void {
    this.problems.push(path === '' ? message : `${path}: ${message}`);
  }

  /** Throws a `SandboxConfigError` when any problem was recorded. */
  throwIfProblems(): void {
    if (this.problems.length === 0) return;

    const list = this.problems.map((p) => `  - ${p}`).join('\n');
    throw new SandboxConfigError(`invalid sandbox config ${this.source}:\n${list}`, [
      ...this.problems,
    ]);
  }

  /** A plain object whose keys are all in `fields`; undefined (and a problem) otherwise. */
  object(value: unknown, path: string, fields: string[]): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problem(path, 'must be an object');
      return undefined;
    }

    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!fields.includes(key)) {
        this.problem(path, `unknown field "${key}" (expected ${fields.join(', ')})`);
      }
    }
    return record;
  }

  /** An array with at least `min` items; an empty list (and a problem) otherwise. */
  array(value: unknown, path: string, min: number): unknown[] {
    if (!Array.isArray(value)) {
      this.problem(path, 'must be an array');
      return [];
    }
    if (value.length < min) this.problem(path, `must have at least ${min} item(s)`);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(path, 'must be a non-empty string');
      return '';
    }
    return value;
  }

  optionalString(value: unknown, path: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.problem(path, 'must be a string');
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.problem(path, 'must be true or false');
      return undefined;
    }
    return value;
  }

  positiveInteger(value: unknown, path: string, optional: boolean): number | undefined {
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      this.problem(path, `must be a positive integer${optional ? '' : ' or null (unlimited)'}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.problem(path, `must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  /** Records a problem for each value that appears more than once. */
  unique(values: string[], path: string, showValue = true): void {
    const seen = new Set<string>();
    for (const value of values) {
      if (value === '') continue;
      if (seen.has(value)) {
        // API keys are secrets, even in a sandbox file: name the field, not the value.
        this.problem(path, showValue ? `duplicate value "${value}"` : 'duplicate value');
      }
      seen.add(value);
    }
  }
}
