/**
 * Batches events to `POST {endpoint}/v1/batch`, retries what may still succeed, and mirrors every
 * unconfirmed event in localStorage so a reload or a closed tab resends it with the same
 * messageId (the server drops duplicate messageIds, so an uncertain resend cannot double-count).
 *
 * Known limit: tabs of one site share the stored queue and the last tab to write it wins, so an
 * event that was waiting in a tab closed while another tab wrote can be lost.
 */
import { safe } from './safe.js';
import { load, save } from './storage.js';
import type { DataflyEvent } from './types.js';

export interface Transport {
  push(event: DataflyEvent): void;
  /**
   * Sends what waits now rather than at the timer (a consent change must reach the server at
   * once). While backing off after a failure, it waits for the retry like everything else.
   */
  flush(): void;
}

const STORED_EVENTS = 100;
const STORED_BYTES = 1e5;
/** Browsers refuse keepalive fetches and beacons above 64 KB in flight; stay below. */
const REQUEST_BYTES = 6e4;
const MAX_BACKOFF = 3e4;

/** UTF-8 bytes: the browser limits count bytes, and non-Latin text takes up to three each. */
const size = (text: string) => new Blob([text]).size;

export function createTransport(
  url: string,
  writeKey: string,
  flushAt: number,
  flushInterval: number,
): Transport {
  let queue = load<DataflyEvent[]>('queue') ?? [];
  let inFlight: DataflyEvent[] = [];
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  // Set by an explicit flush, and kept until the batch that takes the last waiting event, so an
  // urgent event queued behind a request in flight or a full batch still goes without the timer.
  let hurry = false;
  const beaconed = new Set<DataflyEvent>();

  const body = (batch: DataflyEvent[]) =>
    JSON.stringify({ batch, sentAt: new Date().toISOString(), writeKey });

  // Oldest events go first when the mirror outgrows its bounds.
  const persist = () => {
    let text;
    while ((text = JSON.stringify(queue)).length > STORED_BYTES || queue.length > STORED_EVENTS) {
      queue.shift();
    }
    save('queue', queue, text);
  };

  const forget = (batch: DataflyEvent[]) => {
    queue = queue.filter((event) => !batch.includes(event));
    persist();
  };

  /** The next request's events, oldest first: up to `flushAt` of them and under 60 KB. */
  const take = (events: DataflyEvent[]) => {
    const batch: DataflyEvent[] = [];
    let bytes = 0;
    for (const event of events) {
      bytes += size(JSON.stringify(event));
      if (batch.length == flushAt || (batch.length && bytes > REQUEST_BYTES)) break;
      batch.push(event);
    }
    return batch;
  };

  const schedule = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(
      safe(() => {
        timer = 0;
        flush();
      }),
      delay,
    );
  };

  const flush = () => {
    if (inFlight.length) return;

    const batch = (inFlight = take(queue));
    if (!batch.length) return;
    hurry &&= batch.length < queue.length;

    const text = body(batch);
    fetch(url, {
      method: 'POST',
      body: text,
      // text/plain is CORS-safelisted: no preflight. The gateway parses the body as JSON.
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      keepalive: size(text) < REQUEST_BYTES,
      credentials: 'include',
    })
      // A 4xx other than 429 will never succeed: the batch is done with, like a 2xx.
      .then(
        (response) => response.status < 500 && response.status != 429,
        () => false,
      )
      .then(
        safe((done: boolean) => {
          inFlight = [];
          if (done) {
            failures = 0;
            forget(batch);
            if (queue.length) schedule(queue.length < flushAt && !hurry ? flushInterval : 0);
          } else {
            failures++;
            schedule(Math.min(MAX_BACKOFF, 500 * 2 ** failures) * (1 + Math.random()));
          }
        }),
      );
  };

  /**
   * The page may be going away: hand what waits to `sendBeacon`, which outlives the page but
   * never says whether the server took it. While the server has been failing, the events stay
   * stored so the next page load sends them again.
   */
  const beacon = () => {
    let waiting = queue.filter((event) => !inFlight.includes(event) && !beaconed.has(event));
    let batch;
    while ((batch = take(waiting)).length) {
      const blob = new Blob([body(batch)], { type: 'text/plain;charset=UTF-8' });
      if (!navigator.sendBeacon(url, blob)) return;

      batch.forEach((event) => beaconed.add(event));
      if (!failures) forget(batch);
      waiting = waiting.slice(batch.length);
    }
  };

  addEventListener(
    'visibilitychange',
    safe(() => document.visibilityState == 'hidden' && beacon()),
  );
  addEventListener('pagehide', safe(beacon));

  if (queue.length) schedule(0);

  return {
    push(event) {
      queue.push(event);
      persist();
      // While backing off, a full queue waits for the retry like the rest.
      if (queue.length >= flushAt && !failures) flush();
      else if (!timer) schedule(flushInterval);
    },

    flush() {
      hurry = true;
      if (!failures) flush();
    },
  };
}
