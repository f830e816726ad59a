// Teams and their members (role `admin` or `user` in the team).
import type { NewTeam, Page, TeamFilter, TeamMember, TeamPatch, TeamRecord, TeamRepository, TeamRole } from '../types.ts';
import { TEAM_COLUMNS, Where, fromRow, insertSql, pageOf, updateSql } from './columns.ts';
import { withBudgetReset, type RepoContext } from './context.ts';
import type { Constraint, Dialect } from './dialect.ts';
import { mapDbError, type Row, type Sql } from './driver.ts';
import { requireUsers } from './users.ts';

const CONSTRAINTS: readonly Constraint[] = [
  { kind: 'unique', name: 'igw_teams_pkey', table: 'igw_teams', column: 'team_id' },
  { kind: 'unique', name: 'igw_teams_alias_key', table: 'igw_teams', column: 'team_alias' },
  { kind: 'reference', name: 'igw_teams_organization_id_fkey', table: 'igw_teams', column: 'organization_id' },
];

export class SqlTeams implements TeamRepository {
  private readonly ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.ctx = ctx;
  }

  private get d(): Dialect {
    return this.ctx.db.dialect;
  }

  async create(input: NewTeam): Promise<TeamRecord> {
    const now = this.ctx.now();
    const { members_with_roles: members = [], ...fields } = input;
    const q = insertSql(this.d, 'igw_teams', TEAM_COLUMNS, withBudgetReset(fields, now), now.toISOString());
    return this.ctx.db
      .transaction(async (tx) => {
        const rows = await tx.query(q.text, q.params);
        await upsertMembers(tx, input.team_id, members);
        return (await withMembers(tx, rows))[0];
      })
      .catch((err) => mapDbError(this.d, err, CONSTRAINTS));
  }

  async get(teamId: string): Promise<TeamRecord | null> {
    const rows = await this.ctx.db.query(`SELECT * FROM igw_teams WHERE team_id = ${this.d.param(1)}`, [teamId]);
    return rows.length ? (await withMembers(this.ctx.db, rows))[0] : null;
  }

  async update(teamId: string, patch: TeamPatch): Promise<TeamRecord | null> {
    const now = this.ctx.now();
    const q = updateSql(this.d, 'igw_teams', TEAM_COLUMNS, 'team_id', teamId, withBudgetReset(patch, now), now.toISOString(), ['spend']);
    const rows = await this.ctx.db.query(q.text, q.params).catch((err) => mapDbError(this.d, err, CONSTRAINTS));
    return rows.length ? (await withMembers(this.ctx.db, rows))[0] : null;
  }

  async delete(teamIds: readonly string[]): Promise<string[]> {
    return this.ctx.db.transaction(async (tx) => {
      const ids = JSON.stringify(teamIds);
      await tx.query(`DELETE FROM igw_keys WHERE team_id IN (${tx.dialect.elements(1)})`, [ids]);
      const rows = await tx.query<{ team_id: string }>(`DELETE FROM igw_teams WHERE team_id IN (${tx.dialect.elements(1)}) RETURNING team_id`, [ids]);
      return rows.map((r) => r.team_id);
    });
  }

  async list(filter: TeamFilter = {}): Promise<Page<TeamRecord>> {
    const where = new Where(this.d).eq('organization_id', filter.organization_id);
    if (filter.user_id !== undefined) where.raw('team_id IN (SELECT team_id FROM igw_team_members WHERE user_id = ?)', filter.user_id);
    const { limit, offset } = pageOf(filter.page, filter.size);
    const count = await this.ctx.db.query<{ n: number | string }>(`SELECT count(*) AS n FROM igw_teams ${where}`, where.params);
    const rows = await this.ctx.db.query(`SELECT * FROM igw_teams ${where} ORDER BY created_at, team_id LIMIT ${limit} OFFSET ${offset}`, where.params);
    return { rows: await withMembers(this.ctx.db, rows), total: Number(count[0].n) };
  }

  async addMembers(teamId: string, members: readonly TeamMember[]): Promise<TeamRecord | null> {
    return this.ctx.db.transaction(async (tx) => {
      const d = tx.dialect;
      const rows = await tx.query(`SELECT * FROM igw_teams WHERE team_id = ${d.param(1)}${d.forUpdate}`, [teamId]);
      if (!rows.length) return null;
      await upsertMembers(tx, teamId, members);
      await tx.query(`UPDATE igw_teams SET updated_at = ${d.param(2, 'time')} WHERE team_id = ${d.param(1)}`, [teamId, d.value('time', this.ctx.now().toISOString())]);
      return (await withMembers(tx, rows))[0];
    });
  }

  async removeMembers(teamId: string, userIds: readonly string[]): Promise<TeamRecord | null> {
    return this.ctx.db.transaction(async (tx) => {
      const d = tx.dialect;
      const rows = await tx.query(`SELECT * FROM igw_teams WHERE team_id = ${d.param(1)}${d.forUpdate}`, [teamId]);
      if (!rows.length) return null;
      await tx.query(`DELETE FROM igw_team_members WHERE team_id = ${d.param(1)} AND user_id IN (${d.elements(2)})`, [teamId, JSON.stringify(userIds)]);
      return (await withMembers(tx, rows))[0];
    });
  }
}

async function upsertMembers(tx: Sql, teamId: string, members: readonly TeamMember[]): Promise<void> {
  await requireUsers(
    tx,
    members.map((m) => m.user_id),
  );
  const d = tx.dialect;
  for (const m of members) {
    await tx.query(
      `INSERT INTO igw_team_members (team_id, user_id, role) VALUES (${d.param(1)}, ${d.param(2)}, ${d.param(3)})
       ON CONFLICT (team_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
      [teamId, m.user_id, m.role],
    );
    if (m.user_email) {
      await tx.query(`UPDATE igw_users SET user_email = ${d.param(2)} WHERE user_id = ${d.param(1)} AND user_email IS NULL`, [m.user_id, m.user_email]);
    }
  }
}

/** Adds `members_with_roles` (with each member's email) to team rows, in one query for the batch. */
async function withMembers(db: Sql, rows: Row[]): Promise<TeamRecord[]> {
  const teams = rows.map((r) => ({ ...fromRow<TeamRecord>(TEAM_COLUMNS, r), members_with_roles: [] as TeamMember[] }));
  if (!teams.length) return teams;
  const byId = new Map(teams.map((t) => [t.team_id, t]));
  const members = await db.query<{ team_id: string; user_id: string; role: string; user_email: string | null }>(
    `SELECT m.team_id, m.user_id, m.role, u.user_email FROM igw_team_members m JOIN igw_users u ON u.user_id = m.user_id
     WHERE m.team_id IN (${db.dialect.elements(1)}) ORDER BY m.team_id, m.user_id`,
    [JSON.stringify(teams.map((t) => t.team_id))],
  );
  for (const m of members) byId.get(m.team_id)?.members_with_roles.push({ user_id: m.user_id, user_email: m.user_email, role: m.role as TeamRole });
  return teams;
}
