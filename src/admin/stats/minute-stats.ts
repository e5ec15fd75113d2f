/**
 * Per-minute counts for the overview chart, fed by the trace bus: events received, and per
 * integration the events routed to it (received), vendor calls that succeeded (delivered),
 * failed attempts (retried or dead-lettered) and drops.
 *
 * Known limit: the counts live in a bounded in-memory ring (the last 24 hours), so a restart
 * empties the chart and each node of a cluster counts only its own work; a cluster would keep
 * them in the shared database.
 */
import type { Trace } from '../../observability/trace.js';

export interface Counts {
  received: number;
  delivered: number;
  failed: number;
  dropped: number;
}

/** One minute of counts, overall and per integration. */
export interface MinuteCounts {
  /** The minute's start, ISO 8601. */
  minute: string;
  total: Counts;
  integrations: Record<string, Counts>;
}

interface Bucket {
  minute: number;
  total: Counts;
  integrations: Map<string, Counts>;
}

export const MAX_MINUTES = 24 * 60;
const MINUTE_MS = 60_000;

export class MinuteStats {
  private readonly buckets: (Bucket | undefined)[] = new Array<Bucket | undefined>(MAX_MINUTES);

  constructor(private readonly now: () => number = Date.now) {}

  record(trace: Trace): void {
    const bucket = this.bucket(Math.floor(this.now() / MINUTE_MS));
    const integration = trace.integrationId
      ? countsOf(bucket.integrations, trace.integrationId)
      : undefined;

    switch (trace.stage) {
      case 'received':
        bucket.total.received += 1;
        break;
      case 'duplicate':
        bucket.total.dropped += 1;
        break;
      case 'planned':
        if (integration) integration.received += 1;
        break;
      case 'dropped':
        bucket.total.dropped += 1;
        if (integration) {
          integration.received += 1;
          integration.dropped += 1;
        }
        break;
      case 'delivered':
        bucket.total.delivered += 1;
        if (integration) integration.delivered += 1;
        break;
      case 'retried':
      case 'dead_lettered':
        bucket.total.failed += 1;
        if (integration) integration.failed += 1;
        break;
      default:
        break;
    }
  }

  /** The last `minutes` minutes, oldest first, the current minute included. */
  series(minutes: number): MinuteCounts[] {
    const current = Math.floor(this.now() / MINUTE_MS);
    const count = Math.min(Math.max(minutes, 1), MAX_MINUTES);

    return Array.from({ length: count }, (_, index) => {
      const minute = current - count + 1 + index;
      const bucket = this.buckets[minute % MAX_MINUTES];
      const live = bucket?.minute === minute ? bucket : undefined;

      return {
        minute: new Date(minute * MINUTE_MS).toISOString(),
        total: { ...(live?.total ?? emptyCounts()) },
        integrations: Object.fromEntries(
          [...(live?.integrations ?? [])].map(([id, counts]) => [id, { ...counts }]),
        ),
      };
    });
  }

  private bucket(minute: number): Bucket {
    const slot = minute % MAX_MINUTES;
    const existing = this.buckets[slot];
    if (existing?.minute === minute) return existing;

    // The slot held a day-old minute (or none): start it afresh.
    const fresh = { minute, total: emptyCounts(), integrations: new Map<string, Counts>() };
    this.buckets[slot] = fresh;
    return fresh;
  }
}

function countsOf(map: Map<string, Counts>, id: string): Counts {
  let counts = map.get(id);
  if (!counts) {
    counts = emptyCounts();
    map.set(id, counts);
  }
  return counts;
}

function emptyCounts(): Counts {
  return { received: 0, delivered: 0, failed: 0, dropped: 0 };
}
