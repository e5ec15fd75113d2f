import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  SandboxConfigError,
  demoConfig,
  loadSandboxConfigFile,
  parseSandboxConfig,
  startSandbox,
} from './index.js';

/** The problems reported for a configuration, or [] when it is valid. */
function problemsOf(input: unknown): string[] {
  try {
    parseSandboxConfig(input);
    return [];
  } catch (error) {
    assert.ok(error instanceof SandboxConfigError);
    return error.problems;
  }
}

describe('sandbox configuration', () => {
  it('accepts the demo licence as is and fills in Actito limits when absent', () => {
    const config = demoConfig();
    const { limits: _omitted, ...withoutLimits } = config.licences[0]!;

    const parsed = parseSandboxConfig({ licences: [withoutLimits] });

    assert.deepEqual(parseSandboxConfig(config), config);
    assert.deepEqual(parsed.licences[0]?.limits, { concurrency: 5, calls_per_minute: 100 });
  });

  it('accepts null limits as unlimited', () => {
    const config = demoConfig();
    config.licences[0]!.limits = { concurrency: null, calls_per_minute: null };

    const parsed = parseSandboxConfig(config);

    assert.deepEqual(parsed.licences[0]?.limits, { concurrency: null, calls_per_minute: null });
  });

  it('reports every problem with its path in one error', () => {
    const config = demoConfig() as unknown as { licences: Array<Record<string, unknown>> };
    const licence = config.licences[0]!;
    licence['extra'] = true;
    licence['limits'] = { concurrency: 0, calls_per_minute: 'many' };
    (licence['api_keys'] as Array<Record<string, unknown>>)[0]!['rights'] = [
      { entity: 'demo', table: 'Contacts', write: true },
    ];

    const problems = problemsOf(config);

    assert.deepEqual(problems, [
      'licences[0]: unknown field "extra" (expected id, api_keys, entities, limits)',
      'licences[0].api_keys[0].rights[0].table: no table "Contacts" in entity "demo"',
      'licences[0].limits.concurrency: must be a positive integer or null (unlimited)',
      'licences[0].limits.calls_per_minute: must be a positive integer or null (unlimited)',
    ]);
  });

  it('refuses attribute definitions Actito would not have', () => {
    const config = demoConfig();
    const attributes = config.licences[0]!.entities[0]!.tables[0]!.attributes as unknown[];
    attributes.push(
      { name: 'score', type: 'CUSTOM' },
      { name: 'profileId', type: 'CUSTOM', valueType: 'INTEGER' },
      { name: 'nick', type: 'NICKNAME' },
      { name: 'email', type: 'FIRSTNAME' },
    );

    const problems = problemsOf(config).join('\n');

    assert.match(problems, /attributes\[6\]\.valueType: must be one of STRING, INTEGER/);
    assert.match(problems, /attributes\[7\]\.name: "profileId" is a technical attribute/);
    assert.match(problems, /attributes\[8\]\.type: must be one of EMAIL_ADDRESS/);
    assert.match(problems, /attributes\[\]\.name: duplicate value "email"/);
  });

  it('refuses more than five keys per licence and never prints a duplicate key', () => {
    const config = demoConfig();
    const key = config.licences[0]!.api_keys[0]!;
    config.licences[0]!.api_keys = Array.from({ length: 6 }, () => ({ ...key }));

    const problems = problemsOf(config).join('\n');

    assert.match(problems, /at most 5 keys per licence/);
    assert.match(problems, /api_keys\[\]\.key: duplicate value$/m);
    assert.ok(!problems.includes('sandbox-key'));
  });

  it('names the file when it is missing, not JSON, or invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-config-'));
    const notJson = join(dir, 'not-json.json');
    const invalid = join(dir, 'invalid.json');
    await writeFile(notJson, '{ licences: ');
    await writeFile(invalid, JSON.stringify({ licences: [] }));

    await assert.rejects(
      loadSandboxConfigFile(join(dir, 'absent.json')),
      /cannot read sandbox config .*absent\.json/,
    );
    await assert.rejects(loadSandboxConfigFile(notJson), /not-json\.json is not valid JSON/);
    await assert.rejects(
      loadSandboxConfigFile(invalid),
      /invalid sandbox config .*invalid\.json:\n {2}- licences: must have at least 1 item/,
    );
  });

  it('refuses to start with an invalid configuration or options', async () => {
    await assert.rejects(startSandbox({ port: 0, config: { licences: [] } }), SandboxConfigError);
    await assert.rejects(startSandbox({ port: 0, tokenLifetimeSeconds: 0 }), RangeError);
    await assert.rejects(startSandbox({ port: -1 }), RangeError);
  });
});
