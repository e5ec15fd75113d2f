import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { loadConfigFile } from './config-file.js';
import { TEST_ENV, validConfigFile, writeTempConfig } from './test-files.js';

/** Asserts that loading fails with a ConfigError whose message is exactly `expected`. */
function assertRefused(path: string, env: Record<string, string>, expected: string): void {
  assert.throws(
    () => loadConfigFile(path, env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.code, 'INVALID_CONFIG');
      assert.equal(error.message, expected);
      return true;
    },
  );
}

describe('loadConfigFile', () => {
  it('turns a full valid file into the records the store keeps', () => {
    const path = writeTempConfig(validConfigFile());

    const config = loadConfigFile(path, TEST_ENV);

    assert.deepEqual(config, {
      pipelines: [
        {
          id: 'web',
          name: 'Website',
          key: 'dk_test_web',
          hmacSecret: TEST_ENV.WEB_HMAC,
          allowedOrigins: ['https://www.example.com'],
          integrationIds: ['actito'],
          rateLimitPerSecond: 1000,
          enabled: true,
        },
      ],
      integrations: [
        {
          id: 'actito',
          vendor: 'actito',
          name: 'Actito',
          presetId: 'default',
          config: {
            entity: 'acme',
            profile_table: 'Customers',
            api_key: TEST_ENV.ACTITO_API_KEY,
            api_host: 'https://api.actito.com',
          },
          consentCategories: ['marketing'],
          enabled: true,
          delivery: {
            concurrency: 4,
            callsPerMinute: 100,
            skipUnchanged: true,
            unchangedMaxAgeMs: 24 * 3_600_000,
            propagateOptOut: true,
          },
        },
      ],
      consent: { default: 'denied', mapping: { C0004: 'marketing', marketing: 'marketing' } },
    });
  });

  it('fills every optional setting with its default', () => {
    const path = writeTempConfig({
      pipelines: [{ id: 'web', key: 'dk_abcdefgh' }],
      integrations: [
        { id: 'crm', vendor: 'actito', config: { entity: 'e', profile_table: 't', api_key: 'k' } },
      ],
    });

    const config = loadConfigFile(path, {});

    assert.deepEqual(config.pipelines, [
      {
        id: 'web',
        name: 'web',
        key: 'dk_abcdefgh',
        allowedOrigins: [],
        integrationIds: [],
        rateLimitPerSecond: 1000,
        enabled: true,
      },
    ]);
    assert.deepEqual(config.integrations[0], {
      id: 'crm',
      vendor: 'actito',
      name: 'Actito',
      presetId: 'default',
      config: { entity: 'e', profile_table: 't', api_key: 'k' },
      consentCategories: ['marketing'],
      enabled: true,
      delivery: {
        concurrency: 4,
        callsPerMinute: 100,
        skipUnchanged: true,
        unchangedMaxAgeMs: 24 * 3_600_000,
        propagateOptOut: true,
      },
    });
    assert.equal(config.consent, undefined);
  });

  it('accepts an empty file object and null calls_per_minute', () => {
    const file = validConfigFile();
    file.integrations[0]!.delivery = { calls_per_minute: null };

    const empty = loadConfigFile(writeTempConfig({}), {});
    const unlimited = loadConfigFile(writeTempConfig(file), TEST_ENV);

    assert.deepEqual(empty, { pipelines: [], integrations: [] });
    assert.equal(unlimited.integrations[0]?.delivery.callsPerMinute, null);
  });

  it('keeps validated mappings and normalises origins', () => {
    const file = validConfigFile();
    file.pipelines[0]!.allowed_origins = [
      'https://Shop.Example.com:443/',
      'http://localhost:3000',
      '*',
    ];
    file.integrations[0]!.mappings = {
      key: { source: 'traits.email', target: 'email', transforms: [{ name: 'trim' }] },
      global: [],
      events: {},
      defaultAction: 'global',
    };

    const config = loadConfigFile(writeTempConfig(file), TEST_ENV);

    assert.deepEqual(config.pipelines[0]?.allowedOrigins, [
      'https://shop.example.com',
      'http://localhost:3000',
      '*',
    ]);
    assert.deepEqual(config.integrations[0]?.mappings, {
      key: { source: 'traits.email', target: 'email', transforms: ['trim'] },
      global: [],
      events: {},
      defaultAction: 'global',
    });
  });

  describe('${VAR} references', () => {
    it('replaces references anywhere inside string values', () => {
      const file = validConfigFile();
      file.integrations[0]!.config.entity = 'acme-${STAGE}';
      file.pipelines[0]!.name = '${SITE} (${STAGE})';

      const config = loadConfigFile(writeTempConfig(file), {
        ...TEST_ENV,
        STAGE: 'prod',
        SITE: 'Shop',
      });

      assert.equal(config.integrations[0]?.config.entity, 'acme-prod');
      assert.equal(config.pipelines[0]?.name, 'Shop (prod)');
    });

    it('refuses a reference to an unset variable, naming it and no secret value', () => {
      const path = writeTempConfig(validConfigFile());
      const env = { WEB_HMAC: TEST_ENV.WEB_HMAC };

      const load = () => loadConfigFile(path, env);

      assert.throws(load, (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(
          error.message,
          `config file ${path}: integrations[0].config.api_key refers to ` +
            `\${ACTITO_API_KEY}, which is not set`,
        );
        assert.ok(!error.message.includes(TEST_ENV.WEB_HMAC));
        return true;
      });
    });

    it('reads $${ as a literal ${', () => {
      const file = validConfigFile();
      file.pipelines[0]!.name = 'Costs $${PRICE} and $5';

      const config = loadConfigFile(writeTempConfig(file), TEST_ENV);

      assert.equal(config.pipelines[0]?.name, 'Costs ${PRICE} and $5');
    });

    it('refuses an unclosed or malformed reference without echoing it', () => {
      const unclosed = validConfigFile();
      unclosed.integrations[0]!.config.api_key = 'abc${KEY';
      const malformed = validConfigFile();
      malformed.integrations[0]!.config.api_key = 'abc${s3cr-et}';
      const unclosedPath = writeTempConfig(unclosed);
      const malformedPath = writeTempConfig(malformed);

      assertRefused(
        unclosedPath,
        TEST_ENV,
        `config file ${unclosedPath}: integrations[0].config.api_key has a ` +
          `"\${" without its closing "}" (write "$\${" for a literal)`,
      );
      assertRefused(
        malformedPath,
        TEST_ENV,
        `config file ${malformedPath}: integrations[0].config.api_key has a malformed ` +
          `\${...} reference (a variable name is letters, digits and _; ` +
          `write "$\${" for a literal)`,
      );
    });
  });

  it('reports a JSON syntax error with the file, line and column, quoting nothing', () => {
    const path = writeTempConfig('{\n  "pipelines": [\n    { "id": web-secret }\n  ]\n}\n');

    assertRefused(
      path,
      {},
      `config file ${path}: is not valid JSON at line 3, column 13: expected a value (a ` +
        `string in double quotes, number, object...)`,
    );
  });

  it('points at a trailing comma', () => {
    const path = writeTempConfig('{ "pipelines": [], }');

    assertRefused(
      path,
      {},
      `config file ${path}: is not valid JSON at line 1, column 20: a trailing comma before ` +
        `"}" is not allowed`,
    );
  });

  it('says when the file cannot be read', () => {
    const path = '/nonexistent/signal.json';

    assertRefused(path, {}, `config file ${path} cannot be read (ENOENT)`);
  });
});
