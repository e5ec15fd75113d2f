/**
 * A visitor on the test site, in a second browser window beside the management UI: locale `en`
 * and a OneTrust `OptanonConsent` cookie granting marketing (C0004), as the seed's events need.
 * It records what the collector sends, so a test can find each call's events (and their
 * message ids, which the collector generates) in the Event Debugger.
 */
import type { Browser } from 'playwright-core';
import { openVisit, type BrowserVisit } from '../../e2e/support/browser-visit.js';
import { eventually } from '../../support/eventually.js';

/** OneTrust always grants its strictly necessary group C0001; C0004 is targeting (marketing). */
const MARKETING_GRANTED = { C0001: true, C0004: true };

/** One event as the collector sent it to the gateway. */
export interface SentEvent {
  messageId: string;
  type: string;
  /** The `track` event's name. */
  event?: string;
}

export interface SiteVisit {
  /** Console errors and uncaught page errors on the site page. */
  errors: string[];
  /**
   * Runs `code` in the page, as the site's own script would, and resolves with the next `count`
   * events the collector sends, in order.
   */
  call(code: string, count: number): Promise<SentEvent[]>;
  close(): Promise<void>;
}

/** Opens `url` in a new window and waits until the collector has sent its automatic page view. */
export async function visitSite(browser: Browser, url: string): Promise<SiteVisit> {
  const visit = await openVisit(browser, new URL(url).origin, { oneTrust: MARKETING_GRANTED });
  const sent = recordSentEvents(visit);

  await visit.page.goto(url);
  await visit.collectorReady();
  await eventually(() => (sent.length > 0 ? true : undefined), 'the automatic page view');
  let read = sent.length;

  return {
    errors: visit.errors,
    async call(code, count) {
      await visit.run(code);
      const events = await eventually(
        () => (sent.length >= read + count ? sent.slice(read, read + count) : undefined),
        `${count} event(s) sent by the collector`,
      );
      read += count;
      return events;
    },
    close: () => visit.close(),
  };
}

/** Every distinct event in the collector's batches, in the order first sent. */
function recordSentEvents(visit: BrowserVisit): SentEvent[] {
  const sent: SentEvent[] = [];
  const seen = new Set<string>();

  visit.page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/v1/batch')) return;

    const { batch } = JSON.parse(request.postData() ?? '{}') as { batch?: SentEvent[] };
    for (const { messageId, type, event } of batch ?? []) {
      // A retried batch carries the same message ids: the server drops them as duplicates.
      if (seen.has(messageId)) continue;
      seen.add(messageId);
      sent.push({ messageId, type, ...(event === undefined ? {} : { event }) });
    }
  });
  return sent;
}
