/**
 * What changed between two versions of a record, field by field (`config.entity`,
 * `mappings.global[5].target`), for the audit log and revision history. A secret field is listed
 * as changed without either value, so the audit log never holds one.
 */
import type { ChangeSummary } from '../../store/types.js';

/** Longest list kept; a bulk edit is summarised by its first changes and a count. */
const MAX_CHANGES = 100;

export interface SummaryOptions {
  /** Field paths whose values are secret (`config.api_key`, `hmac_secret`). */
  secrets?: ReadonlySet<string>;
}

/** The leaf-level differences from `before` to `after` (either may be `undefined`). */
export function summariseChanges(
  before: unknown,
  after: unknown,
  options: SummaryOptions = {},
): ChangeSummary[] {
  const old = flatten(before);
  const now = flatten(after);
  const fields = [...new Set([...old.keys(), ...now.keys()])];
  const secrets = options.secrets ?? new Set<string>();

  const changes: ChangeSummary[] = [];
  for (const field of fields) {
    const from = old.get(field);
    const to = now.get(field);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;

    const change = from === undefined ? 'added' : to === undefined ? 'removed' : 'changed';
    if (isSecret(field, secrets)) changes.push({ field, change });
    else changes.push({ field, change, ...valueOf('from', from), ...valueOf('to', to) });
  }

  if (changes.length <= MAX_CHANGES) return changes;
  const more = changes.length - MAX_CHANGES;
  return [...changes.slice(0, MAX_CHANGES), { field: `(${more} more)`, change: 'changed' }];
}

/** A secret field, or anything inside one (a secret given as an object). */
function isSecret(field: string, secrets: ReadonlySet<string>): boolean {
  for (const secret of secrets) {
    if (field === secret || field.startsWith(`${secret}.`) || field.startsWith(`${secret}[`)) {
      return true;
    }
  }
  return false;
}

function valueOf(name: 'from' | 'to', value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [name]: value };
}

/** Leaf values by path; an empty object or list counts as a leaf so that it is not lost. */
function flatten(
  value: unknown,
  path = '',
  into = new Map<string, unknown>(),
): Map<string, unknown> {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, index) => flatten(item, `${path}[${index}]`, into));
    return into;
  }

  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, member] of Object.entries(value)) {
      const segment = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
      const child =
        path === ''
          ? segment
          : segment.startsWith('[')
            ? `${path}${segment}`
            : `${path}.${segment}`;
      flatten(member, child, into);
    }
    return into;
  }

  // An empty record at the top is no value at all (a record created from nothing).
  if (path === '' && typeof value === 'object' && value !== null) return into;

  if (value !== undefined) into.set(path === '' ? '(value)' : path, value);
  return into;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
