// LiteLLM's budget_duration / duration strings: `30s`, `10m`, `1h`, `1d`, `7d`, `2w`, `30d`, `1mo`.
// Months are calendar months (1mo from Jan 31 is the last day of February), the rest fixed lengths.

const DURATION_RE = /^(\d+)(s|m|h|d|w|mo)$/;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export interface Duration {
  count: number;
  unit: 's' | 'm' | 'h' | 'd' | 'w' | 'mo';
}

/** Parses a duration string; undefined when it is not one. */
export function parseDuration(text: string): Duration | undefined {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return undefined;
  const count = Number(m[1]);
  if (!Number.isSafeInteger(count) || count <= 0) return undefined;
  return { count, unit: m[2] as Duration['unit'] };
}

export function isDuration(text: string): boolean {
  return parseDuration(text) !== undefined;
}

/** `from` plus the duration. Throws on a malformed string (validate input with isDuration first). */
export function addDuration(from: Date, text: string): Date {
  const d = parseDuration(text);
  if (!d) throw new Error(`not a duration: '${text}' (expected e.g. 30s, 1h, 1d, 7d, 30d, 1mo)`);
  if (d.unit !== 'mo') return new Date(from.getTime() + d.count * UNIT_MS[d.unit]);
  const out = new Date(from.getTime());
  const day = out.getUTCDate();
  out.setUTCDate(1);
  out.setUTCMonth(out.getUTCMonth() + d.count);
  const lastDay = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
  out.setUTCDate(Math.min(day, lastDay));
  return out;
}

/** The duration's length in ms at `from` (months vary). */
export function durationMs(text: string, from: Date = new Date()): number {
  return addDuration(from, text).getTime() - from.getTime();
}

/**
 * The first period boundary after `now` on the grid `anchor + k·duration` (k ≥ 1): budget periods keep their
 * phase however late a reset runs. Months step by calendar months from the anchor.
 */
export function nextBoundaryAfter(anchor: Date, text: string, now: Date): Date {
  const d = parseDuration(text);
  if (!d) throw new Error(`not a duration: '${text}'`);
  if (d.unit !== 'mo') {
    const len = d.count * UNIT_MS[d.unit];
    const k = Math.max(1, Math.floor((now.getTime() - anchor.getTime()) / len) + 1);
    return new Date(anchor.getTime() + k * len);
  }
  const months = Math.max(1, Math.floor(((now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + now.getUTCMonth() - anchor.getUTCMonth()) / d.count));
  let k = Math.max(1, months - 1);
  let next = addDuration(anchor, `${k * d.count}mo`);
  while (next.getTime() <= now.getTime()) next = addDuration(anchor, `${++k * d.count}mo`);
  return next;
}
