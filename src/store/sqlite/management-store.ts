/**
 * The management half of the SQLite store: users, sessions, integration revisions, the audit log
 * and delivery health. `SqliteStore` extends this class, so its own file keeps to the event path.
 * better-sqlite3 is synchronous: each method is one short statement or transaction.
 */
import type { Database } from 'better-sqlite3';
import type { SecretBox } from '../secret-box.js';
import type {
  AdminRole,
  AdminSession,
  AdminUser,
  AuditEntry,
  AuditEntryInput,
  ChangeMeta,
  ChangeSummary,
  DeliveryHealth,
  IntegrationRecord,
  IntegrationRevision,
} from '../types.js';

interface UserRow {
  id: string;
  email: string;
  role: string;
  password_hash: string;
  created_at: string;
  updated_at: string;
}

interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at_ms: number;
  absolute_expires_at_ms: number;
}

interface RevisionRow {
  integration_id: string;
  revision: number;
  record: Buffer;
  actor: string;
  action: string;
  changes: string;
  at: string;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  changes: string;
}

export abstract class SqliteManagementStore {
  constructor(
    protected readonly db: Database,
    protected readonly secrets: SecretBox,
  ) {}

  /** Writes an integration record (the subclass's `upsertIntegration`, without the promise). */
  protected abstract writeIntegration(record: IntegrationRecord): void;

  // Users

