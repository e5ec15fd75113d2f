/**
 * Pipelines: list, create, edit, enable/disable, rotate the public key and the HMAC secret, and
 * the install snippet. Edits are checked by the configuration file's own pipeline validator.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parsePipeline } from '../../config/pipeline-section.js';
import { checkId } from '../../config/config-checks.js';
import type { Pipeline } from '../../store/types.js';
import { auditEntry, type AdminContext } from '../admin-context.js';
import { authOf } from '../auth/access.js';
import { summariseChanges } from '../changes/change-summary.js';
import { AdminRequestError, invalid, notFound } from '../http/admin-error.js';
import { bodyOf, onlyKnown, param, requiredText } from '../http/input.js';
import { pipelineEntry, pipelineView } from '../views/pipeline-view.js';
import { snippetFor } from './snippet.js';

const EDITABLE = ['name', 'allowed_origins', 'integrations', 'rate_limit_per_second', 'enabled'];
const SECRETS = new Set(['hmac_secret']);

export function pipelineRoutes(scope: FastifyInstance, context: AdminContext): void {
  const { store } = context;

  scope.get('/pipelines', async () => ({
    data: (await store.listPipelines()).map(pipelineView),
  }));

  scope.get('/pipelines/:id', async (request) => pipelineView(await load(context, request)));

  scope.post('/pipelines', async (request, reply) => {
    const body = bodyOf(request);
    onlyKnown(body, ['id', ...EDITABLE]);

    const stored = await store.listPipelines();
    const name = requiredText(body, 'name');
    const id = body.id === undefined ? freeId(name, stored) : checkNewId(body.id, stored);
    const pipeline = await check(context, { ...body, id, key: newKey() });

    await store.upsertPipeline(pipeline);
    await record(context, request, 'pipeline.created', undefined, pipeline);
    return reply.code(201).send(pipelineView(pipeline));
  });

  scope.patch('/pipelines/:id', async (request) => {
    const body = bodyOf(request);
    onlyKnown(body, EDITABLE);

    const before = await load(context, request);
    return save(context, request, 'pipeline.updated', before, {
      ...pipelineEntry(before),
      ...body,
    });
  });

  for (const [path, enabled] of [
    ['/pipelines/:id/enable', true],
    ['/pipelines/:id/disable', false],
  ] as const) {
    scope.post(path, async (request) => {
      const before = await load(context, request);
      const action = enabled ? 'pipeline.enabled' : 'pipeline.disabled';
      return save(context, request, action, before, { ...pipelineEntry(before), enabled });
    });
  }

  scope.post('/pipelines/:id/rotate-key', async (request) => {
    const before = await load(context, request);
    // The store keeps one key per pipeline: the old one stops matching with this write.
    return save(context, request, 'pipeline.key_rotated', before, {
      ...pipelineEntry(before),
      key: newKey(),
    });
  });

  scope.post('/pipelines/:id/rotate-secret', async (request) => {
    const before = await load(context, request);
    const secret = randomBytes(32).toString('base64url');

    const view = await save(context, request, 'pipeline.secret_rotated', before, {
      ...pipelineEntry(before),
      hmac_secret: secret,
    });
    // The only response that ever carries the secret.
    return { ...view, hmac_secret: secret };
  });

  scope.get('/pipelines/:id/snippet', async (request) =>
    snippetFor(await load(context, request), context.deps.publicUrl ?? originOf(request)),
  );
}

async function load(context: AdminContext, request: FastifyRequest): Promise<Pipeline> {
  const id = param(request, 'id');
  const pipeline = (await context.store.listPipelines()).find((candidate) => candidate.id === id);
  if (!pipeline) throw notFound(`Pipeline "${id}"`);

  return pipeline;
}

async function check(context: AdminContext, entry: Record<string, unknown>): Promise<Pipeline> {
  const integrationIds = new Set((await context.store.listIntegrations()).map((i) => i.id));
  return parsePipeline(entry, '', integrationIds);
}

async function save(
  context: AdminContext,
  request: FastifyRequest,
  action: string,
  before: Pipeline,
  entry: Record<string, unknown>,
) {
  const after = await check(context, entry);
  if (JSON.stringify(after) === JSON.stringify(before)) return pipelineView(before);

  await context.store.upsertPipeline(after);
  await record(context, request, action, before, after);
  return pipelineView(after);
}

async function record(
  context: AdminContext,
  request: FastifyRequest,
  action: string,
  before: Pipeline | undefined,
  after: Pipeline,
): Promise<void> {
  const changes = summariseChanges(
    before ? pipelineEntry(before) : undefined,
    pipelineEntry(after),
    { secrets: SECRETS },
  );
  const actor = authOf(request).user.email;

  await context.audit(auditEntry(actor, action, { type: 'pipeline', id: after.id }, changes));
  await context.afterChange();
}

/** A public pipeline key: `dk_` and 32 URL-safe random characters. */
function newKey(): string {
  return `dk_${randomBytes(24).toString('base64url')}`;
}

function checkNewId(raw: unknown, stored: Pipeline[]): string {
  const id = checkId(raw, 'id');
  if (stored.some((pipeline) => pipeline.id === id)) {
    throw new AdminRequestError('CONFLICT', `A pipeline with id "${id}" already exists`, 'id');
  }

  return id;
}

/** The name as an id (`Web shop` → `web-shop`), numbered when taken. */
function freeId(name: string, stored: Pipeline[]): string {
  const taken = new Set(stored.map((pipeline) => pipeline.id));
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'pipeline';
  if (!taken.has(base)) return base;

  let n = 2;
  while (taken.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/** The origin the admin used, as the collection host when no public URL is configured. */
function originOf(request: FastifyRequest): string {
  if (!request.host) throw invalid('Host', 'header is required to build the snippet');

  return `${request.protocol}://${request.host}`;
}
