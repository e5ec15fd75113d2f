/**
 * The fixed consent vocabulary every CMP code is mapped onto. `essential` is always granted;
 * the others are granted only when the visitor (or the configured default) says so.
 */
export const CONSENT_CATEGORIES = [
  'essential',
  'functional',
  'analytics',
  'marketing',
  'personalization',
] as const;

export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number];

/** A resolved consent state: every canonical category is either granted or not. */
export type ConsentState = Record<ConsentCategory, boolean>;

export function isConsentCategory(value: string): value is ConsentCategory {
  return (CONSENT_CATEGORIES as readonly string[]).includes(value);
}

/** Every category at `granted`, except `essential`, which is always granted. */
export function uniformConsent(granted: boolean): ConsentState {
  return {
    essential: true,
    functional: granted,
    analytics: granted,
    marketing: granted,
    personalization: granted,
  };
}
