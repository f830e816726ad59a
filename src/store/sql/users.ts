// Internal users (people and service accounts that own keys), with their team and organization memberships.
import { StoreError, type NewUser, type OrgMember, type OrgRole, type Page, type UserFilter, type UserPatch, type UserRecord, type UserRepository } from '../types.ts';
import { USER_COLUMNS, Where, fromRow, insertSql, pageOf, updateSql } from './columns.ts';
import { withBudgetReset, type RepoContext } from './context.ts';
import type { Constraint, Dialect } from './dialect.ts';
import { mapDbError, type Row, type Sql } from './driver.ts';

const CONSTRAINTS: readonly Constraint[] = [{ kind: 'unique', name: 'igw_users_pkey', table: 'igw_users', column: 'user_id' }];

export class SqlUsers implements UserRepository {
  private readonly ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.ctx = ctx;
  }

  private get d(): Dialect {
    return this.ctx.db.dialect;
  }

  async create(input: NewUser): Promise<UserRecord> {
    const now = this.ctx.now();
    const q = insertSql(this.d, 'igw_users', USER_COLUMNS, withBudgetReset(input, now), now.toISOString());
    const rows = await this.ctx.db.query(q.text, q.params).catch((err) => mapDbError(this.d, err, CONSTRAINTS));
    return (await withMemberships(this.ctx.db, rows))[0];
  }

  async get(userId: string): Promise<UserRecord | null> {
    const rows = await this.ctx.db.query(`SELECT * FROM igw_users WHERE user_id = ${this.d.param(1)}`, [userId]);
    return rows.length ? (await withMemberships(this.ctx.db, rows))[0] : null;
  }

  async update(userId: string, patch: UserPatch): Promise<UserRecord | null> {
    const now = this.ctx.now();
    const q = updateSql(this.d, 'igw_users', USER_COLUMNS, 'user_id', userId, withBudgetReset(patch, now), now.toISOString(), ['spend']);
    const rows = await this.ctx.db.query(q.text, q.params);
    return rows.length ? (await withMemberships(this.ctx.db, rows))[0] : null;
  }

  async delete(userIds: readonly string[]): Promise<string[]> {
    return this.ctx.db.transaction(async (tx) => {
      const ids = JSON.stringify(userIds);
      await tx.query(`DELETE FROM igw_keys WHERE user_id IN (${tx.dialect.elements(1)})`, [ids]);
      const rows = await tx.query<{ user_id: string }>(`DELETE FROM igw_users WHERE user_id IN (${tx.dialect.elements(1)}) RETURNING user_id`, [ids]);
      return rows.map((r) => r.user_id);
    });
  }

  async list(filter: UserFilter = {}): Promise<Page<UserRecord>> {
    const where = new Where(this.d).eq('user_role', filter.user_role).eq('user_email', filter.user_email).anyOf('user_id', filter.user_ids);
    if (filter.team_id !== undefined) where.raw('user_id IN (SELECT user_id FROM igw_team_members WHERE team_id = ?)', filter.team_id);
    if (filter.organization_id !== undefined) {
      where.raw('user_id IN (SELECT user_id FROM igw_org_members WHERE organization_id = ?)', filter.organization_id);
    }
    const { limit, offset } = pageOf(filter.page, filter.size);
    const count = await this.ctx.db.query<{ n: number | string }>(`SELECT count(*) AS n FROM igw_users ${where}`, where.params);
    const rows = await this.ctx.db.query(`SELECT * FROM igw_users ${where} ORDER BY created_at, user_id LIMIT ${limit} OFFSET ${offset}`, where.params);
    return { rows: await withMemberships(this.ctx.db, rows), total: Number(count[0].n) };
  }
}

/** Adds `teams` and `organization_memberships` to user rows, with two queries for the whole batch. */
async function withMemberships(db: Sql, rows: Row[]): Promise<UserRecord[]> {
  const users = rows.map((r) => ({ ...fromRow<UserRecord>(USER_COLUMNS, r), teams: [] as string[], organization_memberships: [] as OrgMember[] }));
  if (!users.length) return users;
  const ids = JSON.stringify(users.map((u) => u.user_id));
  const byId = new Map(users.map((u) => [u.user_id, u]));
  const teams = await db.query<{ user_id: string; team_id: string }>(
    `SELECT user_id, team_id FROM igw_team_members WHERE user_id IN (${db.dialect.elements(1)}) ORDER BY team_id`,
    [ids],
  );
  for (const t of teams) byId.get(t.user_id)?.teams.push(t.team_id);
  const orgs = await db.query<{ user_id: string; organization_id: string; user_role: string }>(
    `SELECT user_id, organization_id, user_role FROM igw_org_members WHERE user_id IN (${db.dialect.elements(1)}) ORDER BY organization_id`,
    [ids],
  );
  for (const o of orgs) byId.get(o.user_id)?.organization_memberships.push({ ...o, user_role: o.user_role as OrgRole });
  return users;
}

/** Throws StoreError not_found naming the first of `userIds` that has no user row. */
export async function requireUsers(db: Sql, userIds: readonly string[]): Promise<void> {
  if (!userIds.length) return;
  const found = await db.query<{ user_id: string }>(`SELECT user_id FROM igw_users WHERE user_id IN (${db.dialect.elements(1)})`, [
    JSON.stringify(userIds),
  ]);
  const have = new Set(found.map((r) => r.user_id));
  const missing = userIds.find((id) => !have.has(id));
  if (missing !== undefined) throw new StoreError('not_found', `user '${missing}' does not exist`, 'user_id');
}
