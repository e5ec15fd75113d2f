/** Users (admins only): list, create, and set another user's password. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AdminRole } from '../../store/types.js';
import { auditEntry, type AdminContext } from '../admin-context.js';
import { authOf } from '../auth/access.js';
import { checkNewPassword, hashPassword } from '../auth/passwords.js';
import { AdminRequestError, invalid, notFound } from '../http/admin-error.js';
import { bodyOf, onlyKnown, param, requiredText } from '../http/input.js';
import { userView } from './auth-routes.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function userRoutes(scope: FastifyInstance, context: AdminContext): void {
  const { store } = context;

  scope.get('/users', async () => ({ data: (await store.listUsers()).map(userView) }));

  scope.post('/users', async (request, reply) => {
    const body = bodyOf(request);
    onlyKnown(body, ['email', 'password', 'role']);
    const email = requiredText(body, 'email').trim().toLowerCase();
    if (!EMAIL.test(email)) throw invalid('email', 'must be an e-mail address');
    const role = checkRole(body.role);
    const password = checkNewPassword(body.password, 'password');

    const at = new Date(context.now()).toISOString();
    const user = {
      id: `usr_${randomUUID()}`,
      email,
      role,
      passwordHash: await hashPassword(password),
      createdAt: at,
      updatedAt: at,
    };
    if (!(await store.createUser(user))) {
      throw new AdminRequestError(
        'CONFLICT',
        `A user with e-mail ${email} already exists`,
        'email',
      );
    }

    await context.audit(
      auditEntry(authOf(request).user.email, 'user.created', { type: 'user', id: user.id }, [
        { field: 'email', change: 'added', to: email },
        { field: 'role', change: 'added', to: role },
      ]),
    );
    return reply.code(201).send(userView(user));
  });

  scope.post('/users/:id/password', async (request, reply) => {
    const user = await store.findUserById(param(request, 'id'));
    if (!user) throw notFound(`User "${param(request, 'id')}"`);
    const body = bodyOf(request);
    onlyKnown(body, ['password']);
    const password = checkNewPassword(body.password, 'password');

    await store.setUserPassword(
      user.id,
      await hashPassword(password),
      new Date(context.now()).toISOString(),
    );
    await store.deleteUserSessions(user.id);
    await context.audit(
      auditEntry(authOf(request).user.email, 'user.password_reset', { type: 'user', id: user.id }, [
        { field: 'password', change: 'changed' },
      ]),
    );
    return reply.code(204).send();
  });
}

function checkRole(raw: unknown): AdminRole {
  if (raw !== 'admin' && raw !== 'viewer') throw invalid('role', 'must be "admin" or "viewer"');

  return raw;
}
