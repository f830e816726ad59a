// What the repositories' SQL needs from an engine and the engines spell differently: parameters and their
// types, JSON arrays and recordsets given as parameters, row locks, day buckets, schema words, and how a
// broken constraint is reported. One set of repositories builds its statements through this seam.

export type ColumnKind = 'text' | 'float' | 'int' | 'bool' | 'json' | 'time';
export type Columns = Readonly<Record<string, ColumnKind>>;

/** One statement and its parameters. */
export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * A statement of Dialect.insertMissing, and how it tells which rows it inserted: `returning`, it returns a row
 * holding the key of each; `changes`, it inserts at most the one row keyed `key`, and its change count (Sql.run)
 * is 1 when it did; `all`, it inserts the rows keyed `keys`, and when its change count is less than their number
 * it does not say which were skipped: it is then undone (run it in a savepoint) and `each` run instead.
 */
export type InsertStatement = Statement &
  ({ freshBy: 'returning' } | { freshBy: 'changes'; key: unknown } | { freshBy: 'all'; keys: unknown[]; each(): InsertStatement[] });

/** Column types and defaults in the engine's words: migrations are written once, in these. */
export interface SchemaWords {
  int: string;
  float: string;
  bool: string;
  json: string;
  time: string;
  /** The column default for "the time of the insert". */
  now: string;
  false: string;
  /** Appended after a CREATE TABLE's closing parenthesis. */
  tableOptions: string;
}

/**
 * A unique or foreign-key constraint that a repository reports as a fault of one input field. Records are
 * named after their columns, so the field at fault is the constraint's column.
 */
export interface Constraint {
  kind: 'unique' | 'reference';
  /** The name PostgreSQL knows it by (given in the migration, or Postgres's default `<table>_pkey`, …). */
  name: string;
  table: string;
  column: string;
}

/** A broken constraint, read from an engine error; `field` is null when the error does not say which. */
export interface Violation {
  kind: 'unique' | 'reference';
  field: string | null;
}

export interface Dialect {
  readonly schema: SchemaWords;
  /** The n-th (1-based) parameter, typed as a column of `kind` where the engine needs to be told. */
  param(n: number, kind?: ColumnKind): string;
  /** A JS value as the parameter for a column of `kind`; null (and undefined) as null. */
  value(kind: ColumnKind, v: unknown): unknown;
  /** A sub-select of the strings of the JSON array given as parameter n: `col IN (…)`. */
  elements(n: number): string;
  /**
   * A FROM item: the objects of the JSON array given as parameter n as rows of typed `columns`, named `alias`.
   * Times in the JSON must be written by toISOString(): SQLite stores and compares them as that text.
   */
  recordset(n: number, alias: string, columns: Columns): string;
  /**
   * Statements inserting `rows` into `table` in their order, skipping those whose `key` column already exists
   * (a key repeated in `rows` is inserted once, from its first row). `rows` hold every column of `columns`.
   */
  insertMissing(table: string, columns: Columns, key: string, rows: readonly object[]): InsertStatement[];
  /** Appended to a SELECT in a transaction that goes on to update the rows it read. */
  readonly forUpdate: string;
  /** A statement holding lock `id` until the transaction ends; null where write transactions already exclude each other. */
  transactionLock(id: number): string | null;
  /** The UTC day of a time column, `YYYY-MM-DD`. */
  day(column: string): string;
  /** Sum of a float column, added in row order as JS (and PostgreSQL's `sum(float8)`) add. */
  floatSum(column: string): string;
  /** A condition: the JSON array column `column` holds the string parameter n. */
  arrayHas(column: string, n: number): string;
  /**
   * Expands each row into one per element of the JSON array column `column` (one row with null when empty):
   * `join` follows the FROM item, `element` is the element's expression.
   */
  expand(column: string): { join: string; element: string };
  /** The constraint an engine error reports as broken, among those the statement could break; null: not one. */
  violation(err: unknown, constraints: readonly Constraint[]): Violation | null;
}
