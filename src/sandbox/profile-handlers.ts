/**
 * Profile create-or-update, read and delete, with Actito's order of checks:
 * 401 (done by the caller) → 404 unknown entity or table → 403 missing right → 400 validation.
 */
import { apiError, type ApiResult } from './api-result.js';
import { checkAttributeValue } from './attribute-values.js';
import { TECHNICAL_ATTRIBUTES } from './config.js';
import { rightOn, type ApiKey, type Table } from './model.js';
import { readProfileBody } from './profile-body.js';
import type { ProfileChanges, StoredProfile } from './profile-store.js';
import type { SandboxState } from './sandbox-state.js';

/** A parsed request body, or the fact that it was not JSON. */
export type RequestBody = { json: true; value: unknown } | { json: false };

type Lookup = { ok: true; table: Table } | { ok: false; failure: ApiResult };

/** `POST .../table/{table}/profile[?allowUpdate=true]` */
export function writeProfile(
  state: SandboxState,
  key: ApiKey,
  route: { prefix: string; entity: string; table: string },
  query: Record<string, string>,
  body: RequestBody,
): ApiResult {
  const lookup = findTable(key, route.entity, route.table);
  if (!lookup.ok) return lookup.failure;
  const { table } = lookup;
  if (rightOn(key, route.entity, route.table) !== 'write') {
    return apiError(403, `this API key has no write right on ${route.entity}/${route.table}`);
  }

  if (!body.json) return apiError(400, 'the body is not valid JSON');
  const parsed = readProfileBody(body.value);
  if (!parsed.ok) return apiError(400, parsed.message);
  const { changes } = parsed;
  const invalid = checkAttributes(table, changes.attributes);
  if (invalid !== undefined) return apiError(400, invalid);

  const matches = table.store.matches(changes.attributes);
  if (matches.length > 1) {
    return apiError(409, 'the unique values sent belong to different profiles');
  }

  const existing = matches[0];
  const now = actitoMoment(new Date());
  if (existing === undefined) return createProfile(state, table, route, changes, now);

  if (query['allowUpdate']?.toLowerCase() !== 'true') {
    // Actito answers some 4xx here but does not document which; 409 is the sandbox's choice.
    return apiError(
      409,
      'a profile with this unique key already exists; send allowUpdate=true to update it ' +
        "(409 is the sandbox's choice: Actito's status for this case is undocumented)",
    );
  }

  for (const name of table.mandatoryAttributes) {
    if (changes.attributes[name] === null) {
      return apiError(400, `mandatory attribute "${name}" cannot be cleared`);
    }
  }
  table.store.update(existing, changes, now);
  state.stats.profileWrites += 1;
  return { status: 200, body: { profileId: existing.profileId } };
}

/** `GET .../table/{table}/profile/{profileId | attribute=value}` */
export function readProfile(
  key: ApiKey,
  route: { entity: string; table: string; ref: string },
): ApiResult {
  const found = findProfile(key, route, 'read');
  if (!found.ok) return found.failure;

  const { profile } = found;
  const technical = [
    { name: 'profileId', value: profile.profileId },
    { name: 'creationMoment', value: profile.creationMoment },
    { name: 'updateMoment', value: profile.updateMoment },
  ];
  return {
    status: 200,
    body: {
      attributes: [
        ...technical,
        ...Object.entries(profile.attributes).map(([name, value]) => ({ name, value })),
      ],
      subscriptions: profile.subscriptions,
      segmentations: profile.segmentations,
    },
  };
}

/** `DELETE .../table/{table}/profile/{profileId | attribute=value}` */
export function deleteProfile(
  key: ApiKey,
  route: { entity: string; table: string; ref: string },
): ApiResult {
  const found = findProfile(key, route, 'write');
  if (!found.ok) return found.failure;

  found.table.store.delete(found.profile.profileId);
  return { status: 204 };
}

/** Finds a table of the key's licence; names are case-sensitive, as at Actito. */
export function findTable(key: ApiKey, entityName: string, tableName: string): Lookup {
  const entity = key.licence.entities.get(entityName);
  if (entity === undefined) {
    return {
      ok: false,
      failure: apiError(
        404,
        `unknown entity "${entityName}"${hint(entityName, key.licence.entities.keys())}`,
      ),
    };
  }

  const table = entity.tables.get(tableName);
  if (table === undefined) {
    const message = `unknown table "${tableName}" in entity "${entityName}"`;
    return { ok: false, failure: apiError(404, message + hint(tableName, entity.tables.keys())) };
  }
  return { ok: true, table };
}

