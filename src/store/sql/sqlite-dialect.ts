// SQLite's spelling of the dialect (node:sqlite). JSON lives in text columns and is read with json_each and the
// -> / ->> operators; times are ISO-8601 UTC text exactly as Date.prototype.toISOString() writes them, so that
// text order is time order; booleans are 0 and 1. https://sqlite.org/json1.html, https://sqlite.org/lang_upsert.html
import { StoreError } from '../types.ts';
import type { ColumnKind, Columns, Constraint, Dialect, InsertStatement, Violation } from './dialect.ts';

/**
 * Plain left-to-right float addition, registered on every connection by the driver. SQLite's own sum() is
 * compensated (Kahan-Babushka-Neumaier, https://sqlite.org/lang_aggfunc.html#sumunc), so it would equal
 * neither the `spend` columns, which are added to one batch at a time, nor PostgreSQL's sum().
 */
export const FLOAT_SUM = 'igw_float_sum';

/** Extended result codes: https://sqlite.org/rescode.html */
const CONSTRAINT_FOREIGNKEY = 787;
const CONSTRAINT_PRIMARYKEY = 1555;
const CONSTRAINT_UNIQUE = 2067;

interface SqliteErrorLike {
  code?: string;
  errcode?: number;
  message?: string;
}

/** toISOString()'s form, with month, day (up to 31), hours, minutes and seconds in their ranges. */
const STORED_TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * The text is what toISOString() writes for its time. Checked without parsing a date (a regular expression
 * costs a fifth of Date.parse), except for days 29-31, which Date would roll into the next month where they
 * do not exist.
 */
function isStoredTime(v: string): boolean {
  if (!STORED_TIME.test(v)) return false;
  const day = (v.charCodeAt(8) - 48) * 10 + v.charCodeAt(9) - 48;
  return day <= 28 || new Date(v).getUTCDate() === day;
}

/** A time as stored: ISO-8601 UTC with milliseconds. Anything Date cannot read is the caller's fault. */
function isoTime(v: unknown): string {
  // Already in the stored form (spend-log rows, every one of them): as it is.
  if (typeof v === 'string' && isStoredTime(v)) return v;
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' || typeof v === 'number' ? new Date(v).getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new StoreError('invalid', `'${String(v)}' is not a time (use an ISO-8601 time)`);
  return new Date(t).toISOString();
}

function value(kind: ColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'json') return JSON.stringify(v);
  if (kind === 'bool') return v ? 1 : 0;
  if (kind === 'time') return isoTime(v);
  return v;
}

/** `UNIQUE constraint failed: igw_keys.key_alias` (several columns: `t.a, t.b`) → the one column's constraint. */
function uniqueField(message: string, constraints: readonly Constraint[]): string | null {
  const m = /constraint failed: (\w+)\.(\w+)$/.exec(message);
  if (!m) return null;
  const [, table, column] = m;
  return constraints.find((c) => c.kind === 'unique' && c.table === table && c.column === column)?.column ?? null;
}

/**
 * SQLite does not say which foreign key failed. A statement that can break only one reference (every caller's
 * case: a team's organization) has broken that one; otherwise the field is unknown.
 */
function referenceField(constraints: readonly Constraint[]): string | null {
  const refs = constraints.filter((c) => c.kind === 'reference');
  return refs.length === 1 ? refs[0].column : null;
}

const insertTexts = new Map<string, string>();
/** A text per table, column set and row count: a few dozen in practice; past this many the cache starts over. */
const MAX_INSERT_TEXTS = 1_000;

/**
 * Rows per multi-row INSERT. Without RETURNING (which costs more than it saves), its change count says only
 * whether every row was fresh, the case of all but a retried batch. Measured on 100-row spend-log batches in
 * a WAL file: one-row INSERTs take 30% less CPU per row than INSERTs of up to 64 rows with RETURNING, and
 * 100-row INSERTs without it 15% less again. Batches are cut into the sizes here, so that few statements are
 * prepared; the last few rows go one per INSERT, whose change count says whether the row was fresh.
 */
