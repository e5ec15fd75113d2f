/**
 * The Actito integration: upserts the visitor's Actito profile, server to server, from
 * first-party data.
 */
import { TokenCache } from '../../deliver/token-cache.js';
import type { IntegrationDefinition } from '../types.js';
import { createSession } from './auth.js';
import { ACTITO_CATALOG } from './catalog.js';
import { parseConfig, type ActitoConfig } from './config.js';
import { testConnection } from './connection-test.js';
import { troubleshootingHint } from './outcome.js';
import { plan } from './plan.js';
import { writeProfile } from './profile-client.js';

export type { ActitoConfig } from './config.js';

export interface ActitoIntegrationOptions {
  /** Where access tokens are kept; one cache per process unless a test needs its own. */
  tokens?: TokenCache;
}

/** Builds the definition around its own token cache (tests use a fresh one each). */
export function createActitoIntegration(
  options: ActitoIntegrationOptions = {},
): IntegrationDefinition<ActitoConfig> {
  const tokens = options.tokens ?? new TokenCache();

  return {
    catalog: ACTITO_CATALOG,
    parseConfig,
    plan,
    deliver: (request, config, context) =>
      writeProfile(createSession(config, context, tokens), request),
    testConnection: (config, context) => testConnection(createSession(config, context, tokens)),
    hint: (error, config) =>
      troubleshootingHint(error, config.accessToken ? 'access_token' : 'api_key'),
    secretFields: ['api_key', 'access_token'],
  };
}

/** The Actito integration of this process, sharing one token cache across all deliveries. */
export const actitoIntegration: IntegrationDefinition<ActitoConfig> = createActitoIntegration();
