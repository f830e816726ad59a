// Budget periods. A budget with a `budget_duration` runs in periods that end at the record's
// `budget_reset_at` and then every duration after it (calendar months for `mo`); the spend of each period is
// its own accumulator in the state backend, so a budget resets exactly on schedule by the clock, whether or
// not the store's periodic reset (resetDueBudgets) has run yet.
import { addDuration, parseDuration } from '../store/index.ts';

export interface BudgetPeriod {
  /** Epoch ms when the period ends; null for a budget that never resets. */
  endsAt: number | null;
  /** Epoch ms when it began; null for a budget that never resets. */
  startsAt: number | null;
}

const FOREVER: BudgetPeriod = Object.freeze({ endsAt: null, startsAt: null });

const FIXED_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** The period containing `now`; an unparseable duration counts as none (the API refuses them on input). */
export function currentPeriod(duration: string | null, resetAt: string | null, createdAt: string, now: number): BudgetPeriod {
  if (!duration) return FOREVER;
  const d = parseDuration(duration);
  if (!d) return FOREVER;
  const anchor = resetAt ? Date.parse(resetAt) : addDuration(new Date(createdAt), duration).getTime();
  if (!Number.isFinite(anchor)) return FOREVER;
  if (d.unit === 'mo') return monthPeriod(anchor, d.count, now);
  const len = d.count * FIXED_MS[d.unit];
  // Periods tile the time line on both sides of the anchor: ends at anchor + k·len.
  const k = Math.floor((now - anchor) / len) + 1;
  const endsAt = anchor + k * len;
  return { endsAt, startsAt: endsAt - len };
}

function monthPeriod(anchor: number, months: number, now: number): BudgetPeriod {
  // Period j runs from anchor + j·months to anchor + (j+1)·months, in calendar months.
  let j = Math.floor(monthsBetween(anchor, now) / months);
  while (shiftMonths(anchor, j * months) > now) j--;
  while (shiftMonths(anchor, (j + 1) * months) <= now) j++;
  return { startsAt: shiftMonths(anchor, j * months), endsAt: shiftMonths(anchor, (j + 1) * months) };
}

/** The anchor moved by `n` calendar months, keeping its day of month where the month has it (else its last day). */
function shiftMonths(anchor: number, n: number): number {
  const a = new Date(anchor);
  const y = a.getUTCFullYear();
  const m = a.getUTCMonth() + n;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(a.getUTCDate(), lastDay), a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds(), a.getUTCMilliseconds());
}

function monthsBetween(anchor: number, t: number): number {
  const a = new Date(anchor);
  const b = new Date(t);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}
