/**
 * Reading a sandbox configuration from JSON. Validation is strict (unknown fields are errors)
 * so a typo in a hand-written file is reported instead of silently ignored.
 */
import { readFile } from 'node:fs/promises';
import {
  ACTITO_LIMITS,
  ATTRIBUTE_TYPES,
  MAX_KEYS_PER_LICENCE,
  TECHNICAL_ATTRIBUTES,
  VALUE_TYPES,
  type ApiKeyConfig,
  type AttributeConfig,
  type EntityConfig,
  type LicenceConfig,
  type LicenceLimits,
  type SandboxConfig,
  type TableConfig,
} from './config.js';
import { ConfigReader } from './config-reader.js';
import { SandboxConfigError } from './sandbox-errors.js';

/**
 * Validates a configuration object and returns a normalised copy (limits filled in).
 * Throws `SandboxConfigError` listing every problem found, each with its JSON path.
 */
export function parseSandboxConfig(input: unknown, source = 'config'): SandboxConfig {
  const reader = new ConfigReader(source);

  const root = reader.object(input, '', ['licences']);
  const licences = reader
    .array(root?.['licences'], 'licences', 1)
    .map((raw, i) => readLicence(reader, raw, `licences[${i}]`));

  reader.unique(
    licences.map((l) => l.id),
    'licences[].id',
  );
  reader.unique(
    licences.flatMap((l) => l.api_keys.map((k) => k.key)),
    'licences[].api_keys[].key',
    false,
  );
  reader.unique(
    licences.flatMap((l) => l.entities.map((e) => e.name)),
    'licences[].entities[].name (entity names must be unique across licences)',
  );

  reader.throwIfProblems();
  return { licences };
}

/** Reads and validates a JSON configuration file; errors name the file. */
export async function loadSandboxConfigFile(path: string): Promise<SandboxConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SandboxConfigError(`cannot read sandbox config ${path}: ${reason}`, []);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SandboxConfigError(`sandbox config ${path} is not valid JSON: ${reason}`, []);
  }

  return parseSandboxConfig(json, path);
}

function readLicence(reader: ConfigReader, raw: unknown, path: string): LicenceConfig {
  const obj = reader.object(raw, path, ['id', 'api_keys', 'entities', 'limits']);

  const id = reader.string(obj?.['id'], `${path}.id`);
  const entities = reader
    .array(obj?.['entities'], `${path}.entities`, 1)
    .map((e, i) => readEntity(reader, e, `${path}.entities[${i}]`));
  const keys = reader.array(obj?.['api_keys'], `${path}.api_keys`, 1);
  if (keys.length > MAX_KEYS_PER_LICENCE) {
    reader.problem(`${path}.api_keys`, `at most ${MAX_KEYS_PER_LICENCE} keys per licence`);
  }
  const api_keys = keys.map((k, i) => readApiKey(reader, k, `${path}.api_keys[${i}]`, entities));
  const limits = readLimits(reader, obj?.['limits'], `${path}.limits`);

  return { id, api_keys, entities, limits };
}

function readApiKey(
  reader: ConfigReader,
  raw: unknown,
  path: string,
  entities: EntityConfig[],
): ApiKeyConfig {
  const obj = reader.object(raw, path, ['key', 'rights']);

  const key = reader.string(obj?.['key'], `${path}.key`);
  const rights = reader.array(obj?.['rights'], `${path}.rights`, 0).map((r, i) => {
    const rightPath = `${path}.rights[${i}]`;
    const right = reader.object(r, rightPath, ['entity', 'table', 'write']);
    const entity = reader.string(right?.['entity'], `${rightPath}.entity`);
    const table = reader.string(right?.['table'], `${rightPath}.table`);
    const write = reader.boolean(right?.['write'], `${rightPath}.write`) ?? false;

    // A right on something that does not exist is almost always a typo in the file.
    const target = entities.find((e) => e.name === entity);
    if (target === undefined) {
      reader.problem(`${rightPath}.entity`, `no entity "${entity}" in this licence`);
    } else if (table !== '*' && !target.tables.some((t) => t.name === table)) {
      reader.problem(`${rightPath}.table`, `no table "${table}" in entity "${entity}"`);
    }

    return { entity, table, write };
  });

  return { key, rights };
}

