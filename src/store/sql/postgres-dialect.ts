// PostgreSQL's spelling of the dialect (node-postgres): `$n::type` parameters, jsonb
// functions for JSON parameters, row locks, and errors that name the constraint they broke.
import type { ColumnKind, Columns, Constraint, Dialect, InsertStatement, Violation } from './dialect.ts';

/** Every parameter is sent as text with an explicit cast, so the server never has to guess a type. */
const CAST: Record<ColumnKind, string> = { text: 'text', float: 'float8', int: 'int8', bool: 'boolean', json: 'jsonb', time: 'timestamptz' };

/** SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

interface PgErrorLike {
  code?: string;
  constraint?: string;
}

function recordsetColumns(columns: Columns): string {
  return Object.entries(columns)
    .map(([name, kind]) => `${name} ${CAST[kind]}`)
    .join(', ');
}

export const postgresDialect: Dialect = {
  schema: {
    int: 'bigint',
    float: 'double precision',
    bool: 'boolean',
    json: 'jsonb',
    time: 'timestamptz',
    now: 'now()',
    false: 'false',
    tableOptions: '',
  },

  param: (n, kind) => (kind ? `$${n}::${CAST[kind]}` : `$${n}`),

  value(kind, v) {
    if (v === null || v === undefined) return null;
    if (kind === 'json') return JSON.stringify(v);
    if (kind === 'bool') return v ? 'true' : 'false';
    return v;
  },

  elements: (n) => `SELECT jsonb_array_elements_text($${n}::jsonb)`,

  recordset: (n, alias, columns) => `jsonb_to_recordset($${n}::jsonb) AS ${alias}(${recordsetColumns(columns)})`,

  insertMissing(table, columns, key, rows): InsertStatement[] {
    const names = Object.keys(columns).join(', ');
    return [
      {
        text: `INSERT INTO ${table} (${names})
               SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${recordsetColumns(columns)})
               ON CONFLICT (${key}) DO NOTHING RETURNING ${key}`,
        params: [JSON.stringify(rows)],
        freshBy: 'returning',
      },
    ];
  },

  forUpdate: ' FOR UPDATE',

  transactionLock: (id) => `SELECT pg_advisory_xact_lock(${Math.trunc(id)})`,

  day: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,

  floatSum: (column) => `sum(${column})`,

  arrayHas: (column, n) => `${column} @> jsonb_build_array($${n}::text)`,

  expand: (column) => ({ join: ` LEFT JOIN LATERAL jsonb_array_elements_text(${column}) AS x(element) ON true`, element: 'x.element' }),

  violation(err: unknown, constraints: readonly Constraint[]): Violation | null {
    const e = err as PgErrorLike;
    const kind = e.code === UNIQUE_VIOLATION ? 'unique' : e.code === FOREIGN_KEY_VIOLATION ? 'reference' : null;
    if (!kind) return null;
    return { kind, field: constraints.find((c) => c.name === e.constraint)?.column ?? null };
  },
};
