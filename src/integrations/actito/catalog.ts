/**
 * How Actito appears in the "Add integration" screen: its settings, in the order a person fills
 * them in, and its presets.
 */
import { ConfigError } from '../../core/errors.js';
import { validateMappingSet } from '../../mapping/engine.js';
import type { CatalogEntry, ConfigField, Preset } from '../types.js';
import { DEFAULT_API_HOST, DEFAULT_TIMEOUT_MS } from './config.js';
import defaultPresetFile from './presets/default.json' with { type: 'json' };

export const ACTITO_FIELDS: ConfigField[] = [
  {
    key: 'entity',
    label: 'Entity',
    type: 'string',
    required: true,
    help: 'Your Actito entity name, exactly as shown in the Actito Dashboard.',
  },
  {
    key: 'profile_table',
    label: 'Profile table',
    type: 'string',
    required: true,
    help: 'The destination profile table name, exactly as in Actito (case-sensitive).',
  },
  {
    key: 'api_key',
    label: 'API key',
    type: 'secret',
    required: true,
    help: 'The API key of the Actito API user created for Signal, with write access on the table.',
  },
  {
    key: 'access_token',
    label: 'Access token',
    type: 'secret',
    required: false,
    help:
      'For preview and testing only: a short-lived access token, used as is. It expires after ' +
      '15 minutes. Leave blank in production; Signal then exchanges the API key and refreshes ' +
      'the token itself.',
  },
  {
    key: 'api_host',
    label: 'API host',
    type: 'url',
    required: false,
    default: DEFAULT_API_HOST,
    help:
      'The Actito host of your licence. Most licences use https://api.actito.com; some live on ' +
      'a regional host. Any https URL is accepted.',
    options: [
      { value: 'https://api.actito.com', label: 'api.actito.com (default)' },
      { value: 'https://api1.actito.com', label: 'api1.actito.com' },
      { value: 'https://api3.actito.com', label: 'api3.actito.com' },
      { value: 'https://api-pre1.actito.com', label: 'api-pre1.actito.com (pre-production)' },
    ],
  },
  {
    key: 'path_style',
    label: 'API path style',
    type: 'select',
    required: false,
    default: 'documented',
    advanced: true,
    help:
      'documented: /v4/entity/... as in the integration guide. prefixed: /profiles/v4/entity/..., ' +
      'the form Actito now serves; choose it if the unprefixed paths answer 404.',
    options: [
      { value: 'documented', label: 'documented (/v4/...)' },
      { value: 'prefixed', label: 'prefixed (/profiles/v4/...)' },
    ],
  },
  {
    key: 'body_format',
    label: 'Request body format',
    type: 'select',
    required: false,
    default: 'flat',
    advanced: true,
    help:
      "flat: a JSON object of attributes, as in the integration guide. native: Actito's own " +
      'format, {"attributes":[{"name":...,"value":...}]}.',
    options: [
      { value: 'flat', label: 'flat' },
      { value: 'native', label: 'native' },
    ],
  },
  {
    key: 'timeout_ms',
    label: 'Timeout (ms)',
    type: 'string',
    required: false,
    default: String(DEFAULT_TIMEOUT_MS),
    advanced: true,
    help: 'How long to wait for each Actito answer before retrying later, in milliseconds.',
  },
];

export const ACTITO_CATALOG: CatalogEntry = {
  vendor: 'actito',
  name: 'Actito',
  description:
    'Upserts the visitor’s Actito profile server to server from your first-party data, keeping ' +
    'contacts current for Actito campaigns, journeys and scenarios.',
  category: 'Email & marketing automation',
  fields: ACTITO_FIELDS,
  presets: [loadPreset(defaultPresetFile, 'presets/default.json')],
  defaultConsentCategories: ['marketing'],
};

/** Checks a shipped preset at load, so a broken preset file fails on start, not on an event. */
function loadPreset(raw: unknown, file: string): Preset {
  const preset = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const { id, name, description } = preset;

  if (typeof id !== 'string' || typeof name !== 'string' || typeof description !== 'string') {
    throw new ConfigError('INVALID_CONFIG', `${file}: id, name and description must be text`);
  }

  return { id, name, description, mappings: validateMappingSet(preset.mappings) };
}