function readEntity(reader: ConfigReader, raw: unknown, path: string): EntityConfig {
  const obj = reader.object(raw, path, ['name', 'comment', 'tables']);

  const name = reader.string(obj?.['name'], `${path}.name`);
  const comment = reader.optionalString(obj?.['comment'], `${path}.comment`);
  const tables = reader
    .array(obj?.['tables'], `${path}.tables`, 1)
    .map((t, i) => readTable(reader, t, `${path}.tables[${i}]`));
  reader.unique(
    tables.map((t) => t.name),
    `${path}.tables[].name`,
  );

  return comment === undefined ? { name, tables } : { name, comment, tables };
}

function readTable(reader: ConfigReader, raw: unknown, path: string): TableConfig {
  const obj = reader.object(raw, path, ['name', 'attributes']);

  const name = reader.string(obj?.['name'], `${path}.name`);
  const attributes = reader
    .array(obj?.['attributes'], `${path}.attributes`, 1)
    .map((a, i) => readAttribute(reader, a, `${path}.attributes[${i}]`));
  reader.unique(
    attributes.map((a) => a.name),
    `${path}.attributes[].name`,
  );
  if (attributes.filter((a) => a.type === 'EMAIL_ADDRESS').length > 1) {
    reader.problem(`${path}.attributes`, 'at most one EMAIL_ADDRESS attribute per table');
  }

  return { name, attributes };
}

function readAttribute(reader: ConfigReader, raw: unknown, path: string): AttributeConfig {
  const obj = reader.object(raw, path, [
    'name',
    'type',
    'valueType',
    'unique',
    'mandatory',
    'valueRestriction',
  ]);

  const name = reader.string(obj?.['name'], `${path}.name`);
  if (TECHNICAL_ATTRIBUTES.has(name)) {
    reader.problem(`${path}.name`, `"${name}" is a technical attribute managed by Actito`);
  }
  const type = reader.oneOf(obj?.['type'], `${path}.type`, ATTRIBUTE_TYPES);
  const attribute: AttributeConfig = { name, type: type ?? 'CUSTOM' };

  const valueType = obj?.['valueType'];
  if (type === 'CUSTOM') {
    const parsed = reader.oneOf(valueType, `${path}.valueType`, VALUE_TYPES);
    if (parsed !== undefined) attribute.valueType = parsed;
  } else if (valueType !== undefined && type !== undefined) {
    reader.problem(`${path}.valueType`, 'only CUSTOM attributes have a valueType');
  }

  const unique = reader.boolean(obj?.['unique'], `${path}.unique`);
  const mandatory = reader.boolean(obj?.['mandatory'], `${path}.mandatory`);
  if (unique !== undefined) attribute.unique = unique;
  if (mandatory !== undefined) attribute.mandatory = mandatory;

  if (obj?.['valueRestriction'] !== undefined) {
    const restriction = reader.object(obj['valueRestriction'], `${path}.valueRestriction`, [
      'maxLength',
    ]);
    const maxLength = reader.positiveInteger(
      restriction?.['maxLength'],
      `${path}.valueRestriction.maxLength`,
      true,
    );
    attribute.valueRestriction = maxLength === undefined ? {} : { maxLength };
  }

  return attribute;
}

function readLimits(reader: ConfigReader, raw: unknown, path: string): LicenceLimits {
  if (raw === undefined) return { ...ACTITO_LIMITS };

  const obj = reader.object(raw, path, ['concurrency', 'calls_per_minute']);
  const read = (field: keyof LicenceLimits): number | null => {
    const value = obj?.[field];
    if (value === undefined) return ACTITO_LIMITS[field];
    if (value === null) return null;
    return reader.positiveInteger(value, `${path}.${field}`, false) ?? null;
  };

  return { concurrency: read('concurrency'), calls_per_minute: read('calls_per_minute') };
}
