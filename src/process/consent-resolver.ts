/**
 * Resolves an event's consent to the canonical categories. Later sources override earlier ones:
 * the configured default, then the visitor's stored latest state, then the CMP codes the event
 * carries (through the configured mapping), then canonical categories the page stated itself.
 * `essential` is always granted.
 */
import {
  CONSENT_CATEGORIES,
  isConsentCategory,
  uniformConsent,
  type ConsentCategory,
  type ConsentState,
} from '../core/consent.js';
import type { ConsentContext } from '../core/envelope.js';
import type { ConsentSettings } from '../store/types.js';

export interface ResolvedConsent {
  state: ConsentState;
  /** Whether the event itself said something about consent (then it becomes the stored state). */
  stated: boolean;
}

export function resolveConsent(
  context: ConsentContext | undefined,
  settings: ConsentSettings,
  stored: ConsentState | undefined,
): ResolvedConsent {
  const state: ConsentState = { ...(stored ?? defaultConsent(settings)) };
  let stated = false;

  const fromCodes = mapCodes(context?.categories, settings.mapping);
  for (const [category, granted] of fromCodes) {
    state[category] = granted;
    stated = true;
  }

  for (const [name, granted] of Object.entries(context?.canonical ?? {})) {
    if (isConsentCategory(name) && typeof granted === 'boolean') {
      state[name] = granted;
      stated = true;
    }
  }

  state.essential = true;
  return { state, stated };
}

/** The state of a visitor who has said nothing. */
export function defaultConsent(settings: ConsentSettings): ConsentState {
  return uniformConsent(settings.default === 'granted');
}

/**
 * A category is granted when every CMP code mapped onto it that the event carries is granted:
 * if two codes both feed `marketing`, refusing either refuses marketing.
 */
function mapCodes(
  codes: Record<string, boolean> | undefined,
  mapping: Record<string, string>,
): Map<ConsentCategory, boolean> {
  const result = new Map<ConsentCategory, boolean>();
  if (!codes) return result;

  for (const [code, granted] of Object.entries(codes)) {
    const category = mapping[code] ?? (isConsentCategory(code) ? code : undefined);
    if (category === undefined || !isConsentCategory(category)) continue;
    result.set(category, (result.get(category) ?? true) && granted === true);
  }
  return result;
}

/** Categories granted before and refused now. */
export function withdrawnCategories(
  before: ConsentState | undefined,
  after: ConsentState,
): ConsentCategory[] {
  if (!before) return [];
  return CONSENT_CATEGORIES.filter((category) => before[category] && !after[category]);
}
