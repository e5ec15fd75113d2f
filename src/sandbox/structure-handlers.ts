/**
 * The read-only description endpoints: the licence's entities and the structure of their
 * profile tables. A client uses them to test a connection and to validate its mappings.
 */
import { apiError, type ApiResult } from './api-result.js';
import { hasRightOnEntity, type ApiKey, type Table } from './model.js';

/** `GET /entities/v5/entities` */
export function listEntities(key: ApiKey): ApiResult {
  const entities = [...key.licence.entities.values()].map((entity) => ({
    id: entity.id,
    name: entity.config.name,
    comment: entity.config.comment ?? '',
  }));

  return { status: 200, body: { entities } };
}

/** `GET /profile-table-structure/v5/entities/{entity}/profile-tables` */
export function listProfileTables(key: ApiKey, entityName: string): ApiResult {
  const entity = key.licence.entities.get(entityName);
  if (entity === undefined) return apiError(404, `unknown entity "${entityName}"`);
  if (!hasRightOnEntity(key, entityName)) {
    return apiError(403, `this API key has no right on entity ${entityName}`);
  }

  return { status: 200, body: { profileTables: [...entity.tables.values()].map(describeTable) } };
}

/** `GET /profile-table-structure/v5/entities/{entity}/profile-tables/{tableId or name}` */
export function getProfileTable(key: ApiKey, entityName: string, tableRef: string): ApiResult {
  const entity = key.licence.entities.get(entityName);
  if (entity === undefined) return apiError(404, `unknown entity "${entityName}"`);

  const table =
    entity.tables.get(tableRef) ??
    [...entity.tables.values()].find((t) => String(t.id) === tableRef);
  if (table === undefined) {
    return apiError(404, `unknown table "${tableRef}" in entity "${entityName}"`);
  }
  if (!hasRightOnEntity(key, entityName)) {
    return apiError(403, `this API key has no right on entity ${entityName}`);
  }

  return { status: 200, body: describeTable(table) };
}

function describeTable(table: Table): Record<string, unknown> {
  return {
    id: table.id,
    name: table.config.name,
    attributes: table.config.attributes.map((attribute) => {
      const described: Record<string, unknown> = {
        name: attribute.name,
        type: attribute.type,
        unique: attribute.unique === true,
        mandatory: attribute.mandatory === true,
        multiValued: false,
      };
      if (attribute.valueType !== undefined) described['valueType'] = attribute.valueType;
      if (attribute.valueRestriction !== undefined) {
        described['valueRestriction'] = attribute.valueRestriction;
      }
      return described;
    }),
  };
}
