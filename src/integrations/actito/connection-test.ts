/**
 * The "Test connection" button: proves the credentials work and that the entity and profile
 * table exist, without writing any profile.
 *
 * 1. Obtain a token (exchange the API key, or take the preview access token as is).
 * 2. List the entity's profile tables with
 *    `GET {host}/profile-table-structure/v5/entities/{entity}/profile-tables` and look for the
 *    table by its exact, case-sensitive name.
 * 3. A 404 there is ambiguous: Actito answers 404 for an unknown entity, but also for a route a
 *    host does not serve. The entity list (`GET {host}/entities/v5/entities`) decides: if it
 *    lists the entity, the structure call is simply unavailable and the names are reported as
 *    unverified (not as missing); if it answers and lacks the entity, the entity is wrong; if it
 *    is unavailable too, nothing can be verified and the answer says so.
 */
import { DeliveryError } from '../../core/errors.js';
import type { HttpRequest, HttpResponse } from '../../deliver/http-client.js';
import type { ConnectionCheck } from '../types.js';
import { authorisedSend, classifyContext, type ActitoSession } from './auth.js';
import { classifyResponse, NAMES_ARE_CASE_SENSITIVE, troubleshootingHint } from './outcome.js';

/** Runs the check; never throws for a vendor problem. */
export async function testConnection(session: ActitoSession): Promise<ConnectionCheck> {
  try {
    return await check(session);
  } catch (error) {
    if (error instanceof DeliveryError) return failure(session, error);
    throw error;
  }
}

async function check(session: ActitoSession): Promise<ConnectionCheck> {
  const { entity, profileTable } = session.config;
  const target = `${entity}/${profileTable}`;

  const structure = await get(
    session,
    `/profile-table-structure/v5/entities/${enc(entity)}/profile-tables`,
  );
  if (structure.status === 404) return checkEntityOnly(session);

  const error = classifyResponse(structure, classifyContext(session, 'structure'));
  if (error) return failure(session, error);

  const tables = namesIn(structure.body, 'profileTables');
  if (tables === undefined) {
    return unverified(
      `credentials accepted; the table list of ${entity} could not be read, ` +
        'so profile_table was not verified',
    );
  }

  if (tables.includes(profileTable)) {
    // The table list does not say whether this user may write; only a delivery can show that.
    const message = `Connected: credentials accepted and ${target} exists`;
    return { ok: true, message: `${message} (the first delivery confirms the write permission)` };
  }

  return notFound('profile_table', profileTable, `entity ${entity}`, tables);
}

/** The structure call answered 404: tell an unknown entity from an unavailable call. */
async function checkEntityOnly(session: ActitoSession): Promise<ConnectionCheck> {
  const { entity } = session.config;

  const res = await get(session, '/entities/v5/entities');
  const entities = res.status === 200 ? namesIn(res.body, 'entities') : undefined;

  if (entities === undefined) {
    return unverified(
      'credentials accepted; this host offers no way to list entities and tables, ' +
        'so entity and profile_table were not verified',
    );
  }
  if (!entities.includes(entity)) return notFound('entity', entity, 'this licence', entities);

  return unverified(
    `credentials accepted and entity ${entity} exists; its table list is unavailable, ` +
      'so profile_table was not verified',
  );
}

function get(session: ActitoSession, path: string): Promise<HttpResponse> {
  const request: HttpRequest = {
    method: 'GET',
    url: `${session.config.apiHost}${path}`,
    headers: { Accept: 'application/json' },
    timeoutMs: session.config.timeoutMs,
  };

  return authorisedSend(session, request, 'structure');
}

function failure(session: ActitoSession, error: DeliveryError): ConnectionCheck {
  return { ok: false, message: error.message, hint: troubleshootingHint(error, session.auth) };
}

/** The credentials work, but the names could not be checked: a delivery will tell. */
function unverified(message: string): ConnectionCheck {
  return {
    ok: true,
    message,
    hint:
      'Send a test event and look for Actito 200 in the Event Debugger. ' +
      NAMES_ARE_CASE_SENSITIVE,
  };
}

function notFound(
  field: 'entity' | 'profile_table',
  name: string,
  where: string,
  available: string[],
): ConnectionCheck {
  const near = available.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const hint = near
    ? `Names are case-sensitive: did you mean "${near}"?`
    : `${NAMES_ARE_CASE_SENSITIVE} Found: ${available.join(', ') || 'none'}.`;

  return { ok: false, message: `${field} "${name}" not found in ${where}`, hint };
}

/**
 * The `name`s of the objects listed in a JSON answer: under `field`, or at the top level when
 * the answer is a bare array or a single object. Undefined when the body is not such a list.
 */
function namesIn(body: string, field: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }

  const list = Array.isArray(parsed) ? parsed : listField(parsed, field);
  if (list === undefined) return undefined;

  return list.flatMap((item) => {
    const name: unknown =
      typeof item === 'object' && item !== null ? Reflect.get(item, 'name') : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}

function listField(parsed: unknown, field: string): unknown[] | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;

  const value: unknown = Reflect.get(parsed, field);
  if (Array.isArray(value)) return value;

  // One table alone, as the single-table call answers.
  return typeof Reflect.get(parsed, 'name') === 'string' ? [parsed] : undefined;
}

function enc(name: string): string {
  return encodeURIComponent(name);
}
