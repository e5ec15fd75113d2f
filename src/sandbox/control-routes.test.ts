import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { InvalidInputError, SignalError } from '../core/errors.js';
import { demoConfig } from './config.js';
import { handleControl } from './control-routes.js';
import { parseSandboxConfig } from './config-parse.js';
import { FaultSettingsError, SandboxConfigError, SandboxNotFoundError } from './sandbox-errors.js';
import { SandboxState } from './sandbox-state.js';

const NO_BODY = { json: true, value: undefined } as const;

function demoState(): SandboxState {
  return new SandboxState(demoConfig(), 900);
}

function listProfiles(state: SandboxState, table: string) {
  return handleControl(state, 'GET', '/__sandbox/profiles', { entity: 'demo', table }, NO_BODY);
}

describe('sandbox control errors', () => {
  it('answers 404 naming the table when the configuration has no such table', () => {
    const result = listProfiles(demoState(), 'profiles');

    assert.equal(result.status, 404);
    assert.deepEqual(result.body, {
      status: 404,
      message: 'the sandbox has no table "profiles" in entity "demo"',
      source: 'actito-sandbox',
    });
  });

  it('lets a bug inside a lookup surface as itself instead of a 404', () => {
    const state = demoState();
    state.profiles = () => {
      throw new TypeError('a bug in the profile store');
    };

    assert.throws(() => listProfiles(state, 'Profiles'), TypeError);
  });

  it('answers invalid fault settings with 400 and the field at fault', () => {
    const result = handleControl(
      demoState(),
      'PUT',
      '/__sandbox/faults',
      {},
      {
        json: true,
        value: { latencyMs: -1 },
      },
    );

    assert.equal(result.status, 400);
    assert.match((result.body as { message: string }).message, /^latencyMs must be a number/);
  });
});

describe('sandbox errors on the error ladder', () => {
  it('throws SandboxNotFoundError with code NOT_FOUND for an unknown table or e-mail lookup', () => {
    const config = demoConfig();
    const table = config.licences[0]?.entities[0]?.tables[0];
    assert.ok(table);
    table.attributes = [{ name: 'code', type: 'CUSTOM', valueType: 'STRING', unique: true }];
    const state = new SandboxState(config, 900);

    const errors = [
      catching(() => state.profiles('demo', 'Nope')),
      catching(() => state.profile('demo', 'Profiles', 'a@example.com')),
    ];

    for (const error of errors) {
      assert.ok(error instanceof SandboxNotFoundError);
      assert.ok(error instanceof InvalidInputError);
      assert.equal(error.code, 'NOT_FOUND');
      assert.equal(error.status, 404);
    }
  });

  it('makes configuration and fault problems coded SignalErrors', () => {
    const config = catching(() => parseSandboxConfig({ licences: [] }));
    const faults = new FaultSettingsError('latencyMs must be a number');

    assert.ok(config instanceof SandboxConfigError);
    assert.ok(config instanceof SignalError);
    assert.equal(config.code, 'INVALID_CONFIG');
    assert.deepEqual(config.problems, ['licences: must have at least 1 item(s)']);
    assert.ok(faults instanceof SignalError);
    assert.equal(faults.code, 'VALIDATION_FAILED');
    assert.equal(faults.name, 'FaultSettingsError');
  });
});

function catching(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}
