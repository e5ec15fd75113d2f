/**
 * The OpenAPI 3.1 document of the Management API, served without authentication at
 * `GET /v1/admin/openapi.json`. It is built from the operation table, so it cannot drift from the
 * routes the server enforces; `x-signal-access` on each operation says who may call it.
 */
import { ADMIN_OPERATIONS, type AdminOperation } from './api-operations.js';
import { ADMIN_SCHEMAS } from './api-schemas.js';

export const ADMIN_PREFIX = '/v1/admin';

type Json = Record<string, unknown>;

const ERROR_RESPONSE = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** The whole document; a fresh object each call so a caller may not alter the served one. */
export function buildOpenApiDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const operation of ADMIN_OPERATIONS) {
    const path = `${ADMIN_PREFIX}${operation.path}`;
    paths[path] = { ...paths[path], [operation.method.toLowerCase()]: toOperation(operation) };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Signal Management API',
      version: '1.0.0',
      description:
        'Configure pipelines and integrations, watch deliveries and the live Event Debugger. ' +
        'Sign in with POST /v1/admin/auth/login; send `Authorization: Bearer <access_token>`, or ' +
        'rely on the signal_session cookie (then every change also needs the header ' +
        '`X-Requested-With: signal-ui`). Errors are `{"error":{"code","message"}}`.',
    },
    components: {
      schemas: ADMIN_SCHEMAS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'signal_session' },
      },
    },
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
  };
}

/** `POST /pipelines/{id}/rotate-key` → `postPipelinesIdRotateKey`, stable for code generators. */
export function operationId(operation: AdminOperation): string {
  const words = operation.path.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const capitalised = words.map((word) => word[0]!.toUpperCase() + word.slice(1));

  return operation.method.toLowerCase() + capitalised.join('');
}

function toOperation(operation: AdminOperation): Json {
  const parameters = [
    ...pathParameters(operation.path),
    ...(operation.query ?? []).map((query) => ({
      name: query.name,
      in: 'query',
      required: false,
      description: query.description,
      schema: { type: query.type },
    })),
  ];

  return {
    operationId: operationId(operation),
    summary: operation.summary,
    tags: [operation.path.split('/')[1] ?? ''],
    'x-signal-access': operation.access,
    ...(operation.access === 'public' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body ? { requestBody: jsonBody(operation.body) } : {}),
    responses: {
      [operation.response.status]: operation.response.schema
        ? { description: 'OK', ...jsonBody(operation.response.schema) }
        : { description: operation.response.status === 101 ? 'Switching protocols' : 'OK' },
      default: ERROR_RESPONSE,
    },
  };
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: match[1] === 'n' ? 'integer' : 'string' },
  }));
}

function jsonBody(schema: string): Json {
  return {
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
  };
}
