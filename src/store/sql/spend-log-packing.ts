// Spend-log rows on their way to the SQLite worker (sqlite-spend-writer.ts → sqlite-spend-worker.ts).
import type { NewSpendLog } from '../types.ts';
import { SPEND_LOG_COLUMNS } from './columns.ts';

/** The fields of a row, in the order they travel. */
const FIELDS = Object.keys(SPEND_LOG_COLUMNS) as (keyof NewSpendLog)[];

/**
 * Rows travel as arrays of their values: the structured clone of an object writes every key's name again,
 * and a batch of 100 rows took 2.5x as long to post as objects (on the event loop) as it does as arrays.
 */
export function packRows(rows: readonly NewSpendLog[]): unknown[][] {
  return rows.map((row) => FIELDS.map((f) => row[f]));
}

export function unpackRows(packed: readonly (readonly unknown[])[]): NewSpendLog[] {
  return packed.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < FIELDS.length; i++) if (values[i] !== undefined) row[FIELDS[i]] = values[i];
    return row as unknown as NewSpendLog;
  });
}
