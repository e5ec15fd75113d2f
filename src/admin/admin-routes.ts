/**
 * The Management API under `/v1/admin`, in its own encapsulated scope: JSON bodies only (512 KB
 * at most), every route behind the access check of `auth/access.ts`, errors in the API's shape.
 * The composing server calls `await registerAdminRoutes(http, deps)` before it listens.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { SignalError } from '../core/errors.js';
import { isSecretField } from './views/secret-fields.js';
import type { AdminContext, AdminDeps } from './admin-context.js';
import { accessHook } from './auth/access.js';
import { ensureFirstAdmin } from './auth/first-admin.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { Sessions } from './auth/sessions.js';
import { DebuggerFeed } from './debugger/debugger-feed.js';
import { answerError, sendError } from './http/admin-error.js';
import { ADMIN_PREFIX, buildOpenApiDocument } from './openapi.js';
import { auditRoutes } from './routes/audit-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { debuggerRoutes } from './routes/debugger-routes.js';
import { deliveryRoutes } from './routes/delivery-routes.js';
import { integrationRoutes } from './routes/integration-routes.js';
import { mappingRoutes } from './routes/mapping-routes.js';
import { pipelineRoutes } from './routes/pipeline-routes.js';
import { settingsRoutes } from './routes/settings-routes.js';
import { statsRoutes } from './routes/stats-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { MinuteStats } from './stats/minute-stats.js';

export type { AdminDeps } from './admin-context.js';

const MAX_BODY_BYTES = 512 * 1024;
/** Client messages on the debugger socket are small filters. */
const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

export interface AdminRoutes {
  /** `METHOD /v1/admin/...` of every route registered, for the contract test. */
  routes: string[];
  context: AdminContext;
}

export async function registerAdminRoutes(
  app: FastifyInstance,
  deps: AdminDeps,
): Promise<AdminRoutes> {
  const context = createContext(deps);
  await ensureFirstAdmin(deps.store, {
    email: deps.firstAdmin?.email ?? process.env.SIGNAL_ADMIN_EMAIL,
    password: deps.firstAdmin?.password ?? process.env.SIGNAL_ADMIN_PASSWORD,
    ...(deps.announce ? { announce: deps.announce } : {}),
  });
  await refreshFeed(context);

  const unsubscribe = deps.traces.subscribe((trace) => {
    context.feed.accept(trace);
    context.stats.record(trace);
  });
  app.addHook('onClose', async () => unsubscribe());

  const routes: string[] = [];
  await app.register(
    async (scope) => {
      if (!scope.hasRequestDecorator('cookies')) await scope.register(fastifyCookie);
      if (!scope.hasDecorator('websocketServer')) {
        await scope.register(fastifyWebsocket, {
          options: { maxPayload: MAX_SOCKET_MESSAGE_BYTES },
        });
      }
      configureScope(scope, context, routes);

      scope.get('/openapi.json', async () => buildOpenApiDocument());
      authRoutes(scope, context);
      userRoutes(scope, context);
      pipelineRoutes(scope, context);
      integrationRoutes(scope, context);
      mappingRoutes(scope, context);
      deliveryRoutes(scope, context);
      settingsRoutes(scope, context);
      auditRoutes(scope, context);
      statsRoutes(scope, context);
      debuggerRoutes(scope, context);
    },
    { prefix: ADMIN_PREFIX },
  );

  return { routes, context };
}

function createContext(deps: AdminDeps): AdminContext {
  const now = deps.now ?? Date.now;
  const context: AdminContext = {
    store: deps.store,
    logger: deps.logger.child({ module: 'admin' }),
    deps,
    sessions: new Sessions(deps.store, now),
    limiter: new LoginLimiter(),
    feed: new DebuggerFeed(),
    stats: new MinuteStats(now),
    now,
    async afterChange() {
      await deps.reloadConfiguration();
      await refreshFeed(context);
    },
    async audit(entry) {
      await deps.store.appendAudit([{ ...entry, at: new Date(now()).toISOString() }]);
    },
  };
  return context;
}

function configureScope(scope: FastifyInstance, context: AdminContext, routes: string[]): void {
  scope.removeContentTypeParser('text/plain');
  scope.addHook('onRoute', (route) => {
    route.bodyLimit ??= MAX_BODY_BYTES;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
    }
  });

  scope.addHook('onRequest', accessHook(context.sessions));
  scope.addHook('onSend', async (_request, reply, payload) => {
    // Answers hold configuration and visitor data: no shared cache may keep them.
    void reply.header('Cache-Control', 'no-store');
    return payload;
  });

  scope.setErrorHandler((error, request, reply) =>
    answerError(context.logger, error, request, reply),
  );
  scope.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new SignalError(
        'NOT_FOUND',
        `There is no route ${request.method} ${request.url.split('?')[0]}`,
      ),
    ),
  );
}

/**
 * Tells the debugger feed the secret values to scrub (integration secrets, HMAC secrets) and
 * which integrations each pipeline routes to.
 */
async function refreshFeed(context: AdminContext): Promise<void> {
  const [integrations, pipelines] = await Promise.all([
    context.store.listIntegrations(),
    context.store.listPipelines(),
  ]);

  const secrets = integrations.flatMap((integration) =>
    Object.entries(integration.config)
      .filter(([key, value]) => typeof value === 'string' && isSecretField(integration.vendor, key))
      .map(([, value]) => value as string),
  );
  for (const pipeline of pipelines) if (pipeline.hmacSecret) secrets.push(pipeline.hmacSecret);

  const routes = new Map(
    pipelines.map((pipeline) => [pipeline.id, new Set(pipeline.integrationIds)]),
  );
  context.feed.configure({ secrets, routes });
}
