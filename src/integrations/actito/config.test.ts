import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError } from '../../core/errors.js';
import { parseConfig } from './config.js';

const SECRET_KEY = 'qhdfbvdh747R49FRHrthqhdfbvdh74';
const base = { entity: 'demo', profile_table: 'Profiles', api_key: SECRET_KEY };

/** Asserts that parsing fails with INVALID_CONFIG, the message naming `field`, and no secret. */
function assertRejected(raw: Record<string, unknown>, field: string) {
  assert.throws(
    () => parseConfig(raw),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.code, 'INVALID_CONFIG');
      assert.match(error.message, new RegExp(`^${field} `));
      assert.equal(error.message.includes(SECRET_KEY), false);
      return true;
    },
  );
}

describe('parseConfig', () => {
  it('fills in the defaults for a minimal configuration', () => {
    const config = parseConfig(base);

    assert.deepEqual(config, {
      entity: 'demo',
      profileTable: 'Profiles',
      apiKey: SECRET_KEY,
      accessToken: undefined,
      apiHost: 'https://api.actito.com',
      pathStyle: 'documented',
      bodyFormat: 'flat',
      timeoutMs: 10_000,
    });
  });

  it('trims values and drops the trailing slash of the host', () => {
    const config = parseConfig({
      entity: ' demo ',
      profile_table: ' Profiles\n',
      api_key: ` ${SECRET_KEY} `,
      access_token: '  ',
      api_host: ' https://api1.actito.com/ ',
      path_style: 'prefixed',
      body_format: 'native',
      timeout_ms: '2500',
    });

    assert.equal(config.entity, 'demo');
    assert.equal(config.profileTable, 'Profiles');
    assert.equal(config.apiKey, SECRET_KEY);
    assert.equal(config.accessToken, undefined);
    assert.equal(config.apiHost, 'https://api1.actito.com');
    assert.equal(config.pathStyle, 'prefixed');
    assert.equal(config.bodyFormat, 'native');
    assert.equal(config.timeoutMs, 2_500);
  });

  it('keeps the case of entity and table, which Actito treats as significant', () => {
    const config = parseConfig({ ...base, entity: 'Demo', profile_table: 'profiles' });

    assert.equal(config.entity, 'Demo');
    assert.equal(config.profileTable, 'profiles');
  });

  it('accepts any https host, a bare host name, and http on loopback hosts only', () => {
    const hosts = [
      ['https://gateway.example.com/actito/', 'https://gateway.example.com/actito'],
      ['api3.actito.com', 'https://api3.actito.com'],
      ['http://127.0.0.1:7070/', 'http://127.0.0.1:7070'],
      ['http://localhost:7070', 'http://localhost:7070'],
      ['http://[::1]:7070', 'http://[::1]:7070'],
      ['', 'https://api.actito.com'],
    ];

    for (const [input, expected] of hosts) {
      assert.equal(parseConfig({ ...base, api_host: input }).apiHost, expected);
    }
  });

  it('requires entity, profile_table and api_key', () => {
    assertRejected({ ...base, entity: '' }, 'entity');
    assertRejected({ ...base, profile_table: '   ' }, 'profile_table');
    assertRejected({ entity: 'demo', profile_table: 'Profiles' }, 'api_key');
  });

  it('rejects entity and profile_table names that URL parsing would remove as dot segments', () => {
    assertRejected({ ...base, entity: '..' }, 'entity');
    assertRejected({ ...base, entity: ' . ' }, 'entity');
    assertRejected({ ...base, profile_table: '..' }, 'profile_table');
    assertRejected({ ...base, profile_table: '.' }, 'profile_table');
  });

  it('accepts names that merely contain dots', () => {
    const config = parseConfig({ ...base, entity: 'demo.be', profile_table: '...' });

    assert.equal(config.entity, 'demo.be');
    assert.equal(config.profileTable, '...');
  });

  it('rejects values of the wrong type without echoing them', () => {
    assertRejected({ ...base, api_key: 42 }, 'api_key');
    assertRejected({ ...base, access_token: { token: SECRET_KEY } }, 'access_token');
  });

  it('rejects plain http to a remote host, other schemes and credentials in the host', () => {
    assertRejected({ ...base, api_host: 'http://api.actito.com' }, 'api_host');
    assertRejected({ ...base, api_host: 'ftp://api.actito.com' }, 'api_host');
    assertRejected({ ...base, api_host: `https://user:${SECRET_KEY}@api.actito.com` }, 'api_host');
    assertRejected({ ...base, api_host: 'https://api.actito.com/?x=1' }, 'api_host');
    assertRejected({ ...base, api_host: 'https://' }, 'api_host');
  });

  it('rejects unknown path styles and body formats', () => {
    assertRejected({ ...base, path_style: 'v5' }, 'path_style');
    assertRejected({ ...base, body_format: 'xml' }, 'body_format');
  });

  it('rejects a timeout that is not a whole number in range', () => {
    assertRejected({ ...base, timeout_ms: 'soon' }, 'timeout_ms');
    assertRejected({ ...base, timeout_ms: 10.5 }, 'timeout_ms');
    assertRejected({ ...base, timeout_ms: 0 }, 'timeout_ms');
    assertRejected({ ...base, timeout_ms: 600_000 }, 'timeout_ms');
  });
});
