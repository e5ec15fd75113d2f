import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { ConfigError } from '../core/errors.js';
import { loadSecretBox, SecretBox } from './secret-box.js';

const dir = mkdtempSync(join(tmpdir(), 'signal-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A key file path no other test uses. */
function freshKeyFile(name: string): string {
  return join(dir, name, 'encryption.key');
}

describe('SecretBox', () => {
  it('opens what it sealed', () => {
    const box = new SecretBox(randomBytes(32));

    const sealed = box.seal('api-key-1234');

    assert.equal(box.open(sealed), 'api-key-1234');
  });

  it('seals the same value differently each time and never in clear', () => {
    const box = new SecretBox(randomBytes(32));

    const first = box.seal('api-key-1234');
    const second = box.seal('api-key-1234');

    assert.notDeepEqual(first, second);
    assert.equal(first.includes(Buffer.from('api-key-1234')), false);
  });

  it('detects a tampered ciphertext', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('api-key-1234');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 0x01;

    assert.throws(() => box.open(sealed), { name: 'ConfigError', code: 'INVALID_CONFIG' });
  });

  it('refuses a value that is not a sealed secret with a ConfigError, not a bare Error', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('api-key-1234');
    const wrongVersion = Buffer.from(sealed);
    wrongVersion[0] = 9;
    const truncated = sealed.subarray(0, 5);

    assert.throws(() => box.open(wrongVersion), ConfigError);
    assert.throws(() => box.open(truncated), ConfigError);
  });

  it('says the key is not the one the secrets were saved with when opened with another key', () => {
    const sealed = new SecretBox(randomBytes(32)).seal('api-key-1234');
    const other = new SecretBox(randomBytes(32));

    assert.throws(
      () => other.open(sealed),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.code, 'INVALID_CONFIG');
        assert.match(error.message, /encryption key is not the one they were saved with/);
        assert.doesNotMatch(error.message, /api-key-1234/);
        return true;
      },
    );
  });

  it('refuses a key that is not 32 bytes', () => {
    assert.throws(() => new SecretBox(randomBytes(16)), { name: 'ConfigError' });
  });
});

describe('loadSecretBox', () => {
  it('creates the key file readable by its owner only', () => {
    const keyFile = freshKeyFile('created');

    loadSecretBox({ keyFile });

    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64').length, 32);
  });

  it('reuses the key file it created', () => {
    const keyFile = freshKeyFile('reused');
    const sealed = loadSecretBox({ keyFile }).seal('api-key-1234');
    const keyBefore = readFileSync(keyFile, 'utf8');

    const reopened = loadSecretBox({ keyFile });

    assert.equal(reopened.open(sealed), 'api-key-1234');
    assert.equal(readFileSync(keyFile, 'utf8'), keyBefore);
  });

  it('accepts the environment key as hex or base64 and prefers it to the key file', () => {
    const key = randomBytes(32);
    const keyFile = freshKeyFile('from-env');

    const fromHex = loadSecretBox({ envValue: key.toString('hex'), keyFile });
    const fromBase64 = loadSecretBox({ envValue: key.toString('base64'), keyFile });

    assert.equal(fromBase64.open(fromHex.seal('api-key-1234')), 'api-key-1234');
    assert.equal(existsSync(keyFile), false);
  });

  it('refuses an environment key of the wrong length without echoing it', () => {
    const envValue = randomBytes(24).toString('base64');

    assert.throws(
      () => loadSecretBox({ envValue, keyFile: freshKeyFile('wrong-length') }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.code, 'INVALID_CONFIG');
        assert.match(error.message, /32 bytes/);
        assert.equal(error.message.includes(envValue), false);
        return true;
      },
    );
  });
});
