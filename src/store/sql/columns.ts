// Typed column lists per table, and the three things built from them: INSERT, UPDATE … SET from a patch,
// and row → record conversion. Values go as parameters in the dialect's spelling (with a cast where the engine
// needs one); JSON columns are sent as JSON text.
import type { ColumnKind, Columns, Dialect, Statement } from './dialect.ts';
import type { Row } from './driver.ts';

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

/** The columns of `cols` that `input` sets (undefined is "not given"). */
function given(cols: Columns, input: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(input).filter((k) => k in cols && input[k] !== undefined && k !== 'created_at' && k !== 'updated_at');
}

/** `INSERT INTO table (…) VALUES (…) RETURNING *` for the given fields; the rest take their defaults. */
export function insertSql(d: Dialect, table: string, cols: Columns, input: Readonly<Record<string, unknown>>, now: string): Statement {
  const names = given(cols, input);
  const params = names.map((n) => d.value(cols[n], input[n]));
  const values = names.map((n, i) => d.param(i + 1, cols[n]));
  params.push(d.value('time', now), d.value('time', now));
  names.push('created_at', 'updated_at');
  values.push(d.param(params.length - 1, 'time'), d.param(params.length, 'time'));
  return { text: `INSERT INTO ${table} (${names.join(', ')}) VALUES (${values.join(', ')}) RETURNING *`, params };
}

/**
 * `UPDATE table SET … WHERE idColumn = <param 1> RETURNING *` for the fields the patch gives (plus updated_at).
 * `fixed` fields are never updated even when present.
 */
export function updateSql(
  d: Dialect,
  table: string,
  cols: Columns,
  idColumn: string,
  id: string,
  patch: Readonly<Record<string, unknown>>,
  now: string,
  fixed: readonly string[] = [],
): Statement {
  const names = given(cols, patch).filter((n) => n !== idColumn && !fixed.includes(n));
  const params: unknown[] = [id, d.value('time', now)];
  const sets = [`updated_at = ${d.param(2, 'time')}`];
  for (const n of names) {
    params.push(d.value(cols[n], patch[n]));
    sets.push(`${n} = ${d.param(params.length, cols[n])}`);
  }
  return { text: `UPDATE ${table} SET ${sets.join(', ')} WHERE ${idColumn} = ${d.param(1)} RETURNING *`, params };
}

/**
 * Converts a row to plain JS values: int8 strings to numbers, times (Date or ISO text) to ISO strings, JSON
 * text parsed, booleans (or SQLite's 0 and 1) to booleans.
 */
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
      return v === true || v === 1;
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

/** Builds `WHERE a = <param n> AND …` from optional filters, appending to `params`. */
export class Where {
  readonly params: unknown[];
  private readonly d: Dialect;
  private readonly parts: string[] = [];

  constructor(d: Dialect, params: unknown[] = []) {
    this.d = d;
    this.params = params;
  }

  eq(column: string, value: string | undefined): this {
    if (value === undefined) return this;
    return this.raw(`${column} = ?`, value);
  }

  anyOf(column: string, values: readonly string[] | undefined): this {
    if (values === undefined) return this;
    this.params.push(JSON.stringify(values));
    this.parts.push(`${column} IN (${this.d.elements(this.params.length)})`);
    return this;
  }

  /** The JSON array column holds `value`. */
  has(column: string, value: string | undefined): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.parts.push(this.d.arrayHas(column, this.params.length));
    return this;
  }

  /** `column op value` for a column of `kind`. */
  compare(column: string, op: '<' | '<=' | '>=' | '>', kind: ColumnKind, value: unknown): this {
    this.params.push(this.d.value(kind, value));
    this.parts.push(`${column} ${op} ${this.d.param(this.params.length, kind)}`);
    return this;
  }

  /** A condition with a `?` for each of `values`, in order. */
  raw(clause: string, ...values: unknown[]): this {
    const pieces = clause.split('?');
    let text = pieces[0];
    for (let i = 1; i < pieces.length; i++) {
      this.params.push(values[i - 1]);
      text += this.d.param(this.params.length) + pieces[i];
    }
    this.parts.push(text);
    return this;
  }

  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
