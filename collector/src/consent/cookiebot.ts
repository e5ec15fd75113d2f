/**
 * Cookiebot keeps consent in the `CookieConsent` cookie, URL-encoded JavaScript-object-like text:
 * `{stamp:'..',necessary:true,preferences:false,statistics:true,marketing:true,...}`. Its four
 * category names are semantic, so the canonical view is known here.
 */
import type { Categories, Consent } from '../types.js';
import { readCookie } from './cookie.js';

export const COOKIEBOT_EVENTS = [
  'CookiebotOnConsentReady',
  'CookiebotOnAccept',
  'CookiebotOnDecline',
];

const CANONICAL: Record<string, string> = {
  necessary: 'essential',
  preferences: 'functional',
  statistics: 'analytics',
  marketing: 'marketing',
};

/** Also reads `JSON.stringify(Cookiebot.consent)`: the pattern allows the quoted key. */
export function parseCookiebot(text: string | undefined): Consent | undefined {
  if (!text) return undefined;

  // `-1` means the visitor is outside every region that requires consent.
  let decoded = decodeURIComponent(text);
  if (decoded == '-1') decoded = 'necessary:true,preferences:true,statistics:true,marketing:true';

  const categories: Categories = {};
  const canonical: Categories = {};
  for (const [, name, value] of decoded.matchAll(/(\w+)"?:(true|false)/g)) {
    const category = CANONICAL[name!];
    if (category) canonical[category] = categories[name!] = value == 'true';
  }

  return Object.keys(categories).length
    ? { categories, canonical, source: 'cookiebot' }
    : undefined;
}

/** Cookiebot's own object is fresher than its cookie while one of its events is dispatched. */
export function readCookiebot(): Consent | undefined {
  const live = window.Cookiebot?.consent;
  return parseCookiebot(live ? JSON.stringify(live) : readCookie('CookieConsent'));
}
