/**
 * The Event Debugger: recent traces over HTTP, and the live feed over a WebSocket. A socket
 * without a valid session is closed with code 4401 (browsers see no HTTP status on an upgrade).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminContext } from '../admin-context.js';
import { optionalAuthOf, type RequestAuth } from '../auth/access.js';
import { AdminRequestError } from '../http/admin-error.js';
import { isObject, queryInteger, queryString } from '../http/input.js';
import { FILTER_FIELDS, parseFilter } from '../debugger/trace-filter.js';
import { DEFAULT_RING_SIZE } from '../debugger/debugger-feed.js';

export const CLOSE_UNAUTHENTICATED = 4401;

/** A client that reads slower than this much queued output misses traces rather than grow it. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const SESSION_RECHECK_MS = 30_000;

/** What the feed needs of a `ws` socket (the package ships no types of its own). */
interface FeedSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: () => void): void;
}

const OPEN = 1;

export function debuggerRoutes(scope: FastifyInstance, context: AdminContext): void {
  scope.get('/debugger/recent', async (request) => {
    const limit = queryInteger(request, 'limit', { min: 1, max: DEFAULT_RING_SIZE, fallback: 200 });
    const filter: Record<string, string> = {};
    for (const field of FILTER_FIELDS) {
      const value = queryString(request, field);
      if (value !== undefined) filter[field] = value;
    }

    return { data: await context.traces.recent(limit, parseFilter(filter)) };
  });

  scope.get('/debugger/ws', { websocket: true }, (socket: FeedSocket, request: FastifyRequest) => {
    const auth = optionalAuthOf(request);
    if (!auth || !trustedOrigin(request, auth)) {
      socket.close(CLOSE_UNAUTHENTICATED, 'sign in first');
      return;
    }

    streamTraces(socket, context, auth);
  });
}

function streamTraces(socket: FeedSocket, context: AdminContext, auth: RequestAuth): void {
  const watch = context.traces.watch((json) => {
    if (socket.readyState !== OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
    socket.send(json);
  });

  socket.on('message', (data) => {
    try {
      const message: unknown = JSON.parse(data.toString('utf8'));
      if (!isObject(message) || !('filter' in message)) {
        throw new AdminRequestError('VALIDATION_FAILED', 'send {"filter": {...}}');
      }
      const filter = parseFilter(message.filter);
      watch.setFilter(filter);
      socket.send(JSON.stringify({ filter }));
    } catch (error) {
      const message = error instanceof AdminRequestError ? error.message : 'not valid JSON';
      socket.send(JSON.stringify({ error: { code: 'VALIDATION_FAILED', message } }));
    }
  });

  // A session that ends (logout, expiry, password change) ends its feed too.
  const recheck = setInterval(() => {
    void context.sessions.check(auth.token).then((still) => {
      if (!still) socket.close(CLOSE_UNAUTHENTICATED, 'session ended');
    });
  }, SESSION_RECHECK_MS);
  recheck.unref();

  socket.on('close', () => {
    watch.close();
    clearInterval(recheck);
  });
}

/**
 * A page of another site cannot read the cookie, but its browser would send it along with a
 * WebSocket handshake (WebSockets are not bound by CORS). So a cookie-authenticated socket must
 * come from a page of this very host.
 */
function trustedOrigin(request: FastifyRequest, auth: RequestAuth): boolean {
  const origin = request.headers.origin;
  if (auth.via !== 'cookie' || origin === undefined) return true;

  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}
