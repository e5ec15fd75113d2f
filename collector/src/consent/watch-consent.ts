/** Reads the consent of whichever supported CMP the page runs, now and whenever it changes. */
import type { Consent } from '../types.js';
import { safe } from '../safe.js';
import { COOKIEBOT_EVENTS, readCookiebot } from './cookiebot.js';
import { ONETRUST_EVENT, readOneTrust } from './onetrust.js';
import { watchTcf } from './tcf.js';

/**
 * The consent stored by a CMP cookie; OneTrust first when a page somehow carries both. A CMP's
 * malformed cookie reads as no answer rather than stopping the collector from starting.
 */
export function readCmpConsent(): Consent | undefined {
  return safe(readOneTrust)() ?? safe(readCookiebot)();
}

/** Calls `onConsent` with the CMP's answer after each of its change notifications. */
export function watchCmps(onConsent: (consent: Consent | undefined) => void): void {
  addEventListener(
    ONETRUST_EVENT,
    safe((event: Event) => onConsent(readOneTrust((event as CustomEvent).detail))),
  );
  for (const name of COOKIEBOT_EVENTS) {
    addEventListener(
      name,
      safe(() => onConsent(readCookiebot())),
    );
  }
  // A broken `__tcfapi` must not stop the collector from starting.
  safe(watchTcf)(onConsent);
}
