/**
 * Deliveries: recent attempts of an integration, and the dead letters (list, replay, discard).
 * A discarded letter is written to the audit log in full, so nothing is dropped silently.
 */
import type { FastifyInstance } from 'fastify';
import type { DeadLetterFilter } from '../../store/types.js';
import { auditEntry, type AdminContext } from '../admin-context.js';
import { authOf } from '../auth/access.js';
import { invalid } from '../http/admin-error.js';
import {
  bodyOf,
  onlyKnown,
  param,
  queryInteger,
  queryString,
  type RawObject,
} from '../http/input.js';
import { loadIntegration } from '../integrations/integration-store.js';
import { attemptView, deadLetterView } from '../views/delivery-views.js';

const MAX_LIMIT = 500;

export function deliveryRoutes(scope: FastifyInstance, context: AdminContext): void {
  const { store } = context;

  scope.get('/integrations/:id/deliveries', async (request) => {
    const record = await loadIntegration(context, param(request, 'id'));
    const limit = queryInteger(request, 'limit', { min: 1, max: MAX_LIMIT, fallback: 50 });

    return { data: (await store.listAttempts(record.id, limit)).map(attemptView) };
  });

  scope.get('/dead-letters', async (request) => {
    const integrationId = queryString(request, 'integration');
    const profileKey = queryString(request, 'key');
    const limit = queryInteger(request, 'limit', { min: 1, max: MAX_LIMIT, fallback: 100 });

    const filter: DeadLetterFilter = {
      ...(integrationId === undefined ? {} : { integrationId }),
      ...(profileKey === undefined ? {} : { profileKey }),
    };
    return { data: (await store.listDeadLetters(filter, limit)).map(deadLetterView) };
  });

  scope.post('/dead-letters/replay', async (request) => {
    const body = bodyOf(request);
    onlyKnown(body, ['integration', 'key', 'ids']);
    const filter = replayFilter(body);

    const replayed = await store.replayDeadLetters(filter);
    if (replayed > 0) {
      const actor = authOf(request).user.email;
      const target = { type: 'dead_letters', id: filter.integrationId ?? '*' };
      const changes = [
        { field: 'replayed', change: 'changed' as const, to: { ...body, count: replayed } },
      ];
      await context.audit(auditEntry(actor, 'dead_letter.replayed', target, changes));
      // The delivery workers look at their queues now, not at their next idle check.
      await context.afterChange();
    }

    return { replayed };
  });

  scope.post('/dead-letters/discard', async (request) => {
    const body = bodyOf(request);
    onlyKnown(body, ['ids']);
    const ids = checkIds(body.ids, true);

    const letters = await store.discardDeadLetters(ids);
    const actor = authOf(request).user.email;
    for (const letter of letters) {
      await context.audit(
        auditEntry(
          actor,
          'dead_letter.discarded',
          { type: 'integration', id: letter.integrationId },
          [{ field: 'dead_letter', change: 'removed', from: deadLetterView(letter) }],
        ),
      );
    }

    return { discarded: letters.length };
  });
}

function replayFilter(body: RawObject): DeadLetterFilter {
  for (const name of ['integration', 'key'] as const) {
    if (body[name] !== undefined && typeof body[name] !== 'string') {
      throw invalid(name, 'must be text');
    }
  }

  return {
    ...(typeof body.integration === 'string' ? { integrationId: body.integration } : {}),
    ...(typeof body.key === 'string' ? { profileKey: body.key } : {}),
    ...(body.ids === undefined ? {} : { ids: checkIds(body.ids, false) }),
  };
}

function checkIds(raw: unknown, required: boolean): number[] {
  if (raw === undefined && required)
    throw invalid('ids', 'is required: the dead letters to discard');
  if (!Array.isArray(raw) || (required && raw.length === 0)) {
    throw invalid('ids', 'must be a non-empty list of dead letter ids');
  }

  raw.forEach((id: unknown, index) => {
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
      throw invalid(`ids[${index}]`, 'must be a dead letter id (a whole number)');
    }
  });
  return raw as number[];
}
