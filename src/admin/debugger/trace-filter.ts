/**
 * The Event Debugger's filters, applied on the server so a busy site does not flood the browser:
 * by pipeline, integration, event type (or track event name), user and e-mail.
 */
import { invalid } from '../http/admin-error.js';
import { isObject } from '../http/input.js';
import { normaliseEmail, type MessageFacts } from './message-index.js';

export interface TraceFilter {
  pipeline?: string;
  integration?: string;
  type?: string;
  user?: string;
  email?: string;
}

export const FILTER_FIELDS = ['pipeline', 'integration', 'type', 'user', 'email'] as const;

/** What a filter is matched against: a trace and what is known of its messages. */
export interface FilterSubject {
  pipelineId?: string;
  integrationId?: string;
  profileKey?: string;
  facts: MessageFacts[];
}

/** Checks a filter sent by a client; `null`, absent or empty members mean "any". */
export function parseFilter(raw: unknown): TraceFilter {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw invalid('filter', 'must be an object');

  const filter: TraceFilter = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = FILTER_FIELDS.find((candidate) => candidate === key);
    if (!field)
      throw invalid(`filter.${key}`, `is not a filter (known: ${FILTER_FIELDS.join(', ')})`);
    if (value === null || value === undefined || value === '') continue;
    if (typeof value !== 'string') throw invalid(`filter.${key}`, 'must be text');

    filter[field] = value;
  }
  return filter;
}

/**
 * Whether a trace passes. A trace without an integration (received, duplicate) passes an
 * integration filter when its pipeline routes to that integration (`routes`: pipeline id →
 * integration ids).
 */
export function matchesFilter(
  subject: FilterSubject,
  filter: TraceFilter,
  routes: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  const { facts } = subject;
  const pipelineId = subject.pipelineId ?? facts.find((fact) => fact.pipelineId)?.pipelineId;

  if (filter.pipeline !== undefined && pipelineId !== filter.pipeline) return false;

  if (filter.integration !== undefined) {
    const routed = pipelineId !== undefined && routes.get(pipelineId)?.has(filter.integration);
    const same = subject.integrationId === filter.integration;
    if (!same && !(subject.integrationId === undefined && routed)) return false;
  }

  if (filter.type !== undefined) {
    const type = filter.type;
    if (!facts.some((fact) => fact.type === type || fact.name === type)) return false;
  }

  if (filter.user !== undefined) {
    const user = filter.user;
    if (!facts.some((fact) => fact.userId === user || fact.anonymousId === user)) return false;
  }

  if (filter.email !== undefined) {
    const email = normaliseEmail(filter.email);
    const keyMatches = normaliseEmail(subject.profileKey) === email;
    if (!keyMatches && !facts.some((fact) => fact.email === email)) return false;
  }

  return true;
}
