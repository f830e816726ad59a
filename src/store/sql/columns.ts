// Typed column lists per table, and the three things built from them: INSERT, UPDATE … SET from a patch,
// and row → record conversion. Values go as parameters with an explicit cast, so PGlite and node-postgres
// see the same types; JSON columns are sent as JSON text.
import type { Row } from './driver.ts';

export type ColumnKind = 'text' | 'float' | 'int' | 'bool' | 'json' | 'time';
export type Columns = Readonly<Record<string, ColumnKind>>;

const CAST: Record<ColumnKind, string> = { text: 'text', float: 'float8', int: 'int8', bool: 'boolean', json: 'jsonb', time: 'timestamptz' };

export const LIMIT_COLUMNS: Columns = {
  max_budget: 'float',
  soft_budget: 'float',
  budget_duration: 'text',
  budget_reset_at: 'time',
  rpm_limit: 'int',
  tpm_limit: 'int',
  max_parallel_requests: 'int',
  model_max_budget: 'json',
  model_rpm_limit: 'json',
  model_tpm_limit: 'json',
};

const TIMESTAMPS: Columns = { created_at: 'time', updated_at: 'time' };

export const KEY_COLUMNS: Columns = {
  token: 'text',
  key_name: 'text',
  key_alias: 'text',
  user_id: 'text',
  team_id: 'text',
  organization_id: 'text',
  models: 'json',
  spend: 'float',
  expires: 'time',
  metadata: 'json',
  tags: 'json',
  blocked: 'bool',
  created_by: 'text',
  budget_id: 'text',
  ...LIMIT_COLUMNS,
  ...TIMESTAMPS,
};

export const USER_COLUMNS: Columns = {
  user_id: 'text',
  user_alias: 'text',
  user_email: 'text',
  user_role: 'text',
  models: 'json',
  spend: 'float',
  metadata: 'json',
  budget_id: 'text',
  ...LIMIT_COLUMNS,
  ...TIMESTAMPS,
};

export const TEAM_COLUMNS: Columns = {
  team_id: 'text',
  team_alias: 'text',
  organization_id: 'text',
  models: 'json',
  spend: 'float',
  blocked: 'bool',
  metadata: 'json',
  budget_id: 'text',
  ...LIMIT_COLUMNS,
  ...TIMESTAMPS,
};

export const ORG_COLUMNS: Columns = {
  organization_id: 'text',
  organization_alias: 'text',
  models: 'json',
  spend: 'float',
  metadata: 'json',
  budget_id: 'text',
  ...LIMIT_COLUMNS,
  ...TIMESTAMPS,
};

export const END_USER_COLUMNS: Columns = {
  user_id: 'text',
  alias: 'text',
  blocked: 'bool',
  spend: 'float',
  allowed_model_region: 'text',
  default_model: 'text',
  metadata: 'json',
  budget_id: 'text',
  ...LIMIT_COLUMNS,
  ...TIMESTAMPS,
};

export const BUDGET_COLUMNS: Columns = { budget_id: 'text', ...LIMIT_COLUMNS, ...TIMESTAMPS };

export const SPEND_LOG_COLUMNS: Columns = {
  request_id: 'text',
  api_key: 'text',
  user_id: 'text',
  team_id: 'text',
  organization_id: 'text',
  end_user: 'text',
  model: 'text',
  deployment: 'text',
  call_type: 'text',
  prompt_tokens: 'int',
  completion_tokens: 'int',
  total_tokens: 'int',
  cached_read_tokens: 'int',
  cache_write_tokens: 'int',
  reasoning_tokens: 'int',
  spend: 'float',
  start_time: 'time',
  end_time: 'time',
  latency_ms: 'float',
  status: 'text',
  error_code: 'text',
  cache_hit: 'bool',
  tags: 'json',
  metadata: 'json',
};

function param(kind: ColumnKind, value: unknown): unknown {
  if (value === null) return null;
  if (kind === 'json') return JSON.stringify(value);
  if (kind === 'bool') return value ? 'true' : 'false';
  return value;
}

