/**
 * The JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the Management API's bodies. They document
 * the contract for the UI and for API users; requests are checked by hand-written validators
 * (shared with the configuration file) whose messages a person understands.
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string): Schema =>
  description ? { type: 'string', description } : { type: 'string' };
const int = (description?: string): Schema =>
  description ? { type: 'integer', description } : { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const list = (items: Schema): Schema => ({ type: 'array', items });
const time: Schema = { type: 'string', format: 'date-time' };

function object(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

/** Components shared by the operations, by name. */
export const ADMIN_SCHEMAS: Record<string, Schema> = {
  Error: object(
    {
      error: object(
        {
          code: str('Stable code from the error catalogue, e.g. VALIDATION_FAILED.'),
          message: str('What went wrong, for a person; starts with the field path for 422.'),
          field: str('The offending field path, when one is known (e.g. config.entity).'),
        },
        ['code', 'message'],
      ),
    },
    ['error'],
  ),
  Role: { type: 'string', enum: ['admin', 'viewer'] },
  LoginRequest: object({ email: str(), password: str() }, ['email', 'password']),
  LoginResponse: object(
    {
      access_token: str('Opaque; send as `Authorization: Bearer <token>`.'),
      expires_in: int('Seconds of inactivity before the token expires (900).'),
      role: ref('Role'),
    },
    ['access_token', 'expires_in', 'role'],
  ),
  User: object({ id: str(), email: str(), role: ref('Role'), created_at: time }, [
    'id',
    'email',
    'role',
    'created_at',
  ]),
  UserList: object({ data: list(ref('User')) }, ['data']),
  CreateUserRequest: object(
    { email: str(), password: str('At least 12 characters.'), role: ref('Role') },
    ['email', 'password', 'role'],
  ),
  ChangePasswordRequest: object({ current_password: str(), new_password: str() }, [
    'current_password',
    'new_password',
  ]),
  ResetPasswordRequest: object({ password: str() }, ['password']),

  Pipeline: object(
    {
      id: str(),
      name: str(),
      key: str('The public pipeline key (dk_...) the collector sends.'),
      hmac_secret_set: bool,
      allowed_origins: list(str('An origin such as https://www.example.com, or *.')),
      integrations: list(str('Integration id.')),
      rate_limit_per_second: int(),
      enabled: bool,
    },
    ['id', 'name', 'key', 'hmac_secret_set', 'allowed_origins', 'integrations'],
  ),
  PipelineList: object({ data: list(ref('Pipeline')) }, ['data']),
  PipelineWithSecret: {
    allOf: [ref('Pipeline')],
    properties: { hmac_secret: str('Shown in this response only; never again.') },
    required: ['hmac_secret'],
  },
  PipelineCreate: object(
    {
      id: str('Optional; derived from the name when absent. Lower-case, digits, "_" or "-".'),
      name: str(),
      allowed_origins: list(str()),
      integrations: list(str()),
      rate_limit_per_second: int(),
      enabled: bool,
    },
    ['name'],
  ),
  PipelinePatch: object({
    name: str(),
    allowed_origins: list(str()),
    integrations: list(str()),
    rate_limit_per_second: int(),
    enabled: bool,
  }),
  Snippet: object(
    {
      html: str('The <script> tag to paste into every page.'),
      script_url: str(),
      pipeline_key: str(),
    },
    ['html', 'script_url', 'pipeline_key'],
  ),

  ConfigField: object(
    {
      key: str(),
      label: str(),
      type: { type: 'string', enum: ['string', 'secret', 'select', 'boolean', 'url'] },
      required: bool,
      help: str(),
      default: { type: ['string', 'boolean'] },
      options: list(object({ value: str(), label: str() }, ['value', 'label'])),
      advanced: bool,
    },
    ['key', 'label', 'type', 'required', 'help'],
  ),
  Preset: object({ id: str(), name: str(), description: str(), mappings: ref('MappingSet') }, [
    'id',
    'name',
    'description',
    'mappings',
  ]),
  CatalogEntry: object(
    {
      vendor: str(),
      name: str(),
      description: str(),
      category: str(),
      fields: list(ref('ConfigField')),
      presets: list(ref('Preset')),
      default_consent_categories: list(str()),
    },
    ['vendor', 'name', 'description', 'category', 'fields', 'presets'],
  ),
  Catalog: object({ data: list(ref('CatalogEntry')) }, ['data']),

  Transform: {
    description: 'trim, lowercase, uppercase, boolean, email, language, e164, or an object.',
    oneOf: [str(), { type: 'object', properties: { name: str() }, required: ['name'] }],
  },
  Mapping: object(
    {
      source: { oneOf: [str('traits.email'), list(str())] },
      target: str('The vendor attribute written, e.g. optin_marketing.'),
      transforms: list(ref('Transform')),
    },
    ['source', 'target'],
  ),
  EventMapping: object(
    { action: { type: 'string', enum: ['map', 'drop'] }, mappings: list(ref('Mapping')) },
    ['action'],
  ),
  MappingSet: object(
    {
      key: ref('Mapping'),
      global: list(ref('Mapping')),
      events: { type: 'object', additionalProperties: ref('EventMapping') },
      defaultAction: { type: 'string', enum: ['global', 'drop'] },
    },
    ['key', 'global', 'events', 'defaultAction'],
  ),

  SecretState: object({ set: bool }, ['set']),
  DeliverySettings: object({
    concurrency: int('Calls in flight at once, 1 to 5.'),
    calls_per_minute: { type: ['integer', 'null'] },
    skip_unchanged: bool,
    unchanged_max_age_hours: { type: 'number' },
    propagate_opt_out: bool,
  }),
  Health: object(
    {
      waiting: int(),
      in_flight: int(),
      dead_letters: int(),
      last_delivery: {
        oneOf: [
          { type: 'null' },
          object({ outcome: str('delivered, retry or failed'), status: int(), at: time }),
        ],
      },
      last_hour: object({ delivered: int(), failed: int() }, ['delivered', 'failed']),
    },
    ['waiting', 'in_flight', 'dead_letters', 'last_delivery', 'last_hour'],
  ),
  Integration: object(
    {
      id: str(),
      vendor: str(),
      name: str(),
      preset: str(),
      config: {
        type: 'object',
        description:
          'Vendor settings; each secret field reads {"set": true|false}, never its value.',
        additionalProperties: { oneOf: [str(), bool, { type: 'number' }, ref('SecretState')] },
      },
      consent_categories: list(str()),
      mappings_customised: bool,
      enabled: bool,
      delivery: ref('DeliverySettings'),
      pipelines: list(str()),
      revision: int(),
      status: { type: 'string', enum: ['running', 'disabled', 'error'] },
      problem: str('Why the integration cannot run, when status is error.'),
      health: ref('Health'),
    },
    ['id', 'vendor', 'name', 'preset', 'config', 'consent_categories', 'enabled', 'status'],
  ),
  IntegrationList: object({ data: list(ref('Integration')) }, ['data']),
  IntegrationCreate: object(
    {
      id: str(),
      vendor: str(),
      name: str(),
      preset: str(),
      config: { type: 'object' },
      consent_categories: list(str()),
      pipelines: list(str()),
      delivery: ref('DeliverySettings'),
      mappings: ref('MappingSet'),
      enabled: bool,
    },
    ['vendor', 'config'],
  ),
  IntegrationPatch: object({
    name: str(),
    config: {
      type: 'object',
      description:
        'Merged into the stored settings: a string replaces, null removes; a secret omitted or ' +
        'sent as {"set": true} keeps its stored value.',
    },
    consent_categories: list(str()),
    mappings: { oneOf: [ref('MappingSet'), { type: 'null' }] },
    enabled: bool,
    delivery: ref('DeliverySettings'),
    pipelines: list(str()),
  }),
  ConnectionTestRequest: object({ config: { type: 'object' } }),
  ConnectionTestResult: object({ ok: bool, message: str(), hint: str() }, ['ok', 'message']),
  Change: object(
    {
      field: str('e.g. config.entity or mappings.global[5].target'),
      change: { type: 'string', enum: ['added', 'changed', 'removed'] },
      from: {},
      to: {},
    },
    ['field', 'change'],
  ),
  Revision: object(
    {
      revision: int(),
      at: time,
      actor: str(),
      action: str(),
      changes: list(ref('Change')),
      integration: ref('Integration'),
    },
    ['revision', 'at', 'actor', 'action', 'changes', 'integration'],
  ),
  RevisionList: object({ data: list(ref('Revision')) }, ['data']),

  ConsentSettings: object(
    {
      default: { type: 'string', enum: ['granted', 'denied'] },
      mapping: { type: 'object', additionalProperties: str('A canonical category.') },
    },
    ['default', 'mapping'],
  ),

  Exchange: object({
    request: object({ method: str(), url: str(), headers: { type: 'object' }, body: str() }),
    response: object({ status: int(), body: str() }),
    error: str(),
    latency_ms: int(),
    at: time,
  }),
  Attempt: object({
    delivery_id: int(),
    profile_key: str(),
    attempt: int(),
    outcome: { type: 'string', enum: ['delivered', 'retry', 'failed'] },
    status: int(),
    error: ref('Failure'),
    latency_ms: int(),
    at: time,
    request_body: str('The body of the vendor call, credentials masked.'),
    exchanges: list(ref('Exchange')),
  }),
  AttemptList: object({ data: list(ref('Attempt')) }, ['data']),
  Failure: object({
    code: str(),
    message: str(),
    hint: str(),
    vendor_status: int(),
    vendor_body: str(),
  }),
  DeadLetter: object({
    id: int(),
    integration_id: str(),
    profile_key: str(),
    attributes: { type: 'object' },
    message_ids: list(str()),
    attempts: int(),
    error: ref('Failure'),
    failed_at: time,
  }),
  DeadLetterList: object({ data: list(ref('DeadLetter')) }, ['data']),
  ReplayRequest: object({ integration: str(), key: str(), ids: list(int()) }),
  ReplayResult: object({ replayed: int() }, ['replayed']),
  DiscardRequest: object({ ids: list(int()) }, ['ids']),
  DiscardResult: object({ discarded: int() }, ['discarded']),

  AuditEntry: object(
    {
      id: int(),
      at: time,
      actor: str('The user e-mail, or "config-file" for provisioning at start.'),
      action: str('e.g. integration.updated, pipeline.key_rotated, dead_letter.discarded'),
      target: object({ type: str(), id: str() }, ['type', 'id']),
      changes: list(ref('Change')),
    },
    ['id', 'at', 'actor', 'action', 'target', 'changes'],
  ),
  AuditPage: object(
    {
      data: list(ref('AuditEntry')),
      next_cursor: { type: ['string', 'null'] },
      has_more: bool,
    },
    ['data', 'next_cursor', 'has_more'],
  ),

  Counts: object({ received: int(), delivered: int(), failed: int(), dropped: int() }, [
    'received',
    'delivered',
    'failed',
    'dropped',
  ]),
  Timeseries: object(
    {
      minutes: int(),
      data: list(
        object(
          {
            minute: time,
            total: ref('Counts'),
            integrations: { type: 'object', additionalProperties: ref('Counts') },
          },
          ['minute', 'total', 'integrations'],
        ),
      ),
    },
    ['minutes', 'data'],
  ),

  Trace: object(
    {
      stage: {
        type: 'string',
        enum: [
          'received',
          'duplicate',
          'planned',
          'dropped',
          'coalesced',
          'unchanged',
          'delivered',
          'retried',
          'dead_lettered',
        ],
      },
      at: time,
      pipelineId: str(),
      integrationId: str(),
      messageIds: list(str()),
      profileKey: str(),
      detail: {
        type: 'object',
        description:
          'Untrusted event data (render as text): event, attributes, reason, attempt, exchanges.',
      },
    },
    ['stage', 'at', 'messageIds', 'detail'],
  ),
  TraceList: object({ data: list(ref('Trace')) }, ['data']),
};
