/** The audit log, newest first, in pages: `{data, next_cursor, has_more}`. */
import type { FastifyInstance } from 'fastify';
import type { AuditEntry } from '../../store/types.js';
import type { AdminContext } from '../admin-context.js';
import { invalid } from '../http/admin-error.js';
import { queryInteger, queryString } from '../http/input.js';

export function auditRoutes(scope: FastifyInstance, context: AdminContext): void {
  scope.get('/audit', async (request) => {
    const limit = queryInteger(request, 'limit', { min: 1, max: 200, fallback: 50 });
    const cursor = queryString(request, 'cursor');
    const beforeId = cursor === undefined ? undefined : decodeCursor(cursor);

    // One more than asked tells whether another page exists without a count query.
    const entries = await context.store.listAudit({
      ...(beforeId === undefined ? {} : { beforeId }),
      limit: limit + 1,
    });
    const page = entries.slice(0, limit);
    const hasMore = entries.length > limit;

    return {
      data: page.map(auditView),
      next_cursor: hasMore ? encodeCursor(page.at(-1)!.id) : null,
      has_more: hasMore,
    };
  });
}

function auditView(entry: AuditEntry) {
  return {
    id: entry.id,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    target: { type: entry.targetType, id: entry.targetId },
    changes: entry.changes,
  };
}

/** Opaque to clients, so the paging key can change without breaking them. */
function encodeCursor(id: number): string {
  return Buffer.from(`a:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^a:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw invalid('cursor', 'is not a cursor this API returned');

  return Number(match[1]);
}
