/**
 * Signing in and out, the current user, and changing one's own password. Login answers a bearer
 * token for API clients and sets the same token as an HttpOnly cookie for the UI.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdminUser } from '../../store/types.js';
import { auditEntry, type AdminContext } from '../admin-context.js';
import { authOf, SESSION_COOKIE } from '../auth/access.js';
import {
  checkNewPassword,
  hashPassword,
  verifyNothing,
  verifyPassword,
} from '../auth/passwords.js';
import { hashToken, SESSION_IDLE_MS, SESSION_MAX_MS } from '../auth/sessions.js';
import { AdminRequestError } from '../http/admin-error.js';
import { bodyOf, onlyKnown, requiredText } from '../http/input.js';
import { ADMIN_PREFIX } from '../openapi.js';

export function authRoutes(scope: FastifyInstance, context: AdminContext): void {
  scope.post('/auth/login', async (request, reply) => {
    const body = bodyOf(request);
    onlyKnown(body, ['email', 'password']);
    const email = requiredText(body, 'email').trim().toLowerCase();
    const password = requiredText(body, 'password');

    const user = await checkCredentials(context, email, password, request.ip);
    const token = await context.sessions.open(user);

    setSessionCookie(request, reply, token);
    return { access_token: token, expires_in: SESSION_IDLE_MS / 1000, role: user.role };
  });

  scope.post('/auth/logout', async (request, reply) => {
    await context.sessions.close(authOf(request).token);

    void reply.clearCookie(SESSION_COOKIE, { path: ADMIN_PREFIX });
    return reply.code(204).send();
  });

  scope.get('/auth/me', async (request) => userView(authOf(request).user));

  scope.post('/auth/password', async (request, reply) => {
    const { user, token } = authOf(request);
    const body = bodyOf(request);
    onlyKnown(body, ['current_password', 'new_password']);
    const current = requiredText(body, 'current_password');
    const next = checkNewPassword(body.new_password, 'new_password');

    if (!(await verifyPassword(current, user.passwordHash))) {
      throw new AdminRequestError(
        'VALIDATION_FAILED',
        'current_password is wrong',
        'current_password',
      );
    }

    const at = new Date(context.now()).toISOString();
    await context.store.setUserPassword(user.id, await hashPassword(next), at);
    // Whoever else holds a session of this user (a stolen token) loses it; this one stays.
    await context.store.deleteUserSessions(user.id, hashToken(token));
    await context.audit(
      auditEntry(user.email, 'user.password_changed', { type: 'user', id: user.id }, [
        { field: 'password', change: 'changed' },
      ]),
    );
    return reply.code(204).send();
  });
}

export function userView(user: AdminUser) {
  return { id: user.id, email: user.email, role: user.role, created_at: user.createdAt };
}

/** The user, or a refusal that does not say whether the e-mail exists. */
async function checkCredentials(
  context: AdminContext,
  email: string,
  password: string,
  ip: string,
): Promise<AdminUser> {
  const retryAfter = context.limiter.retryAfterSeconds(email, ip, context.now());
  if (retryAfter !== undefined) {
    const message = `Too many failed logins: try again in ${retryAfter} s.`;
    throw new AdminRequestError('RATE_LIMITED', message, undefined, retryAfter);
  }

  const user = await context.store.findUserByEmail(email);
  const valid = user
    ? await verifyPassword(password, user.passwordHash)
    : await verifyNothing(password);
  if (!user || !valid) {
    context.limiter.recordFailure(email, ip, context.now());
    context.logger.warn({ ip }, 'admin login failed');
    throw new AdminRequestError('INVALID_CREDENTIALS', 'The e-mail address or password is wrong.');
  }

  context.limiter.recordSuccess(email);
  return user;
}

/**
 * HttpOnly (scripts cannot read it), SameSite=Strict (never sent by another site's request),
 * scoped to the API. `Secure` unless the server is reached over plain http on this machine,
 * where a browser would refuse a Secure cookie and there is no network to protect it from.
 */
function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(request.hostname);

  void reply.setCookie(SESSION_COOKIE, token, {
    path: ADMIN_PREFIX,
    httpOnly: true,
    sameSite: 'strict',
    secure: !(request.protocol === 'http' && loopback),
    maxAge: SESSION_MAX_MS / 1000,
  });
}
