/** One function per Management API operation the UI uses. */
import { get, patch, post, put, queryString } from './client.js';
import type {
  CatalogEntry,
  ConnectionTestResult,
  ConsentSettings,
  DeadLetter,
  Integration,
  IntegrationCreate,
  ListOf,
  MappingSet,
  Pipeline,
  PipelineCreate,
  PipelineWithSecret,
  Revision,
  Snippet,
  Timeseries,
  Trace,
  TraceFilter,
  User,
} from './types.js';

const id = (value: string) => encodeURIComponent(value);

export const api = {
  login: (email: string, password: string) =>
    post<{ role: string }>('/auth/login', { email, password }),
  logout: () => post<void>('/auth/logout'),
  me: (signal?: AbortSignal) => get<User>('/auth/me', signal),

  pipelines: (signal?: AbortSignal) => get<ListOf<Pipeline>>('/pipelines', signal),
  createPipeline: (body: PipelineCreate) => post<Pipeline>('/pipelines', body),
  updatePipeline: (pipelineId: string, body: Partial<Pipeline>) =>
    patch<Pipeline>(`/pipelines/${id(pipelineId)}`, body),
  rotateKey: (pipelineId: string) => post<Pipeline>(`/pipelines/${id(pipelineId)}/rotate-key`),
  rotateSecret: (pipelineId: string) =>
    post<PipelineWithSecret>(`/pipelines/${id(pipelineId)}/rotate-secret`),
  setPipelineEnabled: (pipelineId: string, enabled: boolean) =>
    post<Pipeline>(`/pipelines/${id(pipelineId)}/${enabled ? 'enable' : 'disable'}`),
  snippet: (pipelineId: string, signal?: AbortSignal) =>
    get<Snippet>(`/pipelines/${id(pipelineId)}/snippet`, signal),

  catalog: (signal?: AbortSignal) => get<ListOf<CatalogEntry>>('/catalog', signal),
  integrations: (signal?: AbortSignal) => get<ListOf<Integration>>('/integrations', signal),
  integration: (integrationId: string, signal?: AbortSignal) =>
    get<Integration>(`/integrations/${id(integrationId)}`, signal),
  createIntegration: (body: IntegrationCreate) => post<Integration>('/integrations', body),
  updateIntegration: (integrationId: string, body: Record<string, unknown>) =>
    patch<Integration>(`/integrations/${id(integrationId)}`, body),
  setIntegrationEnabled: (integrationId: string, enabled: boolean) =>
    post<Integration>(`/integrations/${id(integrationId)}/${enabled ? 'enable' : 'disable'}`),
  testConnection: (integrationId: string, config?: Record<string, unknown>) =>
    post<ConnectionTestResult>(
      `/integrations/${id(integrationId)}/test-connection`,
      config ? { config } : {},
    ),
  mappings: (integrationId: string, signal?: AbortSignal) =>
    get<MappingSet>(`/integrations/${id(integrationId)}/mappings`, signal),
  saveMappings: (integrationId: string, mappings: MappingSet) =>
    put<MappingSet>(`/integrations/${id(integrationId)}/mappings`, mappings),
  revisions: (integrationId: string, signal?: AbortSignal) =>
    get<ListOf<Revision>>(`/integrations/${id(integrationId)}/revisions`, signal),
  rollback: (integrationId: string, revision: number) =>
    post<Integration>(`/integrations/${id(integrationId)}/revisions/${revision}/rollback`),

  consent: (signal?: AbortSignal) => get<ConsentSettings>('/settings/consent', signal),
  saveConsent: (settings: ConsentSettings) => put<ConsentSettings>('/settings/consent', settings),

  deadLetters: (query: { integration?: string; limit?: number }, signal?: AbortSignal) =>
    get<ListOf<DeadLetter>>(`/dead-letters${queryString(query)}`, signal),
  replay: (body: { integration?: string; ids?: number[] }) =>
    post<{ replayed: number }>('/dead-letters/replay', body),
  discard: (ids: number[]) => post<{ discarded: number }>('/dead-letters/discard', { ids }),

  timeseries: (minutes: number, signal?: AbortSignal) =>
    get<Timeseries>(`/stats/timeseries${queryString({ minutes })}`, signal),
  recentTraces: (filter: TraceFilter & { limit?: number }, signal?: AbortSignal) =>
    get<ListOf<Trace>>(`/debugger/recent${queryString({ ...filter })}`, signal),
};
