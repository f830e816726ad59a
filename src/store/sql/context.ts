// What every repository gets: the engine and the clock.
import { addDuration } from '../duration.ts';
import type { SqlDriver } from './driver.ts';

export interface RepoContext {
  db: SqlDriver;
  now: () => Date;
}

/**
 * Sets `budget_reset_at` from `budget_duration` when the caller gives a duration but no reset time:
 * a new or changed duration starts its first period now. A cleared duration clears the reset time.
 */
export function withBudgetReset<T extends { budget_duration?: string | null; budget_reset_at?: string | null }>(input: T, now: Date): T {
  if (input.budget_reset_at !== undefined || input.budget_duration === undefined) return input;
  if (input.budget_duration === null) return { ...input, budget_reset_at: null };
  return { ...input, budget_reset_at: addDuration(now, input.budget_duration).toISOString() };
}