function createProfile(
  state: SandboxState,
  table: Table,
  route: { prefix: string; entity: string; table: string },
  changes: ProfileChanges,
  now: string,
): ApiResult {
  for (const name of table.mandatoryAttributes) {
    const value = changes.attributes[name];
    if (value === undefined || value === null) {
      return apiError(400, `missing mandatory attribute "${name}"`);
    }
  }

  const profile = table.store.create(changes, now);
  state.stats.profileWrites += 1;

  const location =
    `${route.prefix}/v4/entity/${encodeURIComponent(route.entity)}` +
    `/table/${encodeURIComponent(route.table)}/profile/${profile.profileId}`;
  return { status: 201, headers: { location }, body: { profileId: profile.profileId } };
}

/** Why the attributes cannot be written to `table`, or undefined when they can. */
function checkAttributes(table: Table, attributes: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(attributes)) {
    if (TECHNICAL_ATTRIBUTES.has(name)) {
      return `technical attribute "${name}" is managed by Actito and must not be sent`;
    }

    const attribute = table.attributes.get(name);
    if (attribute === undefined) return `unknown attribute "${name}" in table ${table.config.name}`;
    if (value === null) continue;

    const problem = checkAttributeValue(attribute, value);
    if (problem !== undefined) return problem;
  }

  // Without a unique value the profile could never be matched again: Actito refuses it.
  const hasUnique = table.uniqueAttributes.some(
    (name) => attributes[name] !== undefined && attributes[name] !== null,
  );
  if (table.uniqueAttributes.length > 0 && !hasUnique) {
    return `missing unique key: send ${table.uniqueAttributes.map((n) => `"${n}"`).join(' or ')}`;
  }
  return undefined;
}

function findProfile(
  key: ApiKey,
  route: { entity: string; table: string; ref: string },
  needed: 'read' | 'write',
): { ok: true; table: Table; profile: StoredProfile } | { ok: false; failure: ApiResult } {
  const lookup = findTable(key, route.entity, route.table);
  if (!lookup.ok) return lookup;
  const { table } = lookup;

  const right = rightOn(key, route.entity, route.table);
  if (right === undefined || (needed === 'write' && right !== 'write')) {
    return {
      ok: false,
      failure: apiError(
        403,
        `this API key has no ${needed} right on ${route.entity}/${route.table}`,
      ),
    };
  }

  const selector = profileSelector(table, route.ref);
  if (typeof selector === 'string') return { ok: false, failure: apiError(400, selector) };

  const profile =
    selector.attribute === undefined
      ? table.store.get(selector.id)
      : table.store.findByUnique(selector.attribute, selector.value);
  if (profile === undefined) return { ok: false, failure: apiError(404, 'no such profile') };
  return { ok: true, table, profile };
}

/** `123` → by profileId; `email=jane@example.com` → by a unique attribute; else a message. */
function profileSelector(
  table: Table,
  ref: string,
): { attribute: undefined; id: number } | { attribute: string; value: unknown } | string {
  if (/^\d+$/.test(ref)) return { attribute: undefined, id: Number(ref) };

  const equals = ref.indexOf('=');
  if (equals <= 0) return 'the profile must be given as a profileId or as attribute=value';

  let attribute = ref.slice(0, equals);
  const text = ref.slice(equals + 1);
  // Actito's documented form is `emailAddress=`; `email=` is accepted too, for the e-mail attribute.
  if (
    !table.uniqueAttributes.includes(attribute) &&
    (attribute === 'emailAddress' || attribute === 'email') &&
    table.emailAttribute !== undefined
  ) {
    attribute = table.emailAttribute;
  }
  if (!table.uniqueAttributes.includes(attribute)) {
    return `"${attribute}" is not a unique attribute of table ${table.config.name}`;
  }

  const config = table.attributes.get(attribute);
  const isInteger = config?.type === 'CUSTOM' && config.valueType === 'INTEGER';
  return { attribute, value: isInteger ? Number(text) : text };
}

/** A hint for names that differ only by case, the usual mistake (names are case-sensitive). */
function hint(name: string, known: Iterable<string>): string {
  for (const candidate of known) {
    if (candidate.toLowerCase() === name.toLowerCase()) {
      return ` (names are case-sensitive: did you mean "${candidate}"?)`;
    }
  }
  return '';
}

/** Actito's date-time format, `yyyy-MM-dd HH:mm:ss` (UTC here). */
function actitoMoment(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
