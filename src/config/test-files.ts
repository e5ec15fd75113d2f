/**
 * Temporary configuration files for the tests of this folder.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `content` (JSON-encoded unless already text) to a fresh temp file; returns its path. */
export function writeTempConfig(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'signal-config-'));
  const path = join(dir, 'signal.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));

  return path;
}

/** A complete, valid configuration file, as a fresh object each call so tests may edit it. */
export function validConfigFile(): Record<string, unknown> & {
  pipelines: Record<string, unknown>[];
  integrations: (Record<string, unknown> & { config: Record<string, unknown> })[];
  consent: Record<string, unknown>;
} {
  return {
    pipelines: [
      {
        id: 'web',
        name: 'Website',
        key: 'dk_test_web',
        hmac_secret: '${WEB_HMAC}',
        allowed_origins: ['https://www.example.com'],
        integrations: ['actito'],
        rate_limit_per_second: 1000,
        enabled: true,
      },
    ],
    integrations: [
      {
        id: 'actito',
        vendor: 'actito',
        name: 'Actito',
        preset: 'default',
        config: {
          entity: 'acme',
          profile_table: 'Customers',
          api_key: '${ACTITO_API_KEY}',
          api_host: 'https://api.actito.com',
        },
        consent_categories: ['marketing'],
        enabled: true,
        delivery: {
          concurrency: 4,
          calls_per_minute: 100,
          skip_unchanged: true,
          unchanged_max_age_hours: 24,
          propagate_opt_out: true,
        },
      },
    ],
    consent: { default: 'denied', mapping: { C0004: 'marketing', marketing: 'marketing' } },
  };
}

/** The variables `validConfigFile` refers to; the values stand for secrets. */
export const TEST_ENV = {
  WEB_HMAC: 'hmac-secret-0123456789abcdef',
  ACTITO_API_KEY: 'actito-secret-key-42',
};
