/**
 * Which settings of an integration are secret: those the vendor flags, and every catalog field of
 * type `secret`. For a vendor this build does not know, every setting is treated as secret.
 */
import { getIntegration, hasIntegration } from '../../integrations/registry.js';

/** The secret setting names of `vendor`, or `undefined` for "all of them". */
export function secretFieldsOf(vendor: string): ReadonlySet<string> | undefined {
  if (!hasIntegration(vendor)) return undefined;

  const definition = getIntegration(vendor);
  const flagged = definition.catalog.fields
    .filter((field) => field.type === 'secret')
    .map((field) => field.key);

  return new Set([...definition.secretFields, ...flagged]);
}

export function isSecretField(vendor: string, key: string): boolean {
  return secretFieldsOf(vendor)?.has(key) ?? true;
}

/** A copy of `config` with each secret replaced by `{"set": true|false}`. */
export function maskConfig(
  vendor: string,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    masked[key] = isSecretField(vendor, key) ? { set: isSet(value) } : value;
  }

  for (const key of secretFieldsOf(vendor) ?? []) masked[key] ??= { set: false };
  return masked;
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