/** The columns of `cols` that `input` sets (undefined is "not given"). */
function given(cols: Columns, input: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(input).filter((k) => k in cols && input[k] !== undefined && k !== 'created_at' && k !== 'updated_at');
}

/** `INSERT INTO table (…) VALUES (…) RETURNING *` for the given fields; the rest take their defaults. */
export function insertSql(table: string, cols: Columns, input: Readonly<Record<string, unknown>>, now: string): { text: string; params: unknown[] } {
  const names = given(cols, input);
  const params = names.map((n) => param(cols[n], input[n]));
  const values = names.map((n, i) => `$${i + 1}::${CAST[cols[n]]}`);
  params.push(now, now);
  names.push('created_at', 'updated_at');
  values.push(`$${params.length - 1}::timestamptz`, `$${params.length}::timestamptz`);
  return { text: `INSERT INTO ${table} (${names.join(', ')}) VALUES (${values.join(', ')}) RETURNING *`, params };
}

/**
 * `UPDATE table SET … WHERE idColumn = $1 RETURNING *` for the fields the patch gives (plus updated_at).
 * `fixed` fields are never updated even when present.
 */
export function updateSql(
  table: string,
  cols: Columns,
  idColumn: string,
  id: string,
  patch: Readonly<Record<string, unknown>>,
  now: string,
  fixed: readonly string[] = [],
): { text: string; params: unknown[] } {
  const names = given(cols, patch).filter((n) => n !== idColumn && !fixed.includes(n));
  const params: unknown[] = [id, now];
  const sets = ['updated_at = $2::timestamptz'];
  for (const n of names) {
    params.push(param(cols[n], patch[n]));
    sets.push(`${n} = $${params.length}::${CAST[cols[n]]}`);
  }
  return { text: `UPDATE ${table} SET ${sets.join(', ')} WHERE ${idColumn} = $1 RETURNING *`, params };
}

/** Converts a row to plain JS values: int8 strings to numbers, times to ISO strings, JSON text parsed. */
export function fromRow<T>(cols: Columns, row: Row): T {
  const out: Record<string, unknown> = {};
  for (const name in cols) {
    if (!(name in row)) continue;
    out[name] = fromValue(cols[name], row[name]);
  }
  return out as T;
}

function fromValue(kind: ColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'int':
    case 'float':
      return Number(v);
    case 'time':
      return (v instanceof Date ? v : new Date(String(v))).toISOString();
    case 'json':
      return typeof v === 'string' ? JSON.parse(v) : v;
    case 'bool':
      return v === true || v === 't' || v === 'true';
    default:
      return v;
  }
}

/** Clamps a 1-based page request to LIMIT/OFFSET. */
export function pageOf(page: number | undefined, size: number | undefined, maxSize = 1000): { limit: number; offset: number; page: number; size: number } {
  const s = Math.min(Math.max(Math.trunc(size ?? 50), 1), maxSize);
  const p = Math.max(Math.trunc(page ?? 1), 1);
  return { limit: s, offset: (p - 1) * s, page: p, size: s };
}

/** Builds `WHERE a = $n AND …` from optional equality filters, appending to `params`. */
export class Where {
  readonly params: unknown[];
  private readonly parts: string[] = [];

  constructor(params: unknown[] = []) {
    this.params = params;
  }

  eq(column: string, value: string | undefined): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.parts.push(`${column} = $${this.params.length}`);
    return this;
  }

  anyOf(column: string, values: readonly string[] | undefined): this {
    if (values === undefined) return this;
    this.params.push(JSON.stringify(values));
    this.parts.push(`${column} IN (SELECT jsonb_array_elements_text($${this.params.length}::jsonb))`);
    return this;
  }

  raw(clause: string, ...values: unknown[]): this {
    let text = clause;
    for (const v of values) {
      this.params.push(v);
      text = text.replace('?', `$${this.params.length}`);
    }
    this.parts.push(text);
    return this;
  }

  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
