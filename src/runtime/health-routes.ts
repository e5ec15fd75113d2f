/**
 * Liveness, readiness and Prometheus metrics: `/healthz` answers while the process runs,
 * `/readyz` only while the process says it is ready (started, not closing, its engine running)
 * and the store answers, `/metrics` in Prometheus' text format.
 */
import type { FastifyInstance } from 'fastify';
import { AggregatorRegistry } from 'prom-client';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';

export interface HealthDeps {
  store: Store;
  metrics: Metrics;
  ready: () => boolean;
  /** Metrics counted on another thread (the engine's), summed with this thread's. */
  engineMetrics?: () => Promise<unknown[]>;
}

export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      if (!deps.ready()) throw new Error('not ready');
      await deps.store.readCursor();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'not ready' });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    await refreshQueueDepth(deps.store, deps.metrics);
    const { registry } = deps.metrics;
    if (!deps.engineMetrics) return reply.type(registry.contentType).send(await registry.metrics());

    const merged = AggregatorRegistry.aggregate([
      await registry.getMetricsAsJSON(),
      await deps.engineMetrics(),
    ]);
    return reply.type(registry.contentType).send(await merged.metrics());
  });
}

async function refreshQueueDepth(store: Store, metrics: Metrics): Promise<void> {
  for (const depth of await store.queueDepths()) {
    const integration = depth.integrationId;
    metrics.queueDepth.set({ integration, state: 'waiting' }, depth.waiting);
    metrics.queueDepth.set({ integration, state: 'in_flight' }, depth.inFlight);
    metrics.queueDepth.set({ integration, state: 'dead' }, depth.deadLetters);
  }
}
