/**
 * Records the trace bus of the engine it runs beside into the debugger's ring and the minute
 * statistics, and answers the Management API's reads of them (`TraceView`). It lives with the
 * engine, on whatever thread that is, so a trace costs the gateway nothing unless it is watched.
 */
import type { Store } from '../../store/store.js';
import type { Trace, TraceBus } from '../../observability/trace.js';
import { MinuteStats, type MinuteCounts } from '../stats/minute-stats.js';
import { isSecretField } from '../views/secret-fields.js';
import { DebuggerFeed } from './debugger-feed.js';
import type { TraceFilter } from './trace-filter.js';
import type { TraceView, TraceWatch } from './trace-view.js';

export class TraceRecorder implements TraceView {
  private readonly feed = new DebuggerFeed();
  private readonly stats: MinuteStats;
  private readonly unsubscribe: () => void;

  constructor(bus: TraceBus, now: () => number = Date.now) {
    this.stats = new MinuteStats(now);
    this.unsubscribe = bus.subscribe((trace) => {
      this.feed.accept(trace);
      this.stats.record(trace);
    });
  }

  /**
   * Re-reads what the debugger needs of the configuration: the secret values to scrub from
   * every trace (integration secrets, HMAC secrets) and which integrations each pipeline feeds.
   */
  async refresh(store: Store): Promise<void> {
    const [integrations, pipelines] = await Promise.all([
      store.listIntegrations(),
      store.listPipelines(),
    ]);

    const secrets = integrations.flatMap((integration) =>
      Object.entries(integration.config)
        .filter(
          ([key, value]) => typeof value === 'string' && isSecretField(integration.vendor, key),
        )
        .map(([, value]) => value as string),
    );
    for (const pipeline of pipelines) if (pipeline.hmacSecret) secrets.push(pipeline.hmacSecret);

    const routes = new Map(
      pipelines.map((pipeline) => [pipeline.id, new Set(pipeline.integrationIds)]),
    );
    this.feed.configure({ secrets, routes });
  }

  async recent(limit: number, filter: TraceFilter): Promise<Trace[]> {
    return this.feed.recent(limit, filter).map((entry) => entry.shown());
  }

  watch(listener: (json: string) => void): TraceWatch {
    let filter: TraceFilter = {};
    const stop = this.feed.subscribe((entry) => {
      if (entry.matches(filter)) listener(entry.json());
    });

    return {
      setFilter: (next) => {
        filter = next;
      },
      close: stop,
    };
  }

  async minuteSeries(minutes: number): Promise<MinuteCounts[]> {
    return this.stats.series(minutes);
  }

  close(): void {
    this.unsubscribe();
  }
}
