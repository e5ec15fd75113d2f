/**
 * Fault injection for tests and benchmarks: errors answered before any real work, latency added
 * to each admitted request, and stalls that hold a response to provoke client timeouts.
 */
import { isPlainObject } from './profile-body.js';
import { FaultSettingsError } from './sandbox-errors.js';

/** Which requests an error rule applies to. */
export type FaultPaths = 'token' | 'profile' | 'all';

export interface FaultErrorRule {
  status: number;
  /** Probability 0..1 that a matching request fails (default 1). */
  rate?: number;
  /** Only the next N matching failures happen, then the rule is spent. */
  count?: number;
  /** Sent as the `Retry-After` header of the injected error. */
  retryAfterSeconds?: number;
  /** Default `all`. */
  paths?: FaultPaths;
}

export interface FaultSettings {
  errors?: FaultErrorRule[];
  /** Added to every admitted request, before it is handled. */
  latencyMs?: number;
  /** Holds the response that long after the work is done (to provoke client timeouts). */
  stallMs?: number;
}

/** The kind of API call a request is, for matching `paths`. */
export type CallKind = 'token' | 'profile' | 'other';

interface ActiveRule {
  rule: FaultErrorRule;
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private settings: FaultSettings = {};

  get latencyMs(): number {
    return this.settings.latencyMs ?? 0;
  }

  get stallMs(): number {
    return this.settings.stallMs ?? 0;
  }

  /** The settings in force (spent rules included, as they were set). */
  current(): FaultSettings {
    return structuredClone(this.settings);
  }

  /** Replaces the current faults; throws `FaultSettingsError` when they are invalid. */
  set(input: unknown): void {
    const settings = parseFaultSettings(input);

    this.settings = settings;
    this.rules = (settings.errors ?? []).map((rule) => ({
      rule,
      remaining: rule.count ?? Number.POSITIVE_INFINITY,
    }));
  }

  clear(): void {
    this.set({});
  }

  /** The rule that makes this request fail, if any (a count rule is consumed). */
  pick(kind: CallKind): FaultErrorRule | undefined {
    for (const active of this.rules) {
      if (active.remaining <= 0) continue;

      const paths = active.rule.paths ?? 'all';
      if (paths !== 'all' && paths !== kind) continue;
      if (Math.random() >= (active.rule.rate ?? 1)) continue;

      active.remaining -= 1;
      return active.rule;
    }
    return undefined;
  }
}

/** Validates fault settings given as JSON (over HTTP) or from code. */
export function parseFaultSettings(input: unknown): FaultSettings {
  if (!isPlainObject(input)) throw new FaultSettingsError('fault settings must be a JSON object');
  for (const key of Object.keys(input)) {
    if (!['errors', 'latencyMs', 'stallMs'].includes(key)) {
      throw new FaultSettingsError(`unknown fault setting "${key}"`);
    }
  }

  const settings: FaultSettings = {};
  const latencyMs = readNumber(input['latencyMs'], 'latencyMs', 0, Number.MAX_SAFE_INTEGER);
  const stallMs = readNumber(input['stallMs'], 'stallMs', 0, Number.MAX_SAFE_INTEGER);
  if (latencyMs !== undefined) settings.latencyMs = latencyMs;
  if (stallMs !== undefined) settings.stallMs = stallMs;

  if (input['errors'] !== undefined) {
    if (!Array.isArray(input['errors'])) throw new FaultSettingsError('errors must be an array');
    settings.errors = input['errors'].map((raw: unknown, i) => readRule(raw, `errors[${i}]`));
  }

  return settings;
}

function readRule(raw: unknown, path: string): FaultErrorRule {
  if (!isPlainObject(raw)) throw new FaultSettingsError(`${path} must be an object`);
  for (const key of Object.keys(raw)) {
    if (!['status', 'rate', 'count', 'retryAfterSeconds', 'paths'].includes(key)) {
      throw new FaultSettingsError(`${path}: unknown field "${key}"`);
    }
  }

  const status = raw['status'];
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
    throw new FaultSettingsError(`${path}.status must be an HTTP error status (400 to 599)`);
  }
  const rule: FaultErrorRule = { status };

  const rate = readNumber(raw['rate'], `${path}.rate`, 0, 1);
  const count = readNumber(raw['count'], `${path}.count`, 1, Number.MAX_SAFE_INTEGER);
  const retryAfter = readNumber(raw['retryAfterSeconds'], `${path}.retryAfterSeconds`, 0, 86_400);
  if (rate !== undefined) rule.rate = rate;
  if (count !== undefined) {
    if (!Number.isInteger(count)) throw new FaultSettingsError(`${path}.count must be an integer`);
    rule.count = count;
  }
  if (retryAfter !== undefined) rule.retryAfterSeconds = retryAfter;

  const paths = raw['paths'];
  if (paths !== undefined) {
    if (paths !== 'token' && paths !== 'profile' && paths !== 'all') {
      throw new FaultSettingsError(`${path}.paths must be "token", "profile" or "all"`);
    }
    rule.paths = paths;
  }

  return rule;
}

function readNumber(value: unknown, path: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new FaultSettingsError(`${path} must be a number from ${min} to ${max}`);
  }
  return value;
}
