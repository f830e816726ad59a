// The one seam between the SQL repositories and an engine: node:sqlite and node-postgres both speak it, and
// each brings the dialect its SQL is written in.
import { StoreError, type StoreEngine } from '../types.ts';
import type { Constraint, Dialect } from './dialect.ts';

export type Row = Record<string, unknown>;

export interface Sql {
  readonly dialect: Dialect;
  /** One statement with parameters written as `dialect.param(n)`; returns its rows. */
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** One statement with parameters, run for its effect; returns the number of rows it inserted, updated or deleted. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

export interface SqlDriver extends Sql {
  readonly engine: StoreEngine;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R>;
  /** Several statements, no parameters. */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Maps a database error to a StoreError where the caller can act on it (duplicates, missing references);
 * anything else is rethrown as it is. `constraints` are those the failed statements could break.
 */
export function mapDbError(dialect: Dialect, err: unknown, constraints: readonly Constraint[] = []): never {
  const v = dialect.violation(err, constraints);
  if (v?.kind === 'unique') throw new StoreError('conflict', `${v.field ?? 'a unique field'} already exists`, v.field);
  if (v?.kind === 'reference') throw new StoreError('not_found', `${v.field ?? 'a referenced record'} does not exist`, v.field);
  throw err;
}
