/**
 * Liveness, readiness and Prometheus metrics: `/healthz` answers while the process runs,
 * `/readyz` only while the store answers, `/metrics` in Prometheus' text format.
 */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { store: Store; metrics: Metrics; ready: () => boolean },
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      if (!deps.ready()) throw new Error('starting');
      await deps.store.readCursor();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'not ready' });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    await refreshQueueDepth(deps.store, deps.metrics);
    return reply
      .type(deps.metrics.registry.contentType)
      .send(await deps.metrics.registry.metrics());
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
