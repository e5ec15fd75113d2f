/**
 * The integrations this process plans and delivers for, built from the stored records: each
 * with its vendor definition, parsed settings and validated mappings. A record whose settings no
 * longer parse is kept out (and reported) rather than failing every event.
 */
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../observability/logger.js';
import { validateMappingSet } from '../mapping/validate.js';
import type { MappingSet } from '../mapping/types.js';
import type { Store } from '../store/store.js';
import type { IntegrationRecord } from '../store/types.js';
import { getIntegration } from './registry.js';
import type { IntegrationDefinition } from './types.js';

export interface ActiveIntegration {
  record: IntegrationRecord;
  definition: IntegrationDefinition;
  config: unknown;
  mappings: MappingSet;
}

export interface InactiveIntegration {
  record: IntegrationRecord;
  problem: string;
}

export class ActiveIntegrations {
  private active = new Map<string, ActiveIntegration>();
  private inactive = new Map<string, InactiveIntegration>();

  constructor(
    private readonly store: Pick<Store, 'listIntegrations'>,
    private readonly logger: Logger,
  ) {}

  /** Re-reads the stored records; call after any configuration change. */
  async reload(): Promise<void> {
    const active = new Map<string, ActiveIntegration>();
    const inactive = new Map<string, InactiveIntegration>();

    for (const record of await this.store.listIntegrations()) {
      if (!record.enabled) {
        inactive.set(record.id, { record, problem: 'disabled' });
        continue;
      }
      try {
        active.set(record.id, activateIntegration(record));
      } catch (error) {
        const problem = error instanceof Error ? error.message : String(error);
        this.logger.error({ integration: record.id, problem }, 'integration cannot run');
        inactive.set(record.id, { record, problem });
      }
    }

    this.active = active;
    this.inactive = inactive;
  }

  get(id: string): ActiveIntegration | undefined {
    return this.active.get(id);
  }

  /** Why an integration is not running (disabled, bad settings), or undefined if unknown. */
  problem(id: string): string | undefined {
    return this.inactive.get(id)?.problem;
  }

  list(): ActiveIntegration[] {
    return [...this.active.values()];
  }
}

/**
 * A stored record ready to plan and deliver: its vendor, parsed settings and mappings.
 *
 * @throws ConfigError `INVALID_CONFIG` for an unknown vendor, settings that do not parse, or no
 * mappings (neither the record's own nor a preset of that id).
 */
export function activateIntegration(record: IntegrationRecord): ActiveIntegration {
  const definition = getIntegration(record.vendor);
  const config = definition.parseConfig(record.config);

  const preset = definition.catalog.presets.find((candidate) => candidate.id === record.presetId);
  const mappings =
    record.mappings !== undefined ? validateMappingSet(record.mappings) : preset?.mappings;
  if (!mappings) {
    throw new ConfigError(
      'INVALID_CONFIG',
      `unknown preset "${record.presetId}" and no mappings of its own`,
    );
  }

  return { record, definition, config, mappings };
}