  async createUser(user: AdminUser): Promise<boolean> {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO users (id, email, role, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(user.id, user.email, user.role, user.passwordHash, user.createdAt, user.updatedAt);

    return result.changes === 1;
  }

  async findUserByEmail(email: string): Promise<AdminUser | undefined> {
    return this.findUser('email', email);
  }

  async findUserById(id: string): Promise<AdminUser | undefined> {
    return this.findUser('id', id);
  }

  private findUser(column: 'id' | 'email', value: string): AdminUser | undefined {
    const row = this.db.prepare(`SELECT * FROM users WHERE ${column} = ?`).get(value) as
      UserRow | undefined;

    return row ? toUser(row) : undefined;
  }

  async listUsers(): Promise<AdminUser[]> {
    const rows = this.db.prepare('SELECT * FROM users ORDER BY created_at, email').all();
    return (rows as UserRow[]).map(toUser);
  }

  async countUsers(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  async setUserPassword(id: string, passwordHash: string, at: string): Promise<void> {
    this.db
      .prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?')
      .run(passwordHash, at, id);
  }

  // Sessions

  async createSession(session: AdminSession): Promise<void> {
    this.db.transaction(() => {
      // Expired sessions are forgotten here rather than by a timer: logins are rare enough.
      this.db
        .prepare('DELETE FROM sessions WHERE expires_at_ms < ? OR absolute_expires_at_ms < ?')
        .run(Date.now(), Date.now());
      this.db
        .prepare(
          `INSERT INTO sessions (token_hash, user_id, created_at, expires_at_ms,
             absolute_expires_at_ms) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(
          session.tokenHash,
          session.userId,
          session.createdAt,
          session.expiresAtMs,
          session.absoluteExpiresAtMs,
        );
    })();
  }

  async findSession(tokenHash: string, nowMs: number): Promise<AdminSession | undefined> {
    const row = this.db
      .prepare(
        `SELECT * FROM sessions WHERE token_hash = ? AND expires_at_ms > ?
           AND absolute_expires_at_ms > ?`,
      )
      .get(tokenHash, nowMs, nowMs) as SessionRow | undefined;
    if (!row) return undefined;

    return {
      tokenHash: row.token_hash,
      userId: row.user_id,
      createdAt: row.created_at,
      expiresAtMs: row.expires_at_ms,
      absoluteExpiresAtMs: row.absolute_expires_at_ms,
    };
  }

  async extendSession(tokenHash: string, expiresAtMs: number): Promise<void> {
    this.db
      .prepare(
        `UPDATE sessions SET expires_at_ms = MIN(?, absolute_expires_at_ms)
         WHERE token_hash = ?`,
      )
      .run(expiresAtMs, tokenHash);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteUserSessions(userId: string, keepTokenHash?: string): Promise<void> {
    this.db
      .prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?')
      .run(userId, keepTokenHash ?? '');
  }

  // Revisions and audit

  async saveIntegrationRevision(record: IntegrationRecord, meta: ChangeMeta): Promise<number> {
    return this.db.transaction(() => {
      this.writeIntegration(record);
      return this.appendRevision(record, meta);
    })();
  }

  private appendRevision(record: IntegrationRecord, meta: ChangeMeta): number {
    const last = this.db
      .prepare('SELECT MAX(revision) AS n FROM integration_revisions WHERE integration_id = ?')
      .get(record.id) as { n: number | null };
    const revision = (last.n ?? 0) + 1;

    this.db
      .prepare(
        `INSERT INTO integration_revisions (integration_id, revision, record, actor, action,
           changes, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.id,
        revision,
        this.secrets.seal(JSON.stringify(record)),
        meta.actor,
        meta.action,
        JSON.stringify(meta.changes),
        meta.at,
      );
    this.insertAudit([{ ...meta, targetType: 'integration', targetId: record.id }]);

    return revision;
  }

  async listIntegrationRevisions(integrationId: string): Promise<IntegrationRevision[]> {
    const rows = this.db
      .prepare(
        'SELECT * FROM integration_revisions WHERE integration_id = ? ORDER BY revision DESC',
      )
      .all(integrationId) as RevisionRow[];

    return rows.map((row) => this.toRevision(row));
  }

  async getIntegrationRevision(
    integrationId: string,
    revision: number,
  ): Promise<IntegrationRevision | undefined> {
    const row = this.db
      .prepare('SELECT * FROM integration_revisions WHERE integration_id = ? AND revision = ?')
      .get(integrationId, revision) as RevisionRow | undefined;

    return row ? this.toRevision(row) : undefined;
  }

  async appendAudit(entries: AuditEntryInput[]): Promise<void> {
    this.insertAudit(entries);
  }

  private insertAudit(entries: AuditEntryInput[]): void {
    const insert = this.db.prepare(
      `INSERT INTO audit_log (at, actor, action, target_type, target_id, changes)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const entry of entries) {
        insert.run(
          entry.at,
          entry.actor,
          entry.action,
          entry.targetType,
          entry.targetId,
          JSON.stringify(entry.changes),
        );
      }
    })();
  }

  async listAudit(options: { beforeId?: number; limit: number }): Promise<AuditEntry[]> {
    const rows = this.db
      .prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit) as AuditRow[];

    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      changes: JSON.parse(row.changes) as ChangeSummary[],
    }));
  }

  // Delivery health

  async deliveryHealth(sinceIso: string): Promise<DeliveryHealth[]> {
    const counts = this.db
      .prepare(
        `SELECT integration_id,
           SUM(CASE WHEN outcome = 'delivered' THEN 1 ELSE 0 END) AS delivered,
           SUM(CASE WHEN outcome <> 'delivered' THEN 1 ELSE 0 END) AS failed
         FROM attempts WHERE at >= ? GROUP BY integration_id`,
      )
      .all(sinceIso) as { integration_id: string; delivered: number; failed: number }[];
    const latest = this.db.prepare(
      `SELECT outcome, status, at FROM attempts WHERE integration_id = ?
       ORDER BY id DESC LIMIT 1`,
    );
    const ids = this.db.prepare('SELECT id FROM integrations ORDER BY id').all() as {
      id: string;
    }[];

    return ids.map(({ id }) => {
      const count = counts.find((row) => row.integration_id === id);
      const last = latest.get(id) as
        { outcome: string; status: number | null; at: string } | undefined;

      return {
        integrationId: id,
        delivered: count?.delivered ?? 0,
        failed: count?.failed ?? 0,
        ...(last
          ? {
              last: {
                outcome: last.outcome as NonNullable<DeliveryHealth['last']>['outcome'],
                ...(last.status === null ? {} : { status: last.status }),
                at: last.at,
              },
            }
          : {}),
      };
    });
  }

  private toRevision(row: RevisionRow): IntegrationRevision {
    return {
      integrationId: row.integration_id,
      revision: row.revision,
      record: JSON.parse(this.secrets.open(row.record)) as IntegrationRecord,
      actor: row.actor,
      action: row.action,
      changes: JSON.parse(row.changes) as ChangeSummary[],
      at: row.at,
    };
  }
}

function toUser(row: UserRow): AdminUser {
  return {
    id: row.id,
    email: row.email,
    role: row.role as AdminRole,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
