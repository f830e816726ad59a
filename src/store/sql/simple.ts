// End-users (customers) and budgets: single-table records with the same CRUD shape.
import type { BudgetPatch, BudgetRecord, BudgetRepository, EndUserPatch, EndUserRecord, EndUserRepository, NewBudget, NewEndUser, Page, PageRequest } from '../types.ts';
import { StoreError } from '../types.ts';
import { BUDGET_COLUMNS, END_USER_COLUMNS, fromRow, insertSql, pageOf, updateSql } from './columns.ts';
import { withBudgetReset, type RepoContext } from './context.ts';
import type { Columns, Constraint, Dialect } from './dialect.ts';
import { mapDbError } from './driver.ts';

type Limited = { budget_duration?: string | null; budget_reset_at?: string | null };

/** CRUD over one table keyed by one text column. */
class SimpleTable<T, N extends Limited, P extends Limited> {
  protected readonly ctx: RepoContext;
  private readonly table: string;
  private readonly cols: Columns;
  private readonly id: string;

  constructor(ctx: RepoContext, table: string, cols: Columns, id: string) {
    this.ctx = ctx;
    this.table = table;
    this.cols = cols;
    this.id = id;
  }

  protected get d(): Dialect {
    return this.ctx.db.dialect;
  }

  protected row(r: Record<string, unknown>): T {
    return fromRow<T>(this.cols, r);
  }

  async create(input: N): Promise<T> {
    const now = this.ctx.now();
    const q = insertSql(this.d, this.table, this.cols, withBudgetReset(input, now), now.toISOString());
    const pkey: Constraint = { kind: 'unique', name: `${this.table}_pkey`, table: this.table, column: this.id };
    const rows = await this.ctx.db.query(q.text, q.params).catch((err) => mapDbError(this.d, err, [pkey]));
    return this.row(rows[0]);
  }

  async get(id: string): Promise<T | null> {
    const rows = await this.ctx.db.query(`SELECT * FROM ${this.table} WHERE ${this.id} = ${this.d.param(1)}`, [id]);
    return rows.length ? this.row(rows[0]) : null;
  }

  async update(id: string, patch: P): Promise<T | null> {
    const now = this.ctx.now();
    const q = updateSql(this.d, this.table, this.cols, this.id, id, withBudgetReset(patch, now), now.toISOString(), ['spend']);
    const rows = await this.ctx.db.query(q.text, q.params);
    return rows.length ? this.row(rows[0]) : null;
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    const rows = await this.ctx.db.query<Record<string, string>>(
      `DELETE FROM ${this.table} WHERE ${this.id} IN (${this.d.elements(1)}) RETURNING ${this.id}`,
      [JSON.stringify(ids)],
    );
    return rows.map((r) => r[this.id]);
  }

  async list(filter: PageRequest = {}): Promise<Page<T>> {
    const { limit, offset } = pageOf(filter.page, filter.size);
    const count = await this.ctx.db.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${this.table}`);
    const rows = await this.ctx.db.query(`SELECT * FROM ${this.table} ORDER BY created_at, ${this.id} LIMIT ${limit} OFFSET ${offset}`);
    return { rows: rows.map((r) => this.row(r)), total: Number(count[0].n) };
  }
}

export class SqlEndUsers extends SimpleTable<EndUserRecord, NewEndUser, EndUserPatch> implements EndUserRepository {
  constructor(ctx: RepoContext) {
    super(ctx, 'igw_end_users', END_USER_COLUMNS, 'user_id');
  }
}

const BUDGET_USERS = ['igw_keys', 'igw_users', 'igw_teams', 'igw_organizations', 'igw_end_users'];

export class SqlBudgets extends SimpleTable<BudgetRecord, NewBudget, BudgetPatch> implements BudgetRepository {
  constructor(ctx: RepoContext) {
    super(ctx, 'igw_budgets', BUDGET_COLUMNS, 'budget_id');
  }

  async getMany(budgetIds: readonly string[]): Promise<BudgetRecord[]> {
    if (!budgetIds.length) return [];
    const rows = await this.ctx.db.query(`SELECT * FROM igw_budgets WHERE budget_id IN (${this.d.elements(1)})`, [JSON.stringify(budgetIds)]);
    return rows.map((r) => this.row(r));
  }

  override async delete(ids: readonly string[]): Promise<string[]> {
    const list = JSON.stringify(ids);
    for (const table of BUDGET_USERS) {
      const used = await this.ctx.db.query<{ budget_id: string }>(
        `SELECT budget_id FROM ${table} WHERE budget_id IN (${this.d.elements(1)}) LIMIT 1`,
        [list],
      );
      if (used.length) {
        const what = table.replace('igw_', '').replace(/s$/, '').replace('_', '-');
        throw new StoreError('conflict', `budget '${used[0].budget_id}' is still used by a ${what}; remove it there first`, 'budget_id');
      }
    }
    return super.delete(ids);
  }
}
