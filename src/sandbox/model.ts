/**
 * The runtime view of a sandbox configuration: lookups by key, entity and table name, built
 * once at start so the hot path does map lookups only.
 */
import type {
  ApiKeyConfig,
  AttributeConfig,
  EntityConfig,
  LicenceConfig,
  SandboxConfig,
  TableConfig,
} from './config.js';
import { LicenceLimiter } from './limits.js';
import { ProfileStore } from './profile-store.js';

export interface Licence {
  config: LicenceConfig;
  limiter: LicenceLimiter;
  entities: Map<string, Entity>;
}

export interface Entity {
  id: number;
  config: EntityConfig;
  tables: Map<string, Table>;
}

export interface Table {
  id: number;
  entity: string;
  config: TableConfig;
  attributes: Map<string, AttributeConfig>;
  uniqueAttributes: string[];
  mandatoryAttributes: string[];
  /** Name of the table's EMAIL_ADDRESS attribute, when it has one. */
  emailAttribute: string | undefined;
  store: ProfileStore;
}

export interface ApiKey {
  config: ApiKeyConfig;
  licence: Licence;
  /** Index of the key in its licence, used to describe it without revealing it. */
  index: number;
}

export interface SandboxModel {
  licences: Licence[];
  /** API keys by their secret value. */
  keys: Map<string, ApiKey>;
  /** Every table, by entity name then table name (entity names are unique across licences). */
  tables: Map<string, Map<string, Table>>;
}

/** Builds the lookups of a validated configuration. */
export function buildModel(config: SandboxConfig): SandboxModel {
  const keys = new Map<string, ApiKey>();
  const tables = new Map<string, Map<string, Table>>();
  let entityId = 0;
  let tableId = 0;

  const licences = config.licences.map((licenceConfig) => {
    const licence: Licence = {
      config: licenceConfig,
      limiter: new LicenceLimiter(licenceConfig.limits),
      entities: new Map(),
    };

    for (const entityConfig of licenceConfig.entities) {
      const entity: Entity = { id: ++entityId, config: entityConfig, tables: new Map() };
      for (const tableConfig of entityConfig.tables) {
        entity.tables.set(tableConfig.name, buildTable(++tableId, entityConfig.name, tableConfig));
      }
      licence.entities.set(entityConfig.name, entity);
      tables.set(entityConfig.name, entity.tables);
    }

    licenceConfig.api_keys.forEach((keyConfig, index) => {
      keys.set(keyConfig.key, { config: keyConfig, licence, index });
    });

    return licence;
  });

  return { licences, keys, tables };
}

/** The right a key holds on a table: `write`, `read`, or none. */
export function rightOn(key: ApiKey, entity: string, table: string): 'write' | 'read' | undefined {
  let right: 'write' | 'read' | undefined;

  for (const r of key.config.rights) {
    if (r.entity !== entity || (r.table !== '*' && r.table !== table)) continue;
    if (r.write) return 'write';
    right = 'read';
  }

  return right;
}

/** Whether a key holds any right on an entity (needed to read its structure). */
export function hasRightOnEntity(key: ApiKey, entity: string): boolean {
  return key.config.rights.some((r) => r.entity === entity);
}

function buildTable(id: number, entity: string, config: TableConfig): Table {
  const attributes = new Map(config.attributes.map((a) => [a.name, a]));
  const uniqueAttributes = config.attributes.filter((a) => a.unique === true).map((a) => a.name);

  return {
    id,
    entity,
    config,
    attributes,
    uniqueAttributes,
    mandatoryAttributes: config.attributes.filter((a) => a.mandatory === true).map((a) => a.name),
    emailAttribute: config.attributes.find((a) => a.type === 'EMAIL_ADDRESS')?.name,
    store: new ProfileStore(uniqueAttributes),
  };
}
