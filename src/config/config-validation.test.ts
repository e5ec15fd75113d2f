import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { loadConfigFile } from './config-file.js';
import { TEST_ENV, validConfigFile, writeTempConfig } from './test-files.js';

type ConfigFile = ReturnType<typeof validConfigFile>;

/** Loads the valid file after `edit` and returns the message with its `config file` prefix. */
function refusal(edit: (file: ConfigFile) => void): string {
  const file = validConfigFile();
  edit(file);
  const path = writeTempConfig(file);

  try {
    loadConfigFile(path, TEST_ENV);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'INVALID_CONFIG');
    const prefix = `config file ${path}: `;
    assert.ok(error.message.startsWith(prefix), error.message);
    for (const secret of Object.values(TEST_ENV)) assert.ok(!error.message.includes(secret));
    return error.message.slice(prefix.length);
  }

  return assert.fail('the file was accepted');
}

describe('configuration file validation', () => {
  it('names the vendor path when the vendor is unknown', () => {
    const message = refusal((file) => {
      file.integrations[0]!.vendor = 'mailchimp';
    });

    assert.equal(
      message,
      'integrations[0].vendor: unknown integration vendor "mailchimp" (known: actito)',
    );
  });

  it('names the preset path when the vendor has no such preset', () => {
    const message = refusal((file) => {
      file.integrations[0]!.preset = 'fancy';
    });

    assert.equal(
      message,
      'integrations[0].preset "fancy" is not a preset of actito (known: default)',
    );
  });

  it('refuses an origin with a path or another scheme', () => {
    const withPath = refusal((file) => {
      file.pipelines[0]!.allowed_origins = ['https://www.example.com', 'https://x.com/shop'];
    });
    const ftp = refusal((file) => {
      file.pipelines[0]!.allowed_origins = ['ftp://x.com'];
    });

    assert.match(
      withPath,
      /^pipelines\[0\]\.allowed_origins\[1\] "https:\/\/x\.com\/shop" must be an origin/,
    );
    assert.match(ftp, /^pipelines\[0\]\.allowed_origins\[0\] "ftp:\/\/x\.com" must be an origin/);
  });

  it('refuses duplicate pipeline and integration ids', () => {
    const pipeline = refusal((file) => {
      file.pipelines.push({ ...file.pipelines[0], key: 'dk_other_key' });
    });
    const integration = refusal((file) => {
      file.integrations.push({ ...file.integrations[0]! });
    });

    assert.equal(pipeline, 'pipelines[1].id "web" is already used by pipelines[0].id');
    assert.equal(integration, 'integrations[1].id "actito" is already used by integrations[0].id');
  });

  it('refuses a duplicate pipeline key without echoing it', () => {
    const message = refusal((file) => {
      file.pipelines.push({ ...file.pipelines[0], id: 'shop' });
    });

    assert.equal(message, 'pipelines[1].key is the same as pipelines[0].key');
  });

  it('refuses a malformed id or key', () => {
    const id = refusal((file) => {
      file.pipelines[0]!.id = 'Web Site';
    });
    const key = refusal((file) => {
      file.pipelines[0]!.key = 'dk_short';
    });

    assert.match(id, /^pipelines\[0\]\.id "Web Site" must be 1 to 64 lower-case letters/);
    assert.equal(
      key,
      'pipelines[0].key must be "dk_" followed by at least 8 letters, digits, "_" or "-"',
    );
  });

  it('refuses a pipeline routing to an integration the file does not define', () => {
    const message = refusal((file) => {
      file.pipelines[0]!.integrations = ['actito', 'braze'];
    });

    assert.equal(
      message,
      'pipelines[0].integrations[1] "braze" is not the id of an integration in this file ' +
        '(ids: actito)',
    );
  });

  it('prefixes the vendor parser message with the settings path', () => {
    const message = refusal((file) => {
      delete file.integrations[0]!.config.entity;
    });

    assert.equal(message, 'integrations[0].config: entity is required');
  });

  it('refuses a short HMAC secret without echoing it', () => {
    const message = refusal((file) => {
      file.pipelines[0]!.hmac_secret = 'tiny-secret';
    });

    assert.equal(message, 'pipelines[0].hmac_secret must be at least 16 characters long');
  });

  it('refuses consent categories outside the canonical list', () => {
    const integration = refusal((file) => {
      file.integrations[0]!.consent_categories = ['marketing', 'ads'];
    });
    const mapping = refusal((file) => {
      file.consent.mapping = { 'tcf:1': 'ads' };
    });

    assert.equal(
      integration,
      'integrations[0].consent_categories[1] must be a consent category (one of: essential, ' +
        'functional, analytics, marketing, personalization)',
    );
    assert.match(mapping, /^consent\.mapping\["tcf:1"\] must be a consent category/);
  });

  it('refuses a concurrency above the vendor licence', () => {
    const message = refusal((file) => {
      file.integrations[0]!.delivery = { concurrency: 6 };
    });

    assert.equal(
      message,
      'integrations[0].delivery.concurrency must be a whole number from 1 to 5',
    );
  });

  it('refuses a calls_per_minute of 0', () => {
    const message = refusal((file) => {
      file.integrations[0]!.delivery = { calls_per_minute: 0 };
    });

    assert.equal(
      message,
      'integrations[0].delivery.calls_per_minute must be a whole number of at least 1, or ' +
        'null for no limit',
    );
  });

  it('names the path of an unknown key at every level', () => {
    const top = refusal((file) => {
      file.pipeline = [];
    });
    const pipeline = refusal((file) => {
      file.pipelines[0]!.allowed_origin = [];
    });
    const delivery = refusal((file) => {
      file.integrations[0]!.delivery = { concurency: 3 };
    });
    const settings = refusal((file) => {
      file.integrations[0]!.config.profile_tabel = 'Customers';
    });

    assert.match(
      top,
      /^pipeline is not a known setting \(expected one of: pipelines, integrations, consent\)$/,
    );
    assert.match(pipeline, /^pipelines\[0\]\.allowed_origin is not a known setting/);
    assert.match(delivery, /^integrations\[0\]\.delivery\.concurency is not a known setting/);
    assert.match(settings, /^integrations\[0\]\.config\.profile_tabel is not a setting of actito/);
  });

  it('prefixes mapping set problems with the mappings path', () => {
    const message = refusal((file) => {
      file.integrations[0]!.mappings = { key: 1 };
    });

    assert.equal(message, 'integrations[0].mappings: key: must be an object');
  });
});
