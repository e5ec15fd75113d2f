import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { readEnvironment } from './environment.js';

const KEY_HEX = 'ab'.repeat(32);

describe('readEnvironment', () => {
  it('uses the documented defaults when nothing is set', () => {
    const env = readEnvironment({});

    assert.deepEqual(env, {
      port: 8080,
      host: '0.0.0.0',
      dataDir: resolve('./data'),
      logLevel: 'info',
      trustProxy: false,
      sqliteSynchronous: 'full',
      retentionDays: 7,
    });
  });

  it('reads every variable when set', () => {
    const env = readEnvironment({
      SIGNAL_PORT: '9090',
      SIGNAL_HOST: '127.0.0.1',
      SIGNAL_DATA_DIR: 'var/signal',
      SIGNAL_CONFIG: 'signal.json',
      LOG_LEVEL: 'DEBUG',
      DATABASE_URL: 'postgres://signal@db/signal',
      SIGNAL_ENCRYPTION_KEY: KEY_HEX,
      SIGNAL_TRUST_PROXY: 'true',
      SIGNAL_SQLITE_SYNCHRONOUS: 'normal',
      SIGNAL_RETENTION_DAYS: '0',
    });

    assert.deepEqual(env, {
      port: 9090,
      host: '127.0.0.1',
      dataDir: resolve('var/signal'),
      configFile: resolve('signal.json'),
      logLevel: 'debug',
      databaseUrl: 'postgres://signal@db/signal',
      encryptionKey: KEY_HEX,
      trustProxy: true,
      sqliteSynchronous: 'normal',
      retentionDays: 0,
    });
  });

  it('refuses a retention that is not a whole number of days, naming the variable', () => {
    assert.throws(() => readEnvironment({ SIGNAL_RETENTION_DAYS: '1.5' }), {
      message:
        'SIGNAL_RETENTION_DAYS must be a whole number of days (0 keeps everything) (got "1.5")',
    });
  });

  it('treats a variable set to an empty string as unset', () => {
    const env = readEnvironment({ SIGNAL_PORT: '', SIGNAL_CONFIG: ' ', DATABASE_URL: '' });

    assert.equal(env.port, 8080);
    assert.equal(env.configFile, undefined);
    assert.equal(env.databaseUrl, undefined);
  });

  it('accepts a base64 encryption key of 32 bytes', () => {
    const key = Buffer.alloc(32, 7).toString('base64');

    const env = readEnvironment({ SIGNAL_ENCRYPTION_KEY: key });

    assert.equal(env.encryptionKey, key);
  });

  for (const [name, value, expected] of [
    ['SIGNAL_PORT', '80a', 'SIGNAL_PORT must be a whole number from 0 to 65535 (got "80a")'],
    ['SIGNAL_PORT', '70000', 'SIGNAL_PORT must be a whole number from 0 to 65535 (got "70000")'],
    [
      'LOG_LEVEL',
      'verbose',
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (got "verbose")',
    ],
    ['SIGNAL_TRUST_PROXY', 'yes', 'SIGNAL_TRUST_PROXY must be true or false (got "yes")'],
    [
      'SIGNAL_SQLITE_SYNCHRONOUS',
      'off',
      'SIGNAL_SQLITE_SYNCHRONOUS must be one of full, normal (got "off")',
    ],
  ] as const) {
    it(`refuses ${name}=${value} naming the variable and what it expects`, () => {
      const read = () => readEnvironment({ [name]: value });

      assert.throws(read, (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.code, 'INVALID_CONFIG');
        assert.equal(error.message, expected);
        return true;
      });
    });
  }

  it('refuses a malformed encryption key without echoing it', () => {
    const secret = 'not-a-real-key-but-still-secret';

    const read = () => readEnvironment({ SIGNAL_ENCRYPTION_KEY: secret });

    assert.throws(read, (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /^SIGNAL_ENCRYPTION_KEY must be 32 bytes/);
      assert.ok(!error.message.includes(secret));
      return true;
    });
  });
});
