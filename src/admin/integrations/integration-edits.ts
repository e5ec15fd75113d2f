/**
 * Turning an API request into a new integration record: secrets merged write-only, the result
 * checked by the same validator as the configuration file, and saved as a new revision.
 */
import { parseIntegration } from '../../config/integration-section.js';
import { isObject } from '../../config/config-checks.js';
import type { IntegrationRecord } from '../../store/types.js';
import type { AdminContext } from '../admin-context.js';
import { summariseChanges } from '../changes/change-summary.js';
import { invalid } from '../http/admin-error.js';
import { auditShape } from '../views/integration-view.js';
import { isSecretField, secretFieldsOf } from '../views/secret-fields.js';

/**
 * `incoming` merged into `stored` (JSON merge-patch): a value replaces, `null` removes, an
 * absent key keeps. For a secret, `{"set": true}` also keeps the stored value, so the UI can send
 * back what it was given; `{"set": false}` removes it.
 */
export function mergeConfig(
  vendor: string,
  stored: Record<string, unknown>,
  incoming: unknown,
): Record<string, unknown> {
  if (incoming === undefined) return { ...stored };
  if (!isObject(incoming)) throw invalid('config', 'must be an object of settings');

  const merged = { ...stored };
  for (const [key, value] of Object.entries(incoming)) {
    if (isObject(value) && isSecretField(vendor, key) && typeof value.set === 'boolean') {
      if (!value.set) delete merged[key];
      continue;
    }

    if (value === null) delete merged[key];
    else merged[key] = value;
  }

  return merged;
}

/** Checks a configuration-file-shaped entry; a `ConfigError` becomes a 422 naming the field. */
export function checkIntegration(entry: Record<string, unknown>): IntegrationRecord {
  return parseIntegration(entry, '');
}

/**
 * Saves `after` as the integration's next revision, with its audit entry. An integration that
 * has no revision yet (made by an older version, or provisioned without history) first gets one
 * of its current state, so that a rollback to "before this change" is always possible.
 */
export async function saveRevision(
  context: AdminContext,
  actor: string,
  action: string,
  before: IntegrationRecord | undefined,
  after: IntegrationRecord,
  extra: { field: string; from?: unknown; to?: unknown }[] = [],
): Promise<number> {
  const at = new Date(context.now()).toISOString();
  if (before && (await context.store.listIntegrationRevisions(before.id)).length === 0) {
    const baseline = { actor: 'system', action: 'integration.baseline', changes: [], at };
    await context.store.saveIntegrationRevision(before, baseline);
  }

  const changes = [
    ...extra.map((change) => ({ ...change, change: 'changed' as const })),
    ...integrationChanges(before, after),
  ];
  return context.store.saveIntegrationRevision(after, { actor, action, changes, at });
}

/** What differs between two records, secrets without values. */
export function integrationChanges(
  before: IntegrationRecord | undefined,
  after: IntegrationRecord,
) {
  const secrets = new Set(
    [...(secretFieldsOf(after.vendor) ?? Object.keys({ ...before?.config, ...after.config }))].map(
      (key) => `config.${key}`,
    ),
  );
  const old = before ? auditShape(before, true) : undefined;

  return summariseChanges(old, auditShape(after, before !== undefined), { secrets });
}
