/**
 * Every integration Signal ships, by vendor key. Adding a vendor is a folder under
 * `src/integrations/<vendor>/` and one line here.
 */
import { ConfigError } from '../core/errors.js';
import { actitoIntegration } from './actito/index.js';
import type { CatalogEntry, IntegrationDefinition } from './types.js';

const INTEGRATIONS: ReadonlyMap<string, IntegrationDefinition> = new Map<
  string,
  IntegrationDefinition
>([[actitoIntegration.catalog.vendor, actitoIntegration]]);

/**
 * The definition of `vendor`.
 *
 * @throws ConfigError `INVALID_CONFIG` when no integration has that vendor key.
 */
export function getIntegration(vendor: string): IntegrationDefinition {
  const definition = INTEGRATIONS.get(vendor);
  if (!definition) {
    const known = [...INTEGRATIONS.keys()].join(', ');
    throw new ConfigError(
      'INVALID_CONFIG',
      `unknown integration vendor "${vendor}" (known: ${known})`,
    );
  }

  return definition;
}

/** Whether `vendor` names a shipped integration. */
export function hasIntegration(vendor: string): boolean {
  return INTEGRATIONS.has(vendor);
}

/** The catalog entries of every integration, for the "Add integration" screen. */
export function listCatalog(): CatalogEntry[] {
  return [...INTEGRATIONS.values()].map((definition) => definition.catalog);
}
