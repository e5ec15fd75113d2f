/**
 * The generic mapping engine: turns one event into a vendor intent (profile key and attributes)
 * or a drop with a reason, following a `MappingSet`. It knows nothing about any vendor.
 */
import type { SignalEvent } from '../core/envelope.js';
import type { PlanInput, PlanResult } from '../integrations/types.js';
import { isAbsent, mappingDocument, readPath, type MappingDocument } from './mapping-document.js';
import { TransformRejected } from './transform-rejected.js';
import { applyTransform } from './transforms.js';
import type { Mapping, MappingSet } from './types.js';

export { mappingDocument, type MappingDocument } from './mapping-document.js';
export { validateMappingSet } from './validate.js';

/** What one mapping produced. `path` is the source path the value was read from. */
type Evaluation =
  | { kind: 'value'; value: unknown; path: string }
  | { kind: 'missing'; paths: string[] }
  | { kind: 'emptied'; path: string }
  | { kind: 'rejected'; path: string; problem: string };

/** The mappings an event gets beyond the global ones, or the reason it is dropped. */
type Selection = { kind: 'map'; mappings: Mapping[] } | { kind: 'drop'; reason: string };

/**
 * Plans one event.
 *
 * - The key mapping runs first; when it yields nothing usable the event is dropped with a reason
 *   that names the source (never the value).
 * - The event's entry is `events[name]` then `events.track` for a track call, `events[type]`
 *   otherwise; an unlisted event follows `defaultAction`.
 * - Attributes are written key first, then the event's own mappings, then the global ones. The
 *   first mapping that produces a value for a target wins, so a per-event mapping overrides a
 *   global one for the same target, and a later mapping can act as a fallback for an earlier one
 *   that produced nothing.
 * - Absent values are left out, never sent as null. A rejected non-key value is left out with a
 *   warning and the rest is still sent.
 */
export function applyMappings(set: MappingSet, input: PlanInput): PlanResult {
  const document = mappingDocument(input);
  const warnings: string[] = [];

  const key = evaluate(set.key, document);
  if (key.kind !== 'value') {
    return { kind: 'drop', reason: keyFailure(set.key.target, key), warnings };
  }

  const profileKey = keyText(key.value);
  if (profileKey === undefined) {
    const reason = `no usable ${set.key.target}: ${key.path} is not text`;
    return { kind: 'drop', reason, warnings };
  }

  const selection = selectMappings(set, input.event);
  if (selection.kind === 'drop') return { kind: 'drop', reason: selection.reason, warnings };

  // A Map, so that a target named `__proto__` is an ordinary key and cannot reach the prototype.
  const attributes = new Map<string, unknown>([[set.key.target, profileKey]]);

  for (const mapping of [...selection.mappings, ...set.global]) {
    if (attributes.has(mapping.target)) continue;

    const outcome = evaluate(mapping, document);
    if (outcome.kind === 'value') attributes.set(mapping.target, outcome.value);
    if (outcome.kind === 'rejected') {
      warnings.push(`${mapping.target}: ${outcome.path} ${outcome.problem}`);
    }
  }

  return { kind: 'intent', profileKey, attributes: Object.fromEntries(attributes), warnings };
}

/** Reads the first source path that has a value, then applies the transforms in order. */
function evaluate(mapping: Mapping, document: MappingDocument): Evaluation {
  const paths = typeof mapping.source === 'string' ? [mapping.source] : mapping.source;
  const path = paths.find((candidate) => !isAbsent(readPath(document, candidate)));
  if (path === undefined) return { kind: 'missing', paths };

  // A rejection does not fall back to the next path: the first path with a value is the one the
  // visitor gave, and quietly replacing it with another would hide a data problem.
  let value = readPath(document, path);
  try {
    for (const transform of mapping.transforms ?? []) value = applyTransform(transform, value);
  } catch (error) {
    if (error instanceof TransformRejected) {
      return { kind: 'rejected', path, problem: error.problem };
    }
    throw error;
  }

  return isAbsent(value) ? { kind: 'emptied', path } : { kind: 'value', value, path };
}

function keyFailure(target: string, outcome: Exclude<Evaluation, { kind: 'value' }>): string {
  const prefix = `no usable ${target}:`;

  switch (outcome.kind) {
    case 'missing': {
      const [only, ...others] = outcome.paths;
      return others.length === 0
        ? `${prefix} ${only ?? 'the source'} is missing`
        : `${prefix} none of ${outcome.paths.join(', ')} has a value`;
    }
    case 'emptied':
      return `${prefix} ${outcome.path} is empty after its transforms`;
    case 'rejected':
      return `${prefix} ${outcome.path} ${outcome.problem}`;
  }
}

/** A profile key is text; a number (a numeric customer id) is written as text too. */
function keyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;

  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function selectMappings(set: MappingSet, event: SignalEvent): Selection {
  const label = event.type === 'track' ? (event.event ?? 'track') : event.type;
  const candidates =
    event.type === 'track' && event.event !== undefined ? [event.event, 'track'] : [event.type];

  // `Object.hasOwn`, so that an event named "toString" does not find Object.prototype members.
  const found = candidates.find((candidate) => Object.hasOwn(set.events, candidate));
  const entry = found === undefined ? undefined : set.events[found];

  if (entry === undefined || found === undefined) {
    return set.defaultAction === 'global'
      ? { kind: 'map', mappings: [] }
      : { kind: 'drop', reason: `event "${label}" is not mapped` };
  }

  if (entry.action === 'drop') {
    const by = found === label ? 'its mapping' : `the "${found}" mapping`;
    return { kind: 'drop', reason: `event "${label}" is dropped by ${by}` };
  }

  return { kind: 'map', mappings: entry.mappings ?? [] };
}
