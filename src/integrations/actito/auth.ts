/**
 * Actito's two-step authentication: the API key is traded for a 15-minute access token at
 * `GET {host}/auth/token`, and every data call sends `Authorization: Bearer {accessToken}`.
 * A configured preview `access_token` is used as is and never exchanged.
 */
import { DeliveryError, PermanentDeliveryError } from '../../core/errors.js';
import { memoPerObject, memoPerOwner } from '../../core/memo-per-owner.js';
import {
  HttpFailure,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type RecordedExchange,
} from '../../deliver/http-client.js';
import type { IssuedToken, TokenCache, TokenScope } from '../../deliver/token-cache.js';
import type { Logger } from '../../observability/logger.js';
import type { ActitoConfig } from './config.js';
import {
  classifyFailure,
  classifyResponse,
  type ActitoAuth,
  type ActitoCall,
  type ClassifyContext,
} from './outcome.js';
import { recordedSend } from './recorded-send.js';

/** Actito's documented lifetime, assumed when the token response does not say. */
export const DEFAULT_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** Everything one delivery (or connection test) needs to talk to Actito, and what it recorded. */
export interface ActitoSession {
  config: ActitoConfig;
  http: HttpClient;
  logger: Logger;
  tokens: TokenCache;
  auth: ActitoAuth;
  /** Every exchange of this delivery, token exchange included, masked. */
  exchanges: RecordedExchange[];
  /** Values scrubbed from every record and message: the key, and each token seen. */
  secrets: string[];
}

/** A fresh session for one delivery or connection test. */
export function createSession(
  config: ActitoConfig,
  context: { http: HttpClient; logger: Logger },
  tokens: TokenCache,
): ActitoSession {
  const secrets = [
    config.apiKey,
    ...(config.accessToken === undefined ? [] : [config.accessToken]),
  ];

  return {
    config,
    http: context.http,
    logger: actitoLogger(context.logger, config.apiHost),
    tokens,
    auth: config.accessToken === undefined ? 'api_key' : 'access_token',
    exchanges: [],
    secrets,
  };
}

/**
 * Sends `request` with a bearer token. A 401 with an exchanged token drops that token, fetches
 * exactly one new one (shared with every concurrent caller that saw the same 401) and resends
 * once; whatever the second answer is, it is returned. A preview access token gets no second
 * try, since there is nothing to refresh it with.
 *
 * Rejects with a `DeliveryError` when no token can be had or no answer came.
 */
export async function authorisedSend(
  session: ActitoSession,
  request: HttpRequest,
  call: ActitoCall,
): Promise<HttpResponse> {
  const token = await currentToken(session);
  const first = await send(session, request, token, call);
  if (first.status !== 401 || session.auth === 'access_token') return first;

  session.logger.info({ call }, 'actito rejected the access token; refreshing it once');
  session.tokens.invalidate(scopeOf(session.config), token);

  const fresh = await currentToken(session);
  return send(session, request, fresh, call);
}

/**
 * `expiresIn` as Actito sends it (`"900s"`), or a number of seconds, in milliseconds; the
 * documented 15 minutes when absent or unreadable.
 */
export function parseExpiresIn(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value * 1000;

  if (typeof value === 'string') {
    const match = /^\s*(\d+(?:\.\d+)?)\s*s?\s*$/i.exec(value);
    if (match?.[1] !== undefined) return Number(match[1]) * 1000;
  }

  return DEFAULT_TOKEN_LIFETIME_MS;
}

async function currentToken(session: ActitoSession): Promise<string> {
  const { config } = session;
  if (config.accessToken !== undefined) return config.accessToken;

  const token = await session.tokens.get(
    scopeOf(config),
    () => exchangeApiKey(session),
    session.logger,
  );
  if (!session.secrets.includes(token)) session.secrets.push(token);

  return token;
}

async function send(
  session: ActitoSession,
  request: HttpRequest,
  token: string,
  call: ActitoCall,
): Promise<HttpResponse> {
  const headers = { ...request.headers, Authorization: `Bearer ${token}` };

  try {
    return await recordedSend(session.http, { ...request, headers }, options(session));
  } catch (error) {
    throw asDeliveryError(error, session, call);
  }
}

/** One trade of the API key for a token, recorded in the session that started it. */
async function exchangeApiKey(session: ActitoSession): Promise<IssuedToken> {
  const { config } = session;
  const request: HttpRequest = {
    method: 'GET',
    url: `${config.apiHost}/auth/token`,
    headers: { Authorization: config.apiKey, Accept: 'application/json' },
    timeoutMs: config.timeoutMs,
  };

  let res: HttpResponse;
  try {
    res = await recordedSend(session.http, request, {
      ...options(session),
      responseHoldsSecret: true,
    });
  } catch (error) {
    throw asDeliveryError(error, session, 'token');
  }

  const rejected = classifyResponse(res, classifyContext(session, 'token'));
  if (rejected) throw rejected;

  const issued = readTokenResponse(res.body);
  session.secrets.push(issued.accessToken);
  session.logger.info({ expiresInMs: issued.expiresInMs }, 'actito access token obtained');

  return issued;
}

function readTokenResponse(body: string): IssuedToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }

  const fields =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const accessToken = fields.accessToken;

  // The body is not quoted in the message: a malformed token answer may still hold a token.
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new PermanentDeliveryError(
      'VENDOR_UNEXPECTED',
      'the token answer from Actito has no accessToken: check api_host points at Actito',
      { vendorStatus: 200 },
    );
  }

  return { accessToken, expiresInMs: parseExpiresIn(fields.expiresIn) };
}

function asDeliveryError(error: unknown, session: ActitoSession, call: ActitoCall): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof HttpFailure) return classifyFailure(error);

  // Anything else is a bug on our side; it still must cross the boundary as a coded error.
  session.logger.error({ err: error, call }, 'unexpected failure calling actito');
  return new PermanentDeliveryError(
    'VENDOR_UNEXPECTED',
    `unexpected failure calling Actito (${call})`,
  );
}

/** What `classifyResponse` needs to word an answer to `call` for this session. */
export function classifyContext(session: ActitoSession, call: ActitoCall): ClassifyContext {
  return {
    call,
    auth: session.auth,
    entity: session.config.entity,
    profileTable: session.config.profileTable,
    secrets: session.secrets,
  };
}

function options(session: ActitoSession) {
  return { secrets: session.secrets, exchanges: session.exchanges };
}

/** One scope object per configuration, so that the token cache can keep its key for it. */
const scopeOf = memoPerObject((config: ActitoConfig): TokenScope => ({
  host: config.apiHost,
  credential: config.apiKey,
}));

/** One child logger per parent and host rather than per delivery: a pino child is not free. */
const actitoLogger = memoPerOwner((parent: Logger, host) =>
  parent.child({ integration: 'actito', host }),
);
