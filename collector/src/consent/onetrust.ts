/**
 * OneTrust keeps consent in the `OptanonConsent` cookie, a query string whose `groups` parameter
 * reads `C0001:1,C0002:0,C0004:1`. Group codes differ per OneTrust configuration, so they travel
 * verbatim and the server maps them onto canonical categories.
 */
import type { Consent } from '../types.js';
import { readCookie } from './cookie.js';

export const ONETRUST_EVENT = 'OneTrustGroupsUpdated';

export function parseOneTrust(cookie: string | undefined): Consent | undefined {
  const groups = new URLSearchParams(cookie).get('groups');
  if (!groups) return undefined;

  const categories: Record<string, boolean> = {};
  for (const group of groups.split(',')) {
    const [code, granted] = group.split(':');
    if (code) categories[code] = granted == '1';
  }

  return { categories, source: 'onetrust' };
}

/**
 * OneTrust may fire `OneTrustGroupsUpdated` before it rewrites its cookie; the event's `detail`
 * (the active group codes) is then the fresher answer for every group it does not list.
 */
export function readOneTrust(active?: unknown): Consent | undefined {
  const consent = parseOneTrust(readCookie('OptanonConsent'));
  if (!Array.isArray(active)) return consent;

  const categories = consent?.categories ?? {};
  for (const code in categories) categories[code] = active.includes(code);
  for (const code of active) categories[String(code)] = true;

  return { categories, source: 'onetrust' };
}
