/**
 * The first admin, so that a fresh installation can be signed into: from `SIGNAL_ADMIN_EMAIL` /
 * `SIGNAL_ADMIN_PASSWORD` when set, else `admin@localhost` with a generated password that is
 * printed once (to stdout, never to the JSON log, which is shipped and kept).
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/store.js';
import { checkNewPassword, generatePassword, hashPassword } from './passwords.js';

export interface FirstAdminOptions {
  email?: string | undefined;
  password?: string | undefined;
  /** Where the generated password is shown; default stdout. */
  announce?: (text: string) => void;
}

const DEFAULT_EMAIL = 'admin@localhost';

/** Creates the first admin when no user exists; does nothing otherwise. */
export async function ensureFirstAdmin(store: Store, options: FirstAdminOptions): Promise<void> {
  if ((await store.countUsers()) > 0) return;

  const email = (options.email?.trim() || DEFAULT_EMAIL).toLowerCase();
  const given = options.password !== undefined && options.password !== '';
  const password = given
    ? checkNewPassword(options.password, 'SIGNAL_ADMIN_PASSWORD')
    : generatePassword();

  const now = new Date().toISOString();
  await store.createUser({
    id: `usr_${randomUUID()}`,
    email,
    role: 'admin',
    passwordHash: await hashPassword(password),
    createdAt: now,
    updatedAt: now,
  });

  if (given) return;

  const announce = options.announce ?? ((text: string) => void process.stdout.write(text));
  announce(
    `\nSignal created the first admin user.\n  e-mail:   ${email}\n  password: ${password}\n` +
      'This password is shown only once: sign in and change it (POST /v1/admin/auth/password).\n\n',
  );
}
