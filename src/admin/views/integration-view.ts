/**
 * How an integration is answered (secrets masked, with its pipelines, revision, status and
 * health), and its configuration-file shape, the input the shared validator takes.
 */
import { getIntegration, hasIntegration } from '../../integrations/registry.js';
import type { MappingSet } from '../../mapping/types.js';
import type {
  DeliveryHealth,
  DeliverySettings,
  IntegrationRecord,
  Pipeline,
  QueueDepth,
} from '../../store/types.js';
import { maskConfig } from './secret-fields.js';

const HOUR_MS = 3_600_000;

export interface IntegrationStatus {
  status: 'running' | 'disabled' | 'error';
  problem?: string;
}

export interface IntegrationFacts extends IntegrationStatus {
  pipelines: Pipeline[];
  revision: number;
  depth?: QueueDepth;
  health?: DeliveryHealth;
}

export function integrationView(record: IntegrationRecord, facts: IntegrationFacts) {
  return {
    id: record.id,
    vendor: record.vendor,
    name: record.name,
    preset: record.presetId,
    config: maskConfig(record.vendor, record.config),
    consent_categories: record.consentCategories,
    mappings_customised: record.mappings !== undefined,
    enabled: record.enabled,
    delivery: deliveryView(record.delivery),
    pipelines: facts.pipelines
      .filter((pipeline) => pipeline.integrationIds.includes(record.id))
      .map((pipeline) => pipeline.id),
    revision: facts.revision,
    status: facts.status,
    ...(facts.problem ? { problem: facts.problem } : {}),
    health: {
      waiting: facts.depth?.waiting ?? 0,
      in_flight: facts.depth?.inFlight ?? 0,
      dead_letters: facts.depth?.deadLetters ?? 0,
      last_delivery: facts.health?.last ?? null,
      last_hour: { delivered: facts.health?.delivered ?? 0, failed: facts.health?.failed ?? 0 },
    },
  };
}

export type IntegrationView = ReturnType<typeof integrationView>;

export function deliveryView(delivery: DeliverySettings) {
  return {
    concurrency: delivery.concurrency,
    calls_per_minute: delivery.callsPerMinute,
    skip_unchanged: delivery.skipUnchanged,
    unchanged_max_age_hours: delivery.unchangedMaxAgeMs / HOUR_MS,
    propagate_opt_out: delivery.propagateOptOut,
  };
}

/** The record in the configuration file's shape, so the shared validator can check an edit. */
export function integrationEntry(record: IntegrationRecord): Record<string, unknown> {
  return {
    id: record.id,
    vendor: record.vendor,
    name: record.name,
    preset: record.presetId,
    config: { ...record.config },
    consent_categories: [...record.consentCategories],
    ...(record.mappings === undefined ? {} : { mappings: record.mappings }),
    enabled: record.enabled,
    delivery: deliveryView(record.delivery),
  };
}

/** The mappings in force: the integration's own, else its preset's. */
export function effectiveMappings(record: IntegrationRecord): MappingSet | undefined {
  if (record.mappings !== undefined) return record.mappings as MappingSet;
  if (!hasIntegration(record.vendor)) return undefined;

  const presets = getIntegration(record.vendor).catalog.presets;
  return presets.find((preset) => preset.id === record.presetId)?.mappings;
}

/**
 * The record as the audit log compares it. `effective` compares the mappings in force, so that
 * the first edit of a preset's mappings lists only what was edited.
 */
export function auditShape(record: IntegrationRecord, effective: boolean): Record<string, unknown> {
  const { id: _id, vendor: _vendor, ...entry } = integrationEntry(record);
  if (!effective) return entry;

  return { ...entry, mappings: effectiveMappings(record) };
}
