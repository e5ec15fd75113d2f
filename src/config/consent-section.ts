/**
 * The `consent` section of the configuration file: the default state of every non-essential
 * category, and how the codes of the site's consent platform map onto the canonical categories.
 */
import { CONSENT_CATEGORIES, isConsentCategory, type ConsentCategory } from '../core/consent.js';
import type { ConsentSettings } from '../store/types.js';
import { childPath, expectObject, fail, rejectUnknownKeys } from './config-checks.js';

const CONSENT_KEYS = ['default', 'mapping'] as const;

/** Checks the `consent` section; `default` falls back to `denied`, `mapping` to none. */
export function parseConsent(raw: unknown, path: string): ConsentSettings {
  const consent = expectObject(raw, path);
  rejectUnknownKeys(consent, CONSENT_KEYS, path);

  const fallback = consent.default ?? 'denied';
  if (fallback !== 'granted' && fallback !== 'denied') {
    fail(childPath(path, 'default'), 'must be "granted" or "denied"');
  }

  const mappingPath = childPath(path, 'mapping');
  const mapping: Record<string, string> = {};
  for (const [code, category] of Object.entries(expectObject(consent.mapping ?? {}, mappingPath))) {
    const where = childPath(mappingPath, code);
    if (code.trim() === '') fail(where, 'has a blank consent code');

    // `defineProperty`, so that a code named `__proto__` stays an ordinary entry.
    Object.defineProperty(mapping, code, {
      value: checkConsentCategory(category, where),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }

  return { default: fallback, mapping };
}

/** One of the canonical consent categories; the value is echoed nowhere. */
export function checkConsentCategory(raw: unknown, path: string): ConsentCategory {
  if (typeof raw !== 'string' || !isConsentCategory(raw)) {
    fail(path, `must be a consent category (one of: ${CONSENT_CATEGORIES.join(', ')})`);
  }

  return raw;
}
