// Key names shared by both engines, so a memory dump and a Redis keyspace read the same way.

/** The end of the fixed window containing `now`. */
export function windowEnd(now: number, windowMs: number): number {
  return (Math.floor(now / windowMs) + 1) * windowMs;
}

export const windowKey = (key: string, resetAt: number): string => `w:${key}:${resetAt}`;
export const slotKey = (key: string): string => `s:${key}`;
export const versionKey = (name: string): string => `v:${name}`;
