/**
 * Every Management API operation, with the role it needs. This table is the single source of
 * truth: the OpenAPI document is built from it, and the authentication hook looks each request's
 * route up here, refusing any route that is missing (so a route added without an entry is
 * unreachable rather than unprotected).
 */

/**
 * `public`: no sign-in. `viewer`: any signed-in user (reads). `self`: any signed-in user, even
 * for a write, because it only concerns their own session or password. `admin`: admins only.
 */
export type AccessRule = 'public' | 'viewer' | 'self' | 'admin';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface QueryParameter {
  name: string;
  type: 'string' | 'integer';
  description: string;
}

export interface AdminOperation {
  method: HttpMethod;
  /** OpenAPI form, relative to `/v1/admin`: `/pipelines/{id}`. */
  path: string;
  summary: string;
  access: AccessRule;
  /** Component schema name of the JSON body. */
  body?: string;
  /** Success status and component schema name (none: empty body). */
  response: { status: number; schema?: string };
  query?: QueryParameter[];
}

const LIMIT: QueryParameter = {
  name: 'limit',
  type: 'integer',
  description: 'How many, newest first.',
};

const op = (operation: AdminOperation): AdminOperation => operation;

export const ADMIN_OPERATIONS: readonly AdminOperation[] = [
  // Authentication and users
  op({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    access: 'public',
    response: { status: 200 },
  }),
  op({
    method: 'POST',
    path: '/auth/login',
    summary: 'Sign in; also sets the signal_session cookie',
    access: 'public',
    body: 'LoginRequest',
    response: { status: 200, schema: 'LoginResponse' },
  }),
  op({
    method: 'POST',
    path: '/auth/logout',
    summary: 'End this session',
    access: 'self',
    response: { status: 204 },
  }),
  op({
    method: 'GET',
    path: '/auth/me',
    summary: 'The signed-in user',
    access: 'viewer',
    response: { status: 200, schema: 'User' },
  }),
  op({
    method: 'POST',
    path: '/auth/password',
    summary: 'Change your own password (ends your other sessions)',
    access: 'self',
    body: 'ChangePasswordRequest',
    response: { status: 204 },
  }),
  op({
    method: 'GET',
    path: '/users',
    summary: 'List users',
    access: 'admin',
    response: { status: 200, schema: 'UserList' },
  }),
  op({
    method: 'POST',
    path: '/users',
    summary: 'Create a user',
    access: 'admin',
    body: 'CreateUserRequest',
    response: { status: 201, schema: 'User' },
  }),
  op({
    method: 'POST',
    path: '/users/{id}/password',
    summary: "Set a user's password (ends their sessions)",
    access: 'admin',
    body: 'ResetPasswordRequest',
    response: { status: 204 },
  }),

  // Pipelines
  op({
    method: 'GET',
    path: '/pipelines',
    summary: 'List pipelines',
    access: 'viewer',
    response: { status: 200, schema: 'PipelineList' },
  }),
  op({
    method: 'POST',
    path: '/pipelines',
    summary: 'Create a pipeline (a new dk_ key is generated)',
    access: 'admin',
    body: 'PipelineCreate',
    response: { status: 201, schema: 'Pipeline' },
  }),
  op({
    method: 'GET',
    path: '/pipelines/{id}',
    summary: 'One pipeline',
    access: 'viewer',
    response: { status: 200, schema: 'Pipeline' },
  }),
  op({
    method: 'PATCH',
    path: '/pipelines/{id}',
    summary: 'Change name, origins, integrations, rate limit',
    access: 'admin',
    body: 'PipelinePatch',
    response: { status: 200, schema: 'Pipeline' },
  }),
  op({
    method: 'POST',
    path: '/pipelines/{id}/enable',
    summary: 'Accept events again',
    access: 'admin',
    response: { status: 200, schema: 'Pipeline' },
  }),
  op({
    method: 'POST',
    path: '/pipelines/{id}/disable',
    summary: 'Refuse events',
    access: 'admin',
    response: { status: 200, schema: 'Pipeline' },
  }),
  op({
    method: 'POST',
    path: '/pipelines/{id}/rotate-key',
    summary: 'New dk_ key; the old one is revoked',
    access: 'admin',
    response: { status: 200, schema: 'Pipeline' },
  }),
  op({
    method: 'POST',
    path: '/pipelines/{id}/rotate-secret',
    summary: 'New HMAC secret, returned in this response only',
    access: 'admin',
    response: { status: 200, schema: 'PipelineWithSecret' },
  }),
  op({
    method: 'GET',
    path: '/pipelines/{id}/snippet',
    summary: 'The datafly.js install snippet',
    access: 'viewer',
    response: { status: 200, schema: 'Snippet' },
  }),

  // Integration Library and integrations
  op({
    method: 'GET',
    path: '/catalog',
    summary: 'Integration Library: vendors, fields, presets',
    access: 'viewer',
    response: { status: 200, schema: 'Catalog' },
  }),
  op({
    method: 'GET',
    path: '/integrations',
    summary: 'List integrations with health',
    access: 'viewer',
    response: { status: 200, schema: 'IntegrationList' },
  }),
  op({
    method: 'POST',
    path: '/integrations',
    summary: 'Create from the catalog',
    access: 'admin',
    body: 'IntegrationCreate',
    response: { status: 201, schema: 'Integration' },
  }),
  op({
    method: 'GET',
    path: '/integrations/{id}',
    summary: 'One integration with health',
    access: 'viewer',
    response: { status: 200, schema: 'Integration' },
  }),
  op({
    method: 'PATCH',
    path: '/integrations/{id}',
    summary: 'Change settings, consent, mappings, pipelines, enabled',
    access: 'admin',
    body: 'IntegrationPatch',
    response: { status: 200, schema: 'Integration' },
  }),
  op({
    method: 'POST',
    path: '/integrations/{id}/enable',
    summary: 'Start delivering',
    access: 'admin',
    response: { status: 200, schema: 'Integration' },
  }),
  op({
    method: 'POST',
    path: '/integrations/{id}/disable',
    summary: 'Stop delivering',
    access: 'admin',
    response: { status: 200, schema: 'Integration' },
  }),
  op({
    method: 'POST',
    path: '/integrations/{id}/test-connection',
    summary: 'Check credentials and names with the stored or supplied settings',
    access: 'admin',
    body: 'ConnectionTestRequest',
    response: { status: 200, schema: 'ConnectionTestResult' },
  }),
  op({
    method: 'GET',
    path: '/integrations/{id}/mappings',
    summary: 'The mapping set in force (custom or the preset)',
    access: 'viewer',
    response: { status: 200, schema: 'MappingSet' },
  }),
  op({
    method: 'PUT',
    path: '/integrations/{id}/mappings',
    summary: 'Replace the mapping set',
    access: 'admin',
    body: 'MappingSet',
    response: { status: 200, schema: 'MappingSet' },
  }),
  op({
    method: 'GET',
    path: '/integrations/{id}/revisions',
    summary: 'Every revision, newest first',
    access: 'viewer',
    response: { status: 200, schema: 'RevisionList' },
  }),
  op({
    method: 'POST',
    path: '/integrations/{id}/revisions/{n}/rollback',
    summary: 'New revision equal to revision n',
    access: 'admin',
    response: { status: 200, schema: 'Integration' },
  }),
  op({
    method: 'GET',
    path: '/integrations/{id}/deliveries',
    summary: 'Recent delivery attempts',
    access: 'viewer',
    query: [LIMIT],
    response: { status: 200, schema: 'AttemptList' },
  }),

  // Settings, dead letters, audit, stats, debugger
  op({
    method: 'GET',
    path: '/settings/consent',
    summary: 'CMP code to category mapping',
    access: 'viewer',
    response: { status: 200, schema: 'ConsentSettings' },
  }),
  op({
    method: 'PUT',
    path: '/settings/consent',
    summary: 'Replace the consent settings',
    access: 'admin',
    body: 'ConsentSettings',
    response: { status: 200, schema: 'ConsentSettings' },
  }),
  op({
    method: 'GET',
    path: '/dead-letters',
    summary: 'Dead letters, newest first',
    access: 'viewer',
    query: [
      { name: 'integration', type: 'string', description: 'Integration id' },
      { name: 'key', type: 'string', description: 'Profile key' },
      LIMIT,
    ],
    response: { status: 200, schema: 'DeadLetterList' },
  }),
  op({
    method: 'POST',
    path: '/dead-letters/replay',
    summary: 'Queue matching dead letters again',
    access: 'admin',
    body: 'ReplayRequest',
    response: { status: 200, schema: 'ReplayResult' },
  }),
  op({
    method: 'POST',
    path: '/dead-letters/discard',
    summary: 'Delete dead letters (recorded in the audit log)',
    access: 'admin',
    body: 'DiscardRequest',
    response: { status: 200, schema: 'DiscardResult' },
  }),
  op({
    method: 'GET',
    path: '/audit',
    summary: 'Audit log, newest first',
    access: 'viewer',
    query: [
      { name: 'cursor', type: 'string', description: 'next_cursor of the previous page' },
      LIMIT,
    ],
    response: { status: 200, schema: 'AuditPage' },
  }),
  op({
    method: 'GET',
    path: '/stats/timeseries',
    summary: 'Per-minute counts per integration',
    access: 'viewer',
    query: [{ name: 'minutes', type: 'integer', description: '1 to 1440, default 60' }],
    response: { status: 200, schema: 'Timeseries' },
  }),
  op({
    method: 'GET',
    path: '/debugger/recent',
    summary: 'Last traces, oldest first (same filters as the feed)',
    access: 'viewer',
    query: [
      LIMIT,
      { name: 'pipeline', type: 'string', description: 'Pipeline id' },
      { name: 'integration', type: 'string', description: 'Integration id' },
      { name: 'type', type: 'string', description: 'Event type or track event name' },
      { name: 'user', type: 'string', description: 'userId or anonymousId' },
      { name: 'email', type: 'string', description: 'E-mail (profile key)' },
    ],
    response: { status: 200, schema: 'TraceList' },
  }),
  op({
    method: 'GET',
    path: '/debugger/ws',
    summary: 'WebSocket: live traces (see README); auth by cookie or ?access_token=',
    access: 'viewer',
    query: [
      {
        name: 'access_token',
        type: 'string',
        description: 'Bearer token, for clients that cannot send the cookie',
      },
    ],
    response: { status: 101 },
  }),
];

/** `/pipelines/{id}` → `/pipelines/:id`, Fastify's form. */
export function toRoutePath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}
