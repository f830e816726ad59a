// Virtual keys, stored by the SHA-256 hex of the key (`token`); the key itself never reaches the store.
import type { KeyFilter, KeyPatch, KeyRecord, KeyRepository, NewKey, Page } from '../types.ts';
import { KEY_COLUMNS, Where, fromRow, insertSql, pageOf, updateSql } from './columns.ts';
import { withBudgetReset, type RepoContext } from './context.ts';
import { mapDbError } from './driver.ts';

const CONSTRAINTS = { igw_keys_alias_key: 'key_alias', igw_keys_pkey: 'token' };
const toKey = (row: Record<string, unknown>): KeyRecord => fromRow<KeyRecord>(KEY_COLUMNS, row);

export class SqlKeys implements KeyRepository {
  private readonly ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.ctx = ctx;
  }

  async create(input: NewKey): Promise<KeyRecord> {
    const now = this.ctx.now();
    const q = insertSql('igw_keys', KEY_COLUMNS, withBudgetReset(input, now), now.toISOString());
    const rows = await this.ctx.db.query(q.text, q.params).catch((err) => mapDbError(err, CONSTRAINTS));
    return toKey(rows[0]);
  }

  async get(token: string): Promise<KeyRecord | null> {
    const rows = await this.ctx.db.query('SELECT * FROM igw_keys WHERE token = $1', [token]);
    return rows.length ? toKey(rows[0]) : null;
  }

  async getByAlias(alias: string): Promise<KeyRecord | null> {
    const rows = await this.ctx.db.query('SELECT * FROM igw_keys WHERE key_alias = $1', [alias]);
    return rows.length ? toKey(rows[0]) : null;
  }

  async update(token: string, patch: KeyPatch): Promise<KeyRecord | null> {
    const now = this.ctx.now();
    const q = updateSql('igw_keys', KEY_COLUMNS, 'token', token, withBudgetReset(patch, now), now.toISOString(), ['key_name', 'spend', 'created_by']);
    const rows = await this.ctx.db.query(q.text, q.params).catch((err) => mapDbError(err, CONSTRAINTS));
    return rows.length ? toKey(rows[0]) : null;
  }

  async delete(tokens: readonly string[]): Promise<string[]> {
    const rows = await this.ctx.db.query<{ token: string }>(
      'DELETE FROM igw_keys WHERE token IN (SELECT jsonb_array_elements_text($1::jsonb)) RETURNING token',
      [JSON.stringify(tokens)],
    );
    return rows.map((r) => r.token);
  }

  async list(filter: KeyFilter = {}): Promise<Page<KeyRecord>> {
    const where = new Where()
      .eq('user_id', filter.user_id)
      .eq('team_id', filter.team_id)
      .anyOf('team_id', filter.team_ids)
      .eq('organization_id', filter.organization_id)
      .eq('key_alias', filter.key_alias);
    const { limit, offset } = pageOf(filter.page, filter.size);
    const count = await this.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM igw_keys ${where}`, where.params);
    const rows = await this.ctx.db.query(
      `SELECT * FROM igw_keys ${where} ORDER BY created_at DESC, token LIMIT ${limit} OFFSET ${offset}`,
      where.params,
    );
    return { rows: rows.map(toKey), total: Number(count[0].n) };
  }

  async rotate(oldToken: string, newToken: string, newKeyName: string, patch: KeyPatch = {}): Promise<KeyRecord | null> {
    const now = this.ctx.now();
    return this.ctx.db
      .transaction(async (tx) => {
        const moved = await tx.query(
          'UPDATE igw_keys SET token = $2, key_name = $3, updated_at = $4::timestamptz WHERE token = $1 RETURNING *',
          [oldToken, newToken, newKeyName, now.toISOString()],
        );
        if (!moved.length) return null;
        const q = updateSql('igw_keys', KEY_COLUMNS, 'token', newToken, withBudgetReset(patch, now), now.toISOString(), ['key_name', 'spend', 'created_by']);
        const rows = await tx.query(q.text, q.params);
        return toKey(rows[0]);
      })
      .catch((err) => mapDbError(err, CONSTRAINTS));
  }
}
