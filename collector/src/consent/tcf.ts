/**
 * IAB TCF v2: the CMP's `__tcfapi('addEventListener', 2, cb)` calls back now and on every change.
 * Purposes 1–10 travel as `tcf:1`..`tcf:10`; which purposes make up "marketing" is the server's
 * per-organisation mapping.
 */
import type { Consent } from '../types.js';
import { safe } from '../safe.js';

export function watchTcf(onConsent: (consent: Consent) => void): void {
  window.__tcfapi?.(
    'addEventListener',
    2,
    safe((data, success) => {
      const consents = success && data?.gdprApplies !== false && data?.purpose?.consents;
      if (!consents) return;

      const categories: Record<string, boolean> = {};
      for (let purpose = 1; purpose <= 10; purpose++) {
        categories['tcf:' + purpose] = !!consents[purpose];
      }
      onConsent({ categories, source: 'tcf' });
    }),
  );
}
