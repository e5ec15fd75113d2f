/**
 * Reading integrations for answers (with status, health and revision) and writing edits: the
 * steps every integration route shares.
 */
import type { IntegrationRecord } from '../../store/types.js';
import type { AdminContext } from '../admin-context.js';
import { auditEntry } from '../admin-context.js';
import { invalid, notFound } from '../http/admin-error.js';
import {
  integrationEntry,
  integrationView,
  type IntegrationStatus,
  type IntegrationView,
} from '../views/integration-view.js';
import { checkIntegration, saveRevision } from './integration-edits.js';

const HOUR_MS = 3_600_000;

export async function loadIntegration(
  context: AdminContext,
  id: string,
): Promise<IntegrationRecord> {
  const record = (await context.store.listIntegrations()).find((candidate) => candidate.id === id);
  if (!record) throw notFound(`Integration "${id}"`);

  return record;
}

/** Answers for these records, each with its pipelines, status, health and latest revision. */
export async function integrationViews(
  context: AdminContext,
  records: IntegrationRecord[],
): Promise<IntegrationView[]> {
  const { store } = context;
  const since = new Date(context.now() - HOUR_MS).toISOString();
  const [pipelines, depths, health] = await Promise.all([
    store.listPipelines(),
    store.queueDepths(),
    store.deliveryHealth(since),
  ]);

  const views: IntegrationView[] = [];
  for (const record of records) {
    const revisions = await store.listIntegrationRevisions(record.id);
    views.push(
      integrationView(record, {
        ...statusOf(context, record),
        pipelines,
        revision: revisions[0]?.revision ?? 0,
        ...optional(
          'depth',
          depths.find((depth) => depth.integrationId === record.id),
        ),
        ...optional(
          'health',
          health.find((entry) => entry.integrationId === record.id),
        ),
      }),
    );
  }

  return views;
}

export async function integrationViewOf(
  context: AdminContext,
  id: string,
): Promise<IntegrationView> {
  const [view] = await integrationViews(context, [await loadIntegration(context, id)]);
  return view!;
}

/**
 * Applies `edit` to the stored integration's configuration-file shape, validates the result and
 * saves it as a new revision when anything changed; answers the integration as it now is.
 */
export async function updateIntegration(
  context: AdminContext,
  actor: string,
  id: string,
  action: string,
  edit: (entry: Record<string, unknown>) => void,
): Promise<IntegrationView> {
  const before = await loadIntegration(context, id);
  const entry = structuredClone(integrationEntry(before));
  edit(entry);

  const after = checkIntegration({ ...entry, id: before.id, vendor: before.vendor });
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    await saveRevision(context, actor, action, before, after);
    await context.afterChange();
  }

  return integrationViewOf(context, id);
}

/** The pipeline ids of a request, each of an existing pipeline. */
export async function checkPipelineIds(context: AdminContext, raw: unknown): Promise<Set<string>> {
  if (!Array.isArray(raw)) throw invalid('pipelines', 'must be a list of pipeline ids');

  const known = new Set((await context.store.listPipelines()).map((pipeline) => pipeline.id));
  raw.forEach((id: unknown, index) => {
    if (typeof id !== 'string' || !known.has(id)) {
      const list = [...known].join(', ') || 'none';
      throw invalid(`pipelines[${index}]`, `is not the id of a pipeline (ids: ${list})`);
    }
  });

  return new Set(raw as string[]);
}

/**
 * Makes `integrationId` part of exactly the `wanted` pipelines, with one audit entry per
 * pipeline whose list changed.
 */
export async function setPipelines(
  context: AdminContext,
  actor: string,
  integrationId: string,
  wanted: Set<string>,
): Promise<void> {
  for (const pipeline of await context.store.listPipelines()) {
    const member = pipeline.integrationIds.includes(integrationId);
    if (member === wanted.has(pipeline.id)) continue;

    const integrationIds = member
      ? pipeline.integrationIds.filter((other) => other !== integrationId)
      : [...pipeline.integrationIds, integrationId];
    await context.store.upsertPipeline({ ...pipeline, integrationIds });
    await context.audit(
      auditEntry(actor, 'pipeline.updated', { type: 'pipeline', id: pipeline.id }, [
        {
          field: 'integrations',
          change: 'changed',
          from: pipeline.integrationIds,
          to: integrationIds,
        },
      ]),
    );
  }
}

function statusOf(context: AdminContext, record: IntegrationRecord): IntegrationStatus {
  if (!record.enabled) return { status: 'disabled' };
  if (!context.deps.integrations || context.deps.integrations.get(record.id)) {
    return { status: 'running' };
  }

  const problem = context.deps.integrations.problem(record.id);
  return problem ? { status: 'error', problem } : { status: 'running' };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
