/** Per-minute counts for the overview chart (the engine's in-memory ring, see `minute-stats.ts`). */
import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../admin-context.js';
import { queryInteger } from '../http/input.js';
import { MAX_MINUTES } from '../stats/minute-stats.js';

export function statsRoutes(scope: FastifyInstance, context: AdminContext): void {
  scope.get('/stats/timeseries', async (request) => {
    const minutes = queryInteger(request, 'minutes', { min: 1, max: MAX_MINUTES, fallback: 60 });

    return { minutes, data: await context.traces.minuteSeries(minutes) };
  });
}
