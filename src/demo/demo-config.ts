/**
 * The configuration `npm run demo` provisions: one pipeline for the demo page and the Actito
 * integration pointed at the bundled sandbox, with OneTrust's marketing code mapped.
 */
import type { SignalConfig } from '../config/config-file.js';
import { DEFAULT_DELIVERY_SETTINGS } from '../deliver/delivery-defaults.js';
import { DEMO_API_KEY } from '../sandbox/index.js';

export const DEMO_PIPELINE_KEY = 'dk_demo_website_key';

/** `allowedOrigins` are those the demo page may be opened from (`http://localhost:8080`, ...). */
export function demoConfig(options: {
  allowedOrigins: string[];
  sandboxUrl: string;
}): SignalConfig {
  return {
    pipelines: [
      {
        id: 'demo',
        name: 'Demo website',
        key: DEMO_PIPELINE_KEY,
        allowedOrigins: options.allowedOrigins,
        integrationIds: ['actito'],
        rateLimitPerSecond: 1_000,
        enabled: true,
      },
    ],
    integrations: [
      {
        id: 'actito',
        vendor: 'actito',
        name: 'Actito (sandbox)',
        presetId: 'default',
        config: {
          entity: 'demo',
          profile_table: 'Profiles',
          api_key: DEMO_API_KEY,
          api_host: options.sandboxUrl,
        },
        consentCategories: ['marketing'],
        enabled: true,
        delivery: { ...DEFAULT_DELIVERY_SETTINGS },
      },
    ],
    consent: {
      default: 'denied',
      mapping: {
        C0001: 'essential',
        C0002: 'analytics',
        C0003: 'functional',
        C0004: 'marketing',
      },
    },
  };
}
