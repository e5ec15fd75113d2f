/**
 * A store wrapper that measures where the delivery path spends its time. better-sqlite3 is
 * synchronous, so the time a store method takes before it returns its promise is event-loop time
 * spent in SQLite (plus JSON work around it); that is what is summed per method. The vendor
 * latency of each successful call is read from the attempt it records.
 */
import type { Store } from '../src/store/store.js';
import type { AttemptRecord } from '../src/store/types.js';

export interface MethodTiming {
  calls: number;
  totalMs: number;
}

export interface StoreTimings {
  methods: Record<string, MethodTiming>;
  /** Vendor calls recorded as delivered, and the sum of their latencies. */
  deliveredCalls: number;
  vendorLatencyMs: number;
}

export function timeStore(store: Store): { store: Store; timings(): StoreTimings } {
  const methods: Record<string, MethodTiming> = {};
  let deliveredCalls = 0;
  let vendorLatencyMs = 0;

  const record = (name: string, ms: number) => {
    const timing = (methods[name] ??= { calls: 0, totalMs: 0 });
    timing.calls += 1;
    timing.totalMs += ms;
  };

  const timed = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;

      const name = String(property);
      return (...args: unknown[]): unknown => {
        if (name === 'completeDelivery') {
          deliveredCalls += 1;
          vendorLatencyMs += (args[1] as AttemptRecord).latencyMs;
        }

        const started = performance.now();
        const result: unknown = Reflect.apply(value, target, args);
        record(name, performance.now() - started);
        return result;
      };
    },
  });

  return {
    store: timed,
    timings: () => ({ methods: structuredClone(methods), deliveredCalls, vendorLatencyMs }),
  };
}
