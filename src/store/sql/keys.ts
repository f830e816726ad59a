// Virtual keys, stored by the SHA-256 hex of the key (`token`); the key itself never reaches the store.
import type { KeyFilter, KeyPatch, KeyRecord, KeyRepository, NewKey, Page } from '../types.ts';
import { KEY_COLUMNS, Where, fromRow, insertSql, pageOf, updateSql } from './columns.ts';
import { withBudgetReset, type RepoContext } from './context.ts';
import type { Constraint, Dialect } from './dialect.ts';
import { mapDbError } from './driver.ts';

const CONSTRAINTS: readonly Constraint[] = [
  { kind: 'unique', name: 'igw_keys_pkey', table: 'igw_keys', column: 'token' },
  { kind: 'unique', name: 'igw_keys_alias_key', table: 'igw_keys', column: 'key_alias' },
];
/** Fields update() leaves alone: the name goes with the token (rotate()), spend with the spend logs. */
const FIXED = ['key_name', 'spend', 'created_by'];
const toKey = (row: Record<string, unknown>): KeyRecord => fromRow<KeyRecord>(KEY_COLUMNS, row);

export class SqlKeys implements KeyRepository {
  private readonly ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.ctx = ctx;
  }

  private get d(): Dialect {
    return this.ctx.db.dialect;
  }

  async create(input: NewKey): Promise<KeyRecord> {
    const now = this.ctx.now();
    const q = insertSql(this.d, 'igw_keys', KEY_COLUMNS, withBudgetReset(input, now), now.toISOString());
    const rows = await this.ctx.db.query(q.text, q.params).catch((err) => mapDbError(this.d, err, CONSTRAINTS));
    return toKey(rows[0]);
  }

  async get(token: string): Promise<KeyRecord | null> {
    const rows = await this.ctx.db.query(`SELECT * FROM igw_keys WHERE token = ${this.d.param(1)}`, [token]);
    return rows.length ? toKey(rows[0]) : null;
  }

  async getByAlias(alias: string): Promise<KeyRecord | null> {
    const rows = await this.ctx.db.query(`SELECT * FROM igw_keys WHERE key_alias = ${this.d.param(1)}`, [alias]);
    return rows.length ? toKey(rows[0]) : null;
  }

  async update(token: string, patch: KeyPatch): Promise<KeyRecord | null> {
    const now = this.ctx.now();
    const q = updateSql(this.d, 'igw_keys', KEY_COLUMNS, 'token', token, withBudgetReset(patch, now), now.toISOString(), FIXED);
    const rows = await this.ctx.db.query(q.text, q.params).catch((err) => mapDbError(this.d, err, CONSTRAINTS));
    return rows.length ? toKey(rows[0]) : null;
  }

  async delete(tokens: readonly string[]): Promise<string[]> {
    const rows = await this.ctx.db.query<{ token: string }>(
      `DELETE FROM igw_keys WHERE token IN (${this.d.elements(1)}) RETURNING token`,
      [JSON.stringify(tokens)],
    );
    return rows.map((r) => r.token);
  }

  async list(filter: KeyFilter = {}): Promise<Page<KeyRecord>> {
    const where = new Where(this.d)
      .eq('user_id', filter.user_id)
      .eq('team_id', filter.team_id)
      .anyOf('team_id', filter.team_ids)
      .eq('organization_id', filter.organization_id)
      .eq('key_alias', filter.key_alias);
    const { limit, offset } = pageOf(filter.page, filter.size);
    const count = await this.ctx.db.query<{ n: number | string }>(`SELECT count(*) AS n FROM igw_keys ${where}`, where.params);
    const rows = await this.ctx.db.query(
      `SELECT * FROM igw_keys ${where} ORDER BY created_at DESC, token LIMIT ${limit} OFFSET ${offset}`,
      where.params,
    );
    return { rows: rows.map(toKey), total: Number(count[0].n) };
  }

  async rotate(oldToken: string, newToken: string, newKeyName: string, patch: KeyPatch = {}): Promise<KeyRecord | null> {
    const now = this.ctx.now();
    const d = this.d;
    return this.ctx.db
      .transaction(async (tx) => {
        const moved = await tx.query(
          `UPDATE igw_keys SET token = ${d.param(2)}, key_name = ${d.param(3)}, updated_at = ${d.param(4, 'time')} WHERE token = ${d.param(1)} RETURNING *`,
          [oldToken, newToken, newKeyName, d.value('time', now.toISOString())],
        );
        if (!moved.length) return null;
        const q = updateSql(d, 'igw_keys', KEY_COLUMNS, 'token', newToken, withBudgetReset(patch, now), now.toISOString(), FIXED);
        const rows = await tx.query(q.text, q.params);
        return toKey(rows[0]);
      })
      .catch((err) => mapDbError(d, err, CONSTRAINTS));
  }
}
