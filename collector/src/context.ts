/** The `context` fields that describe the browser and the page an event happened on. */
import type { Consent, Properties } from './types.js';
import { VERSION } from './version.js';

/**
 * `utm_source=x&utm_campaign=y` → `{ source: 'x', name: 'y' }`: the Segment names, where the
 * campaign itself is `name`. Undefined when the page has no `utm_*` parameter.
 */
export function campaign(search: string): Record<string, string> | undefined {
  let found: Record<string, string> | undefined;

  new URLSearchParams(search).forEach((value, key) => {
    if (key.startsWith('utm_')) {
      (found ||= {})[key == 'utm_campaign' ? 'name' : key.slice(4)] = value;
    }
  });

  return found;
}

export function eventContext(
  referrer: string,
  consent: Consent | undefined,
  traits: Properties,
): Properties {
  const { href, pathname, search } = location;

  return {
    page: { url: href, path: pathname, referrer, title: document.title, search },
    locale: navigator.language,
    userAgent: navigator.userAgent,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    library: { name: 'datafly.js', version: VERSION },
    consent,
    campaign: campaign(search),
    // Kept identify traits ride on every event so a destination keyed on email (Actito) can
    // upsert from a page view or a track without a server-side profile lookup.
    traits: Object.keys(traits).length ? traits : undefined,
  };
}
