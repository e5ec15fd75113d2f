/**
 * Records what the configuration file changed at start in the audit log (actor `config-file`)
 * and, for integrations, as revisions, so the history shown in the UI is complete whichever way
 * a change was made. The start command calls it with the report of `provision`:
 *
 * ```ts
 * const report = await provision(store, loadConfigFile(file));
 * await recordProvisioning(store, report);
 * ```
 */
import type { ProvisionReport } from '../config/provision.js';
import type { Store } from '../store/store.js';
import type { AuditEntryInput } from '../store/types.js';
import { integrationChanges } from './integrations/integration-edits.js';

export const CONFIG_FILE_ACTOR = 'config-file';

export async function recordProvisioning(
  store: Store,
  report: ProvisionReport,
  at: Date = new Date(),
): Promise<void> {
  const when = at.toISOString();
  const integrations = await store.listIntegrations();

  for (const outcome of ['created', 'updated'] as const) {
    for (const id of report.integrations[outcome]) {
      const record = integrations.find((candidate) => candidate.id === id);
      if (!record) continue;

      const previous = (await store.listIntegrationRevisions(id))[0]?.record;
      await store.saveIntegrationRevision(record, {
        actor: CONFIG_FILE_ACTOR,
        action: `integration.${outcome}`,
        changes: integrationChanges(previous, record),
        at: when,
      });
    }
  }

  // The report names pipelines only (records hold secrets); their fields are not compared.
  const entries: AuditEntryInput[] = (['created', 'updated'] as const).flatMap((outcome) =>
    report.pipelines[outcome].map((id) => ({
      actor: CONFIG_FILE_ACTOR,
      action: `pipeline.${outcome}`,
      targetType: 'pipeline',
      targetId: id,
      changes: [],
      at: when,
    })),
  );
  if (report.consent === 'updated') {
    entries.push({
      actor: CONFIG_FILE_ACTOR,
      action: 'consent.updated',
      targetType: 'settings',
      targetId: 'consent',
      changes: [],
      at: when,
    });
  }

  await store.appendAudit(entries);
}
