/**
 * The public shapes of datafly.js: the options, the API object the page calls, and the events it
 * sends. Field names are those of the Segment tracking API, which is what the gateway accepts.
 */

export type Properties = Record<string, unknown>;

/** Consent answers keyed by category: the CMP's own codes, or canonical names. */
export type Categories = Record<string, boolean>;

/** `context.consent` as the browser saw it. */
export interface Consent {
  /** The consent source's own codes, verbatim (`C0004`, `statistics`, `tcf:1`). */
  categories: Categories;
  /** `essential`, `functional`, `analytics`, `marketing`, `personalization`, when known here. */
  canonical?: Categories;
  /** `onetrust`, `cookiebot`, `tcf` or `datafly` (an explicit `datafly.consent()` call). */
  source: string;
}

export type EventType = 'track' | 'page' | 'identify' | 'group';

export interface DataflyEvent {
  type: EventType;
  /** Event name of a `track` call. */
  event?: string;
  /** Page name of a `page` call. */
  name?: string;
  properties: Properties;
  /** Traits of an `identify` (all kept traits) or a `group` call. */
  traits?: Properties;
  userId?: string;
  groupId?: string;
  context: Properties;
  messageId: string;
  timestamp: string;
}

export interface DataflyOptions {
  /** The pipeline key (`dk_...`), sent as `writeKey` in every batch. */
  pipelineKey: string;
  /** Origin of the collection endpoint, e.g. `https://data.example.com`. */
  endpoint: string;
  /** Send a page view when created and on every client-side navigation. Default true. */
  autoPage?: boolean;
  /** Send as soon as this many events wait. Default 10. */
  flushAt?: number;
  /** Send waiting events after this many milliseconds. Default 1000. */
  flushInterval?: number;
}

export interface Datafly {
  page(name?: string | Properties, properties?: Properties): void;
  track(event: string, properties?: Properties): void;
  identify(userId?: string | Properties, traits?: Properties): void;
  group(groupId: string, traits?: Properties): void;
  /** Forget the user id and traits (on log-out). */
  reset(): void;
  /** Set canonical consent explicitly, e.g. `{ marketing: true, analytics: false }`. */
  consent(categories: Categories): void;
}

export type DataflyMethod = keyof Datafly;

/** What the inline snippet leaves on `window.datafly` before the script has loaded. */
export interface DataflyStub {
  q: [DataflyMethod, ...unknown[]][];
}

/** The slice of an IAB TCF v2 `TCData` object that the collector reads. */
export interface TcfData {
  gdprApplies?: boolean;
  purpose?: { consents?: Record<string, boolean> };
}

export type TcfApi = (
  command: 'addEventListener',
  version: 2,
  callback: (data: TcfData | null, success: boolean) => void,
) => void;
