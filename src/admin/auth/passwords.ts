/**
 * Password hashing with scrypt (node:crypto): a random 16-byte salt per user, the parameters kept
 * in the stored string so they can be raised later without invalidating old hashes, and a
 * constant-time comparison.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { invalid } from '../http/admin-error.js';

const KEY_LENGTH = 64;
/** N = 2^15 costs about 50 ms and 32 MB here: slow for a guesser, fine for a login. */
const PARAMS = { N: 32_768, r: 8, p: 1 } as const;
const MAX_MEMORY = 64 * 1024 * 1024;

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1_024;

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PARAMS);

  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/** Whether `password` matches `stored`; a malformed stored value never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;

  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });

  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Burns the time of one verification, so that a login for an unknown e-mail takes as long as one
 * with a wrong password and does not reveal which addresses have accounts.
 */
export async function verifyNothing(password: string): Promise<void> {
  await derive(password, Buffer.alloc(16), PARAMS);
}

/** Refuses passwords too short to resist guessing (or absurdly long: scrypt reads them all). */
export function checkNewPassword(password: unknown, field: string): string {
  if (typeof password !== 'string') throw invalid(field, 'is required, as text');
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid(field, `must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw invalid(field, `must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  }

  return password;
}

/** A random password for the first admin: 24 URL-safe characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
