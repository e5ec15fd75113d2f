/**
 * The pipeline and integration every benchmark provisions: one website pipeline, optionally
 * routed to Actito (the sandbox), with the consent mapping of the seed (`C0004` → marketing,
 * everything denied by default).
 */
import type { SignalConfig } from '../src/config/config-file.js';
import type { DeliverySettings } from '../src/store/types.js';

export const PIPELINE_KEY = 'dk_bench_pipeline_key';

/** The Actito integration's target: a sandbox URL and the delivery settings under test. */
export interface ActitoTarget {
  sandboxUrl: string;
  delivery: DeliverySettings;
}

export function benchConfig(actito: ActitoTarget | undefined): SignalConfig {
  return {
    pipelines: [
      {
        id: 'web',
        name: 'Website',
        key: PIPELINE_KEY,
        allowedOrigins: ['*'],
        integrationIds: actito ? ['actito'] : [],
        // The gateway's own rate limit would otherwise be what the benchmark measures.
        rateLimitPerSecond: 10_000_000,
        enabled: true,
      },
    ],
    integrations: actito
      ? [
          {
            id: 'actito',
            vendor: 'actito',
            name: 'Actito',
            presetId: 'default',
            config: {
              entity: 'demo',
              profile_table: 'Profiles',
              api_key: 'sandbox-key',
              api_host: actito.sandboxUrl,
              timeout_ms: 10_000,
            },
            consentCategories: ['marketing'],
            enabled: true,
            delivery: actito.delivery,
          },
        ]
      : [],
    consent: { default: 'denied', mapping: { C0004: 'marketing' } },
  };
}

/** Headers of every ingest request. */
export const INGEST_HEADERS = {
  'content-type': 'application/json',
  authorization: `Bearer ${PIPELINE_KEY}`,
};
