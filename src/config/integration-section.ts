/**
 * The `integrations` section of the configuration file: one vendor connection each, checked
 * against the vendor's own catalog and settings parser so that a file that loads can deliver.
 */
import { getIntegration } from '../integrations/registry.js';
import type { IntegrationDefinition } from '../integrations/types.js';
import { validateMappingSet } from '../mapping/validate.js';
import { DEFAULT_DELIVERY_SETTINGS as DEFAULT_DELIVERY } from '../deliver/delivery-defaults.js';
import type { DeliverySettings, IntegrationRecord } from '../store/types.js';
import {
  checkId,
  childPath,
  expectObject,
  fail,
  optionalArray,
  optionalBoolean,
  optionalInteger,
  optionalString,
  rejectUnknownKeys,
  requiredString,
  unique,
  within,
  type RawObject,
} from './config-checks.js';
import { checkConsentCategory } from './consent-section.js';

const INTEGRATION_KEYS = [
  'id',
  'vendor',
  'name',
  'preset',
  'config',
  'consent_categories',
  'mappings',
  'enabled',
  'delivery',
] as const;

const DELIVERY_KEYS = [
  'concurrency',
  'calls_per_minute',
  'skip_unchanged',
  'unchanged_max_age_hours',
  'propagate_opt_out',
] as const;

/** Actito's licence allows 5 calls at once; more would only earn 429s. */
const MAX_CONCURRENCY = 5;
const HOUR_MS = 3_600_000;

/** Checks `integrations[index]` and returns the record the store keeps. */
export function parseIntegration(raw: unknown, path: string): IntegrationRecord {
  const entry = expectObject(raw, path);
  rejectUnknownKeys(entry, INTEGRATION_KEYS, path);

  const id = checkId(entry.id, childPath(path, 'id'));
  const vendor = requiredString(entry.vendor, childPath(path, 'vendor'));
  const definition = within(childPath(path, 'vendor'), () => getIntegration(vendor));

  const name = optionalString(entry.name, childPath(path, 'name')) ?? definition.catalog.name;
  const presetId = parsePreset(entry.preset, childPath(path, 'preset'), definition);
  const config = parseVendorConfig(entry.config, childPath(path, 'config'), definition);

  const consentCategories = parseConsentCategories(
    entry.consent_categories,
    childPath(path, 'consent_categories'),
    definition,
  );

  const mappings =
    entry.mappings === undefined
      ? undefined
      : within(childPath(path, 'mappings'), () => validateMappingSet(entry.mappings));

  return {
    id,
    vendor,
    name,
    presetId,
    config,
    ...(mappings === undefined ? {} : { mappings }),
    consentCategories,
    enabled: optionalBoolean(entry.enabled, childPath(path, 'enabled'), true),
    delivery: parseDelivery(entry.delivery, childPath(path, 'delivery')),
  };
}

/**
 * Absent: the vendor's own default, as the UI proposes. Delivering without any consent gate is a
 * choice a person writes down (`[]`), not what a forgotten line means.
 */
function parseConsentCategories(
  raw: unknown,
  path: string,
  definition: IntegrationDefinition,
): string[] {
  if (raw === undefined) return [...definition.catalog.defaultConsentCategories];

  return unique(optionalArray(raw, path, checkConsentCategory));
}

/** Absent: the vendor's first preset (for Actito, "default"). */
function parsePreset(raw: unknown, path: string, definition: IntegrationDefinition): string {
  const ids = definition.catalog.presets.map((preset) => preset.id);
  const presetId = optionalString(raw, path) ?? ids[0];
  if (presetId === undefined) fail(path, `is required: ${definition.catalog.vendor} has no preset`);

  if (!ids.includes(presetId)) {
    fail(
      path,
      `"${presetId}" is not a preset of ${definition.catalog.vendor} (known: ${ids.join(', ')})`,
    );
  }

  return presetId;
}

/**
 * The vendor settings as written (after `${VAR}` substitution), once the vendor's parser accepts
 * them. They are stored raw rather than parsed so that the UI shows the same field names.
 */
function parseVendorConfig(
  raw: unknown,
  path: string,
  definition: IntegrationDefinition,
): Record<string, unknown> {
  const config: RawObject = raw === undefined ? {} : { ...expectObject(raw, path) };
  const fieldKeys = definition.catalog.fields.map((field) => field.key);

  const unknown = Object.keys(config).find((key) => !fieldKeys.includes(key));
  if (unknown !== undefined) {
    fail(
      childPath(path, unknown),
      `is not a setting of ${definition.catalog.vendor} (expected one of: ${fieldKeys.join(', ')})`,
    );
  }

  within(path, () => definition.parseConfig(config));

  return config;
}

function parseDelivery(raw: unknown, path: string): DeliverySettings {
  if (raw === undefined) return { ...DEFAULT_DELIVERY };

  const delivery = expectObject(raw, path);
  rejectUnknownKeys(delivery, DELIVERY_KEYS, path);

  return {
    concurrency: optionalInteger(
      delivery.concurrency,
      childPath(path, 'concurrency'),
      { min: 1, max: MAX_CONCURRENCY },
      DEFAULT_DELIVERY.concurrency,
    ),
    callsPerMinute: parseCallsPerMinute(
      delivery.calls_per_minute,
      childPath(path, 'calls_per_minute'),
    ),
    skipUnchanged: optionalBoolean(
      delivery.skip_unchanged,
      childPath(path, 'skip_unchanged'),
      DEFAULT_DELIVERY.skipUnchanged,
    ),
    unchangedMaxAgeMs: parseHours(
      delivery.unchanged_max_age_hours,
      childPath(path, 'unchanged_max_age_hours'),
    ),
    propagateOptOut: optionalBoolean(
      delivery.propagate_opt_out,
      childPath(path, 'propagate_opt_out'),
      DEFAULT_DELIVERY.propagateOptOut,
    ),
  };
}

/** `null` means no per-minute budget (a vendor licence without one). */
function parseCallsPerMinute(raw: unknown, path: string): number | null {
  if (raw === null) return null;
  if (raw === undefined) return DEFAULT_DELIVERY.callsPerMinute;

  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    fail(path, 'must be a whole number of at least 1, or null for no limit');
  }

  return raw;
}

function parseHours(raw: unknown, path: string): number {
  if (raw === undefined) return DEFAULT_DELIVERY.unchangedMaxAgeMs;

  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0) {
    fail(path, 'must be a number of hours greater than 0');
  }

  return Math.round(raw * HOUR_MS);
}
