// The one seam between the SQL repositories and an engine: PGlite and node-postgres both speak it.
import { StoreError, type StoreEngine } from '../types.ts';

export type Row = Record<string, unknown>;

export interface Sql {
  /** One statement with `$1…` parameters; returns its rows. */
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface SqlDriver extends Sql {
  readonly engine: StoreEngine;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R>;
  /** Several statements, no parameters (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

interface PgErrorLike {
  code?: string;
  constraint?: string;
  detail?: string;
}

/**
 * Maps a database error to a StoreError where the caller can act on it (duplicates, missing references);
 * anything else is rethrown as it is. `fields` maps constraint names to the input field at fault.
 */
export function mapDbError(err: unknown, fields: Record<string, string> = {}): never {
  const e = err as PgErrorLike;
  const field = (e.constraint && fields[e.constraint]) ?? null;
  if (e.code === '23505') throw new StoreError('conflict', `${field ?? 'a unique field'} already exists`, field);
  if (e.code === '23503') throw new StoreError('not_found', `${field ?? 'a referenced record'} does not exist`, field);
  throw err;
}
