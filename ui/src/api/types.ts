/**
 * Shapes of the Management API's bodies, as in its OpenAPI document (`src/admin/api-schemas.ts`).
 * Names are snake_case except inside mapping sets and debugger traces, as the API sends them.
 */

export type Role = 'admin' | 'viewer';

export interface User {
  id: string;
  email: string;
  role: Role;
  created_at: string;
}

export interface Pipeline {
  id: string;
  name: string;
  key: string;
  hmac_secret_set: boolean;
  allowed_origins: string[];
  integrations: string[];
  rate_limit_per_second?: number;
  enabled?: boolean;
}

/** What a new pipeline needs; the server generates its id (from the name) and its key. */
export interface PipelineCreate {
  name: string;
  allowed_origins: string[];
  integrations: string[];
}

/** The answer to a secret rotation: the only one that ever carries the secret. */
export interface PipelineWithSecret extends Pipeline {
  hmac_secret: string;
}

export interface Snippet {
  html: string;
  script_url: string;
  pipeline_key: string;
}

export type FieldType = 'string' | 'secret' | 'select' | 'boolean' | 'url';

export interface ConfigField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  help: string;
  default?: string | boolean;
  options?: { value: string; label: string }[];
  advanced?: boolean;
}

export type TransformSpec = string | ({ name: string } & Record<string, unknown>);

export interface Mapping {
  source: string | string[];
  target: string;
  transforms?: TransformSpec[];
}

export interface EventMapping {
  action: 'map' | 'drop';
  mappings?: Mapping[];
}

export interface MappingSet {
  key: Mapping;
  global: Mapping[];
  events: Record<string, EventMapping>;
  defaultAction: 'global' | 'drop';
}

export interface Preset {
  id: string;
  name: string;
  description: string;
  mappings: MappingSet;
}

export interface CatalogEntry {
  vendor: string;
  name: string;
  description: string;
  category: string;
  fields: ConfigField[];
  presets: Preset[];
  default_consent_categories?: string[];
}

export interface SecretState {
  set: boolean;
}

export type ConfigValue = string | boolean | number | SecretState;

export interface Health {
  waiting: number;
  in_flight: number;
  dead_letters: number;
  last_delivery: { outcome?: string; status?: number; at?: string } | null;
  last_hour: { delivered: number; failed: number };
}

export interface Integration {
  id: string;
  vendor: string;
  name: string;
  preset: string;
  config: Record<string, ConfigValue>;
  consent_categories: string[];
  mappings_customised?: boolean;
  enabled: boolean;
  pipelines?: string[];
  revision?: number;
  status: 'running' | 'disabled' | 'error';
  problem?: string;
  health?: Health;
}

export interface IntegrationCreate {
  vendor: string;
  name: string;
  preset: string;
  config: Record<string, unknown>;
  consent_categories: string[];
  pipelines: string[];
  enabled: boolean;
}

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  hint?: string;
}

export interface Change {
  field: string;
  change: 'added' | 'changed' | 'removed';
  from?: unknown;
  to?: unknown;
}

export interface Revision {
  revision: number;
  at: string;
  actor: string;
  action: string;
  changes: Change[];
}

export interface ConsentSettings {
  default: 'granted' | 'denied';
  mapping: Record<string, string>;
}

export interface Failure {
  code?: string;
  message?: string;
  hint?: string;
  vendor_status?: number;
  vendor_body?: string;
}

export interface DeadLetter {
  id: number;
  integration_id: string;
  profile_key: string;
  attributes: Record<string, unknown>;
  message_ids: string[];
  attempts: number;
  error: Failure;
  failed_at: string;
}

export interface Counts {
  received: number;
  delivered: number;
  failed: number;
  dropped: number;
}

export interface Timeseries {
  minutes: number;
  data: { minute: string; total: Counts; integrations: Record<string, Counts> }[];
}

export type TraceStage =
  | 'received'
  | 'duplicate'
  | 'planned'
  | 'dropped'
  | 'coalesced'
  | 'unchanged'
  | 'delivered'
  | 'retried'
  | 'dead_lettered';

export interface Exchange {
  request?: { method?: string; url?: string; headers?: Record<string, string>; body?: string };
  response?: { status: number; body?: string };
  error?: string;
  latencyMs?: number;
  latency_ms?: number;
}

/** One stage of one event, as the debugger feed sends it; `detail` is untrusted data. */
export interface Trace {
  stage: TraceStage;
  at: string;
  pipelineId?: string;
  integrationId?: string;
  messageIds: string[];
  profileKey?: string;
  detail: Record<string, unknown>;
}

export interface TraceFilter {
  pipeline?: string;
  integration?: string;
  type?: string;
  user?: string;
  email?: string;
}

export interface ListOf<T> {
  data: T[];
}