const MULTI_ROW_SIZES = [100, 10] as const;

/**
 * An INSERT of `rows` rows. Plain `?` parameters, bound in order: node:sqlite binds numbered ones (`?NNN`) at
 * a cost that grows with their count.
 */
function insertText(table: string, names: readonly string[], key: string, rows: number): string {
  const id = `${table} ${rows} ${names.join(',')}`;
  let text = insertTexts.get(id);
  if (text === undefined) {
    const tuple = `(${names.map(() => '?').join(', ')})`;
    text = `INSERT INTO ${table} (${names.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')} ON CONFLICT (${key}) DO NOTHING`;
    if (insertTexts.size >= MAX_INSERT_TEXTS) insertTexts.clear();
    insertTexts.set(id, text);
  }
  return text;
}

export const sqliteDialect: Dialect = {
  schema: {
    int: 'integer',
    float: 'real',
    bool: 'integer',
    json: 'text',
    time: 'text',
    now: `(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    false: '0',
    // Types are enforced as declared: https://sqlite.org/stricttables.html
    tableOptions: ' STRICT',
  },

  param: (n) => `?${n}`,

  value,

  elements: (n) => `SELECT value FROM json_each(?${n})`,

  recordset(n, alias, columns: Columns): string {
    // JSON columns keep their JSON text (->); the others take the SQL value of the element (->>).
    const fields = Object.entries(columns).map(([name, kind]) => `value ${kind === 'json' ? '->' : '->>'} '$.${name}' AS ${name}`);
    return `(SELECT ${fields.join(', ')} FROM json_each(?${n})) AS ${alias}`;
  },

  insertMissing(table, columns, key, rows): InsertStatement[] {
    const names = Object.keys(columns);
    const kinds = names.map((n) => columns[n]);
    const width = names.length;
    const params = new Array<unknown>(rows.length * width);
    const keys = new Array<unknown>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Record<string, unknown>;
      for (let i = 0; i < width; i++) params[r * width + i] = value(kinds[i], row[names[i]]);
      keys[r] = row[key];
    }
    const single = insertText(table, names, key, 1);
    const oneByOne = (from: number, to: number): InsertStatement[] =>
      keys.slice(from, to).map((k, i) => ({ text: single, params: params.slice((from + i) * width, (from + i + 1) * width), freshBy: 'changes', key: k }));
    const statements: InsertStatement[] = [];
    let at = 0;
    for (const size of MULTI_ROW_SIZES) {
      for (; rows.length - at >= size; at += size) {
        const from = at;
        const text = insertText(table, names, key, size);
        statements.push({ text, params: params.slice(from * width, (from + size) * width), freshBy: 'all', keys: keys.slice(from, from + size), each: () => oneByOne(from, from + size) });
      }
    }
    statements.push(...oneByOne(at, rows.length));
    return statements;
  },

  forUpdate: '',

  // BEGIN IMMEDIATE (every transaction of the driver) already holds the database's one write lock.
  transactionLock: () => null,

  day: (column) => `substr(${column}, 1, 10)`,

  floatSum: (column) => `${FLOAT_SUM}(${column})`,

  arrayHas: (column, n) => `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?${n})`,

  expand: (column) => ({ join: ` LEFT JOIN json_each(${column}) AS x`, element: 'x.value' }),

  violation(err: unknown, constraints: readonly Constraint[]): Violation | null {
    const e = err as SqliteErrorLike;
    if (e.code !== 'ERR_SQLITE_ERROR') return null;
    if (e.errcode === CONSTRAINT_UNIQUE || e.errcode === CONSTRAINT_PRIMARYKEY) {
      return { kind: 'unique', field: uniqueField(e.message ?? '', constraints) };
    }
    if (e.errcode === CONSTRAINT_FOREIGNKEY) return { kind: 'reference', field: referenceField(constraints) };
    return null;
  },
};
