/**
 * Integrations: the Integration Library (catalog), and creating, reading, editing, enabling and
 * testing integrations. Mappings and revisions are in `mapping-routes.ts`.
 */
import type { FastifyInstance } from 'fastify';
import { checkId, within } from '../../config/config-checks.js';
import { getIntegration, listCatalog } from '../../integrations/registry.js';
import type { AdminContext } from '../admin-context.js';
import { authOf } from '../auth/access.js';
import { AdminRequestError, invalid } from '../http/admin-error.js';
import { bodyOf, onlyKnown, param, requiredText, type RawObject } from '../http/input.js';
import { checkIntegration, mergeConfig, saveRevision } from '../integrations/integration-edits.js';
import {
  checkPipelineIds,
  integrationViewOf,
  integrationViews,
  loadIntegration,
  setPipelines,
  updateIntegration,
} from '../integrations/integration-store.js';
import { deliveryView } from '../views/integration-view.js';

const CREATE_FIELDS = [
  'id',
  'vendor',
  'name',
  'preset',
  'config',
  'consent_categories',
  'pipelines',
  'delivery',
  'mappings',
  'enabled',
] as const;

const PATCH_FIELDS = [
  'name',
  'config',
  'consent_categories',
  'mappings',
  'enabled',
  'delivery',
  'pipelines',
] as const;

export function integrationRoutes(scope: FastifyInstance, context: AdminContext): void {
  scope.get('/catalog', async () => ({
    data: listCatalog().map(({ defaultConsentCategories, ...entry }) => ({
      ...entry,
      default_consent_categories: defaultConsentCategories,
    })),
  }));

  scope.get('/integrations', async () => ({
    data: await integrationViews(context, await context.store.listIntegrations()),
  }));

  scope.get('/integrations/:id', async (request) =>
    integrationViewOf(context, param(request, 'id')),
  );

  scope.post('/integrations', async (request, reply) => {
    const actor = authOf(request).user.email;
    const body = bodyOf(request);
    onlyKnown(body, CREATE_FIELDS);

    const record = await newRecord(context, body);
    const pipelines = await checkPipelineIds(context, body.pipelines ?? []);
    await saveRevision(context, actor, 'integration.created', undefined, record);
    await setPipelines(context, actor, record.id, pipelines);
    await context.afterChange();

    return reply.code(201).send(await integrationViewOf(context, record.id));
  });

  scope.patch('/integrations/:id', async (request) => {
    const actor = authOf(request).user.email;
    const id = param(request, 'id');
    const body = bodyOf(request);
    onlyKnown(body, PATCH_FIELDS);

    const stored = await loadIntegration(context, id);
    const pipelines =
      body.pipelines === undefined ? undefined : await checkPipelineIds(context, body.pipelines);

    const view = await updateIntegration(context, actor, id, 'integration.updated', (entry) => {
      for (const field of ['name', 'consent_categories', 'enabled'] as const) {
        if (body[field] !== undefined) entry[field] = body[field];
      }
      if (body.config !== undefined) {
        entry.config = mergeConfig(stored.vendor, stored.config, body.config);
      }
      if (body.mappings === null) delete entry.mappings;
      else if (body.mappings !== undefined) entry.mappings = body.mappings;
      if (body.delivery !== undefined)
        entry.delivery = mergeDelivery(entry.delivery, body.delivery);
    });
    if (pipelines === undefined) return view;

    await setPipelines(context, actor, id, pipelines);
    await context.afterChange();
    return integrationViewOf(context, id);
  });

  for (const [path, enabled] of [
    ['/integrations/:id/enable', true],
    ['/integrations/:id/disable', false],
  ] as const) {
    scope.post(path, async (request) => {
      const action = enabled ? 'integration.enabled' : 'integration.disabled';
      return updateIntegration(
        context,
        authOf(request).user.email,
        param(request, 'id'),
        action,
        (entry) => {
          entry.enabled = enabled;
        },
      );
    });
  }

  scope.post('/integrations/:id/test-connection', async (request) => {
    const record = await loadIntegration(context, param(request, 'id'));
    const body = bodyOf(request);
    onlyKnown(body, ['config']);

    const definition = getIntegration(record.vendor);
    const raw = mergeConfig(record.vendor, record.config, body.config);
    const config = within('config', () => definition.parseConfig(raw));
    if (!definition.testConnection) {
      return { ok: false, message: `${definition.catalog.name} offers no connection test` };
    }

    const logger = context.logger.child({ integration: record.id, action: 'test-connection' });
    return definition.testConnection(config, { http: context.deps.vendorHttp, logger });
  });
}

/** The record a create request describes, checked by the configuration file's rules. */
async function newRecord(context: AdminContext, body: RawObject) {
  const vendor = requiredText(body, 'vendor');
  const existing = new Set((await context.store.listIntegrations()).map((record) => record.id));
  const id = body.id === undefined ? freeId(vendor, existing) : checkNewId(body.id, existing);

  const { pipelines: _pipelines, ...entry } = body;
  return checkIntegration({ ...entry, id, vendor, config: mergeConfig(vendor, {}, body.config) });
}

function checkNewId(raw: unknown, existing: Set<string>): string {
  const id = checkId(raw, 'id');
  if (existing.has(id)) {
    throw new AdminRequestError('CONFLICT', `An integration with id "${id}" already exists`, 'id');
  }

  return id;
}

/** `actito`, then `actito-2`, `actito-3`... */
function freeId(vendor: string, existing: Set<string>): string {
  const base =
    vendor
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .slice(0, 56) || 'integration';
  if (!existing.has(base)) return base;

  let n = 2;
  while (existing.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/** Delivery settings are merged member by member, so one can be changed alone. */
function mergeDelivery(current: unknown, incoming: unknown): unknown {
  if (typeof incoming !== 'object' || incoming === null || Array.isArray(incoming)) {
    throw invalid('delivery', 'must be an object of delivery settings');
  }

  return { ...(current as ReturnType<typeof deliveryView>), ...incoming };
}
