/**
 * The Management API under `/v1/admin`, in its own encapsulated scope: JSON bodies only (512 KB
 * at most), every route behind the access check of `auth/access.ts`, errors in the API's shape.
 * The composing server calls `await registerAdminRoutes(http, deps)` before it listens.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { SignalError } from '../core/errors.js';
import type { AdminContext, AdminDeps } from './admin-context.js';
import { accessHook } from './auth/access.js';
import { ensureFirstAdmin } from './auth/first-admin.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { Sessions } from './auth/sessions.js';
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
    traces: deps.traces,
    now,
    async afterChange() {
      await deps.reloadConfiguration();
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
