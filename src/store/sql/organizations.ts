// Organizations: groups of teams, with members whose role is org_admin, internal_user or internal_user_viewer.
import { StoreError, type NewOrganization, type OrganizationPatch, type OrganizationRecord, type OrganizationRepository, type OrgMember, type OrgRole, type Page, type PageRequest } from '../types.ts';
import { ORG_COLUMNS, Where, fromRow, insertSql, pageOf, updateSql } from './columns.ts';
import { withBudgetReset, type RepoContext } from './context.ts';
import type { Constraint, Dialect } from './dialect.ts';
import { mapDbError, type Row, type Sql } from './driver.ts';
import { requireUsers } from './users.ts';

const CONSTRAINTS: readonly Constraint[] = [{ kind: 'unique', name: 'igw_organizations_pkey', table: 'igw_organizations', column: 'organization_id' }];

export class SqlOrganizations implements OrganizationRepository {
  private readonly ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.ctx = ctx;
  }

  private get d(): Dialect {
    return this.ctx.db.dialect;
  }

  async create(input: NewOrganization): Promise<OrganizationRecord> {
    const now = this.ctx.now();
    const q = insertSql(this.d, 'igw_organizations', ORG_COLUMNS, withBudgetReset(input, now), now.toISOString());
    const rows = await this.ctx.db.query(q.text, q.params).catch((err) => mapDbError(this.d, err, CONSTRAINTS));
    return (await withMembers(this.ctx.db, rows))[0];
  }

  async get(organizationId: string): Promise<OrganizationRecord | null> {
    const rows = await this.ctx.db.query(`SELECT * FROM igw_organizations WHERE organization_id = ${this.d.param(1)}`, [organizationId]);
    return rows.length ? (await withMembers(this.ctx.db, rows))[0] : null;
  }

  async update(organizationId: string, patch: OrganizationPatch): Promise<OrganizationRecord | null> {
    const now = this.ctx.now();
    const q = updateSql(this.d, 'igw_organizations', ORG_COLUMNS, 'organization_id', organizationId, withBudgetReset(patch, now), now.toISOString(), ['spend']);
    const rows = await this.ctx.db.query(q.text, q.params);
    return rows.length ? (await withMembers(this.ctx.db, rows))[0] : null;
  }

  async delete(organizationIds: readonly string[]): Promise<string[]> {
    const ids = JSON.stringify(organizationIds);
    return this.ctx.db.transaction(async (tx) => {
      const teams = await tx.query<{ team_id: string; organization_id: string }>(
        `SELECT team_id, organization_id FROM igw_teams WHERE organization_id IN (${tx.dialect.elements(1)}) LIMIT 1`,
        [ids],
      );
      if (teams.length) {
        throw new StoreError(
          'conflict',
          `organization '${teams[0].organization_id}' still has teams (e.g. '${teams[0].team_id}'); delete or move them first`,
          'organization_ids',
        );
      }
      const rows = await tx.query<{ organization_id: string }>(
        `DELETE FROM igw_organizations WHERE organization_id IN (${tx.dialect.elements(1)}) RETURNING organization_id`,
        [ids],
      );
      return rows.map((r) => r.organization_id);
    });
  }

  async list(filter: PageRequest & { user_id?: string } = {}): Promise<Page<OrganizationRecord>> {
    const where = new Where(this.d);
    if (filter.user_id !== undefined) where.raw('organization_id IN (SELECT organization_id FROM igw_org_members WHERE user_id = ?)', filter.user_id);
    const { limit, offset } = pageOf(filter.page, filter.size);
    const count = await this.ctx.db.query<{ n: number | string }>(`SELECT count(*) AS n FROM igw_organizations ${where}`, where.params);
    const rows = await this.ctx.db.query(
      `SELECT * FROM igw_organizations ${where} ORDER BY created_at, organization_id LIMIT ${limit} OFFSET ${offset}`,
      where.params,
    );
    return { rows: await withMembers(this.ctx.db, rows), total: Number(count[0].n) };
  }

  async addMembers(organizationId: string, members: readonly Omit<OrgMember, 'organization_id'>[]): Promise<OrganizationRecord | null> {
    return this.ctx.db.transaction(async (tx) => {
      const d = tx.dialect;
      const rows = await tx.query(`SELECT * FROM igw_organizations WHERE organization_id = ${d.param(1)}${d.forUpdate}`, [organizationId]);
      if (!rows.length) return null;
      await requireUsers(
        tx,
        members.map((m) => m.user_id),
      );
      for (const m of members) {
        await tx.query(
          `INSERT INTO igw_org_members (organization_id, user_id, user_role) VALUES (${d.param(1)}, ${d.param(2)}, ${d.param(3)})
           ON CONFLICT (organization_id, user_id) DO UPDATE SET user_role = EXCLUDED.user_role`,
          [organizationId, m.user_id, m.user_role],
        );
      }
      return (await withMembers(tx, rows))[0];
    });
  }

  async removeMembers(organizationId: string, userIds: readonly string[]): Promise<OrganizationRecord | null> {
    return this.ctx.db.transaction(async (tx) => {
      const d = tx.dialect;
      const rows = await tx.query(`SELECT * FROM igw_organizations WHERE organization_id = ${d.param(1)}${d.forUpdate}`, [organizationId]);
      if (!rows.length) return null;
      await tx.query(`DELETE FROM igw_org_members WHERE organization_id = ${d.param(1)} AND user_id IN (${d.elements(2)})`, [
        organizationId,
        JSON.stringify(userIds),
      ]);
      return (await withMembers(tx, rows))[0];
    });
  }
}

/** Adds `members` and `teams` to organization rows, two queries for the batch. */
async function withMembers(db: Sql, rows: Row[]): Promise<OrganizationRecord[]> {
  const orgs = rows.map((r) => ({ ...fromRow<OrganizationRecord>(ORG_COLUMNS, r), members: [] as OrgMember[], teams: [] as string[] }));
  if (!orgs.length) return orgs;
  const ids = JSON.stringify(orgs.map((o) => o.organization_id));
  const byId = new Map(orgs.map((o) => [o.organization_id, o]));
  const members = await db.query<{ organization_id: string; user_id: string; user_role: string }>(
    `SELECT organization_id, user_id, user_role FROM igw_org_members
     WHERE organization_id IN (${db.dialect.elements(1)}) ORDER BY organization_id, user_id`,
    [ids],
  );
  for (const m of members) byId.get(m.organization_id)?.members.push({ ...m, user_role: m.user_role as OrgRole });
  const teams = await db.query<{ organization_id: string; team_id: string }>(
    `SELECT organization_id, team_id FROM igw_teams WHERE organization_id IN (${db.dialect.elements(1)}) ORDER BY team_id`,
    [ids],
  );
  for (const t of teams) byId.get(t.organization_id)?.teams.push(t.team_id);
  return orgs;
}
