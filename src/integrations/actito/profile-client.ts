/**
 * The one data call of the integration: create-or-update a profile,
 * `POST {host}/v4/entity/{entity}/table/{profile_table}/profile?allowUpdate=true`, matched by
 * Actito on the table's unique key (email).
 */
import { DeliveryError } from '../../core/errors.js';
import type { DeliveryOutcome, DeliveryRequest } from '../types.js';
import { authorisedSend, classifyContext, type ActitoSession } from './auth.js';
import type { ActitoConfig, BodyFormat } from './config.js';
import { classifyResponse } from './outcome.js';

/**
 * The profile endpoint. Actito now serves each API category under a prefix (`/profiles/v4/...`)
 * and announced the end of the unprefixed paths the seed documents, hence the `path_style`
 * option. Entity and table are path-encoded: a name with a space or slash stays one segment.
 */
export function profileUrl(config: ActitoConfig): string {
  const prefix = config.pathStyle === 'prefixed' ? '/profiles' : '';
  const entity = encodeURIComponent(config.entity);
  const table = encodeURIComponent(config.profileTable);

  return `${config.apiHost}${prefix}/v4/entity/${entity}/table/${table}/profile?allowUpdate=true`;
}

/**
 * The request body: the flat attribute object of the seed, or Actito's own v4 shape
 * (`{ "attributes": [{ "name", "value" }] }`) for deployments that require it.
 */
export function profileBody(attributes: Record<string, unknown>, format: BodyFormat): string {
  if (format === 'flat') return JSON.stringify(attributes);

  const list = Object.entries(attributes).map(([name, value]) => ({ name, value }));
  return JSON.stringify({ attributes: list });
}

/** Writes one profile and classifies the answer; never throws for a vendor problem. */
export async function writeProfile(
  session: ActitoSession,
  request: DeliveryRequest,
): Promise<DeliveryOutcome> {
  const { config } = session;
  const httpRequest = {
    method: 'POST' as const,
    url: profileUrl(config),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: profileBody(request.attributes, config.bodyFormat),
    timeoutMs: config.timeoutMs,
  };

  try {
    const res = await authorisedSend(session, httpRequest, 'profile');

    const error = classifyResponse(res, classifyContext(session, 'profile'));
    if (error) return { ok: false, error, exchanges: session.exchanges };

    return { ok: true, status: res.status, exchanges: session.exchanges };
  } catch (error) {
    if (error instanceof DeliveryError) return { ok: false, error, exchanges: session.exchanges };
    throw error;
  }
}
