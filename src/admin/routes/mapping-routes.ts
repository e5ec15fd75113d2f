/**
 * An integration's field mappings and its revision history: read and replace the mapping set,
 * list revisions, roll back to one (which is itself a new revision).
 */
import type { FastifyInstance } from 'fastify';
import { within } from '../../config/config-checks.js';
import { validateMappingSet } from '../../mapping/validate.js';
import type { AdminContext } from '../admin-context.js';
import { authOf } from '../auth/access.js';
import { AdminRequestError, notFound } from '../http/admin-error.js';
import { param } from '../http/input.js';
import { saveRevision } from '../integrations/integration-edits.js';
import {
  integrationViewOf,
  loadIntegration,
  updateIntegration,
} from '../integrations/integration-store.js';
import { effectiveMappings, integrationView } from '../views/integration-view.js';

export function mappingRoutes(scope: FastifyInstance, context: AdminContext): void {
  scope.get('/integrations/:id/mappings', async (request) => {
    const record = await loadIntegration(context, param(request, 'id'));

    const mappings = effectiveMappings(record);
    if (!mappings) throw notFound(`The preset "${record.presetId}" of "${record.id}"`);
    return mappings;
  });

  scope.put('/integrations/:id/mappings', async (request) => {
    const id = param(request, 'id');
    const mappings = within('mappings', () => validateMappingSet(request.body));

    await updateIntegration(
      context,
      authOf(request).user.email,
      id,
      'integration.mappings_updated',
      (entry) => {
        entry.mappings = mappings;
      },
    );
    return effectiveMappings(await loadIntegration(context, id));
  });

  scope.get('/integrations/:id/revisions', async (request) => {
    const record = await loadIntegration(context, param(request, 'id'));
    const pipelines = await context.store.listPipelines();

    const revisions = await context.store.listIntegrationRevisions(record.id);
    return {
      data: revisions.map((revision) => ({
        revision: revision.revision,
        at: revision.at,
        actor: revision.actor,
        action: revision.action,
        changes: revision.changes,
        integration: integrationView(revision.record, {
          status: revision.record.enabled ? 'running' : 'disabled',
          pipelines,
          revision: revision.revision,
        }),
      })),
    };
  });

  scope.post('/integrations/:id/revisions/:n/rollback', async (request) => {
    const current = await loadIntegration(context, param(request, 'id'));
    const n = Number(param(request, 'n'));
    const target = Number.isInteger(n)
      ? await context.store.getIntegrationRevision(current.id, n)
      : undefined;
    if (!target) throw notFound(`Revision ${param(request, 'n')} of "${current.id}"`);

    const latest = (await context.store.listIntegrationRevisions(current.id))[0]?.revision;
    if (latest === n) {
      throw new AdminRequestError('CONFLICT', `Revision ${n} is already the current one`);
    }

    const record = { ...target.record, id: current.id };
    await saveRevision(
      context,
      authOf(request).user.email,
      'integration.rolled_back',
      current,
      record,
      [{ field: 'revision', from: latest, to: n }],
    );
    await context.afterChange();

    return integrationViewOf(context, current.id);
  });
}
