/**
 * The contract every vendor integration fulfils. An integration is a folder under
 * `src/integrations/<vendor>/` exporting one `IntegrationDefinition`; nothing outside that folder
 * knows anything vendor-specific.
 */
import type { ConsentState } from '../core/consent.js';
import type { SignalEvent } from '../core/envelope.js';
import type { DeliveryError } from '../core/errors.js';
import type { MappingSet } from '../mapping/types.js';
import type { HttpClient, RecordedExchange } from '../deliver/http-client.js';
import type { Logger } from '../observability/logger.js';

export type ConfigFieldType = 'string' | 'secret' | 'select' | 'boolean' | 'url';

export interface ConfigField {
  key: string;
  label: string;
  type: ConfigFieldType;
  required: boolean;
  help: string;
  default?: string | boolean;
  /** Choices of a `select` field. */
  options?: { value: string; label: string }[];
  /** Shown only under "advanced" in the UI. */
  advanced?: boolean;
}

export interface Preset {
  id: string;
  name: string;
  description: string;
  mappings: MappingSet;
}

export interface CatalogEntry {
  vendor: string;
  name: string;
  description: string;
  category: string;
  fields: ConfigField[];
  presets: Preset[];
  /** The consent categories the UI proposes by default. */
  defaultConsentCategories: string[];
}

/** What planning sees: the event with the visitor's merged traits, and resolved consent. */
export interface PlanInput {
  event: SignalEvent;
  consent: ConsentState;
}

export type PlanResult =
  | { kind: 'drop'; reason: string; warnings: string[] }
  | {
      kind: 'intent';
      /** The vendor's profile key (for Actito, the normalised email). */
      profileKey: string;
      attributes: Record<string, unknown>;
      warnings: string[];
    };

/** One coalesced write for one profile key, as the delivery queue hands it to the vendor. */
export interface DeliveryRequest {
  profileKey: string;
  attributes: Record<string, unknown>;
}

export interface DeliveryContext {
  http: HttpClient;
  logger: Logger;
}

export type DeliveryOutcome =
  | { ok: true; status: number; exchanges: RecordedExchange[] }
  | { ok: false; error: DeliveryError; exchanges: RecordedExchange[] };

export interface ConnectionCheck {
  ok: boolean;
  message: string;
  hint?: string;
}

export interface IntegrationDefinition<Config = unknown> {
  catalog: CatalogEntry;

  /** Validates raw settings (secrets already decrypted); throws `ConfigError` when unusable. */
  parseConfig(raw: Record<string, unknown>): Config;

  plan(input: PlanInput, config: Config, mappings: MappingSet): PlanResult;

  deliver(
    request: DeliveryRequest,
    config: Config,
    context: DeliveryContext,
  ): Promise<DeliveryOutcome>;

  testConnection?(config: Config, context: DeliveryContext): Promise<ConnectionCheck>;

  /** What a person should do about a failed delivery, shown with its dead letter. */
  hint?(error: DeliveryError, config: Config): string | undefined;

  /** Names of settings that must never be shown, logged or returned. */
  secretFields: string[];
}
