/**
 * The last guard before a trace leaves the server: vendor exchanges are masked when recorded,
 * but anything that reaches the debugger or the API passes here again. Credential headers are
 * masked wherever a `headers` object appears, and every known secret value (API keys, HMAC
 * secrets) is replaced wherever it appears in any string, by the same rule as everywhere else.
 */
import { maskCredential, maskHeaders, secretScrubber } from '../../core/secret-text.js';

/** Header names that carry credentials: authorization, cookies, API keys, tokens, secrets. */
const SECRET_HEADER = /authorization|cookie|api[-_]?key|token|secret|password/i;

/** A copy of `headers` with credential values masked (`Bearer ****` keeps the scheme visible). */
export function scrubHeaders(headers: Record<string, string>): Record<string, string> {
  return maskHeaders(headers, (name) => SECRET_HEADER.test(name));
}

/** A deep copy of `value` with credential headers masked and known secrets replaced. */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
  // Prepared once per value: a trace has many strings, and the list of secrets is the same.
  return walk(value, false, secretScrubber(secrets)) as T;
}

function walk(value: unknown, inHeaders: boolean, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, false, scrub));
  if (typeof value !== 'object' || value === null) return value;

  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const masked = inHeaders && SECRET_HEADER.test(key) && typeof member === 'string';
    // `defineProperty`, so that event data with a `__proto__` key stays an ordinary member.
    Object.defineProperty(copy, key, {
      value: masked ? maskCredential(member) : walk(member, key.toLowerCase() === 'headers', scrub),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
