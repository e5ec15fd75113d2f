/**
 * Encryption of secrets at rest (AES-256-GCM). The key comes from `SIGNAL_ENCRYPTION_KEY`
 * (32 bytes, base64 or hex) or from a key file created on first start with owner-only access.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../core/errors.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) {
      throw new ConfigError('INVALID_CONFIG', 'the encryption key must be 32 bytes');
    }
  }

  /** `version ‖ iv ‖ tag ‖ ciphertext`: a fresh IV per value, authenticated. */
  seal(plaintext: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): string {
    if (sealed[0] !== VERSION || sealed.length < 1 + IV_BYTES + TAG_BYTES) {
      throw new ConfigError('INVALID_CONFIG', 'a stored secret is not in a format Signal knows');
    }

    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const body = sealed.subarray(1 + IV_BYTES + TAG_BYTES);

    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new ConfigError(
        'INVALID_CONFIG',
        'stored secrets cannot be decrypted: the encryption key is not the one they were saved with',
        { cause: error },
      );
    }
  }
}

/** Reads the key from the environment value when given, else from (or into) the key file. */
export function loadSecretBox(options: { envValue?: string; keyFile: string }): SecretBox {
  if (options.envValue) return new SecretBox(decodeKey(options.envValue));

  if (!existsSync(options.keyFile)) {
    mkdirSync(dirname(options.keyFile), { recursive: true });
    writeFileSync(options.keyFile, randomBytes(32).toString('base64') + '\n', {
      mode: 0o600,
      flag: 'wx',
    });
  }
  return new SecretBox(decodeKey(readFileSync(options.keyFile, 'utf8').trim()));
}

function decodeKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(
      'INVALID_CONFIG',
      'SIGNAL_ENCRYPTION_KEY must be 32 bytes, written as 64 hex digits or in base64',
    );
  }
  return key;
}
