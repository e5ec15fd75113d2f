/**
 * The sandbox's configuration: licences, their API keys and rights, their entities and profile
 * tables, and their limits. Parsing and validation live in `config-parse.ts`.
 */
/** Predefined attribute kinds of an Actito profile table, plus `CUSTOM`. */
export const ATTRIBUTE_TYPES = [
  'EMAIL_ADDRESS',
  'FIRSTNAME',
  'LASTNAME',
  'PHONE_NUMBER',
  'MOTHER_LANGUAGE',
  'SEX',
  'BIRTHDATE',
  'CUSTOM',
] as const;

/** Value types of `CUSTOM` attributes (the ones actito-api.md names). */
export const VALUE_TYPES = ['STRING', 'INTEGER', 'BOOLEAN', 'TIMESTAMP'] as const;

export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export type ValueType = (typeof VALUE_TYPES)[number];

/** Attributes Actito manages itself; a client must never send them. */
export const TECHNICAL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'profileId',
  'creationMoment',
  'updateMoment',
]);

export interface AttributeConfig {
  name: string;
  type: AttributeType;
  /** Required for `CUSTOM` attributes, forbidden otherwise. */
  valueType?: ValueType;
  unique?: boolean;
  mandatory?: boolean;
  valueRestriction?: { maxLength?: number };
}

export interface TableConfig {
  name: string;
  attributes: AttributeConfig[];
}

export interface EntityConfig {
  name: string;
  comment?: string;
  tables: TableConfig[];
}

/** A right of an API key: `table` is a table name or `*` for every table of the entity. */
export interface RightConfig {
  entity: string;
  table: string;
  /** Without write, the key may only read. */
  write: boolean;
}

export interface ApiKeyConfig {
  key: string;
  rights: RightConfig[];
}

/** Per-licence limits; `null` means unlimited. */
export interface LicenceLimits {
  concurrency: number | null;
  calls_per_minute: number | null;
}

export interface LicenceConfig {
  id: string;
  api_keys: ApiKeyConfig[];
  entities: EntityConfig[];
  limits: LicenceLimits;
}

export interface SandboxConfig {
  licences: LicenceConfig[];
}

/** Actito's documented limits, used when a licence does not state its own. */
export const ACTITO_LIMITS: LicenceLimits = { concurrency: 5, calls_per_minute: 100 };

/** At most five API keys per licence, as at Actito. */
export const MAX_KEYS_PER_LICENCE = 5;

/** The demo licence's API key. Public by design: the README and `--help` print it. */
export const DEMO_API_KEY = 'sandbox-key';

/** The Default preset's attributes, with `email` as the unique key: the demo table's columns. */
const DEFAULT_PRESET_ATTRIBUTES: readonly AttributeConfig[] = [
  { name: 'email', type: 'EMAIL_ADDRESS', unique: true, mandatory: true },
  { name: 'firstName', type: 'FIRSTNAME' },
  { name: 'lastName', type: 'LASTNAME' },
  { name: 'phone', type: 'PHONE_NUMBER' },
  { name: 'language', type: 'MOTHER_LANGUAGE' },
  { name: 'marketingConsent', type: 'CUSTOM', valueType: 'BOOLEAN' },
];

/** The names of a one-licence configuration; what is left out keeps the demo's name. */
export interface LicenceNames {
  apiKeys?: readonly string[];
  entity?: string;
  tables?: readonly string[];
}

/** The licence the sandbox starts with when no configuration is given. */
export function demoConfig(): SandboxConfig {
  return namedLicenceConfig({});
}

/**
 * One licence shaped like the demo's under other names, for declaring a licence without a file:
 * every key may write every table of the one entity, and each table has the Default preset's
 * attributes with `email` as the unique key. Validate the result with `parseSandboxConfig`.
 */
export function namedLicenceConfig(names: LicenceNames): SandboxConfig {
  const entity = names.entity ?? 'demo';
  const keys = names.apiKeys ?? [DEMO_API_KEY];
  const tables = names.tables ?? ['Profiles'];

  const licence: LicenceConfig = {
    id: entity,
    api_keys: keys.map((key) => ({ key, rights: [{ entity, table: '*', write: true }] })),
    entities: [
      {
        name: entity,
        tables: tables.map((name) => ({
          name,
          attributes: DEFAULT_PRESET_ATTRIBUTES.map((attribute) => structuredClone(attribute)),
        })),
      },
    ],
    limits: { ...ACTITO_LIMITS },
  };
  return { licences: [licence] };
}

/** Returns a copy of the configuration with the given limits forced on every licence. */
export function overrideLimits(
  config: SandboxConfig,
  limits: Partial<LicenceLimits>,
): SandboxConfig {
  return {
    licences: config.licences.map((licence) => ({
      ...licence,
      limits: { ...licence.limits, ...limits },
    })),
  };
}
