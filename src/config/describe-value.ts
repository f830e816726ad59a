// How a config value is shown in a message: never the value itself when it may be a secret.
import type { Segment } from './yaml-paths.ts';

const SECRET_NAME = /key|secret|token|password|passwd|credential|auth|database_url|redis_url|dsn/i;

/** True when any key along the path names a secret (`api_key`, `master_key`, `extra_headers.Authorization`...). */
export function isSecretPath(segments: readonly Segment[]): boolean {
  return segments.some((segment) => typeof segment === 'string' && SECRET_NAME.test(segment));
}

/** `"abc"`, `-1`, `true`, `a list`...; for secrets only the kind: `a string`, `a number`. */
export function describeValue(value: unknown, secret: boolean): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (secret) return typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : `a ${typeof value}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
