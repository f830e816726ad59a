// LiteLLM's `os.environ/NAME` references and the `environment_variables:` section.
import type { Segment } from './yaml-paths.ts';

export type Env = Record<string, string | undefined>;

const PREFIX = 'os.environ/';

/** A reference whose variable is unset or empty; the value was dropped (as LiteLLM's get_secret gives None). */
export interface UnsetRef {
  segments: Segment[];
  name: string;
  empty: boolean;
}

export function envRefName(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith(PREFIX) ? value.slice(PREFIX.length).trim() : undefined;
}

/** A copy of `data` with every `os.environ/NAME` string replaced; unset ones are removed from maps and null in lists. */
export function resolveEnvRefs(data: unknown, env: Env, unset: UnsetRef[], at: Segment[] = []): unknown {
  const name = envRefName(data);
  if (name !== undefined) {
    const value = name === '' ? undefined : env[name];
    if (value !== undefined && value !== '') return value;
    unset.push({ segments: at, name, empty: value === '' });
    return undefined;
  }
  if (Array.isArray(data)) return data.map((item, i) => resolveEnvRefs(item, env, unset, [...at, i]) ?? null);
  if (isPlainMap(data)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(data)) {
      const value = resolveEnvRefs(item, env, unset, [...at, key]);
      // defineProperty: a `__proto__` key in the YAML must stay a plain key.
      if (value !== undefined) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return data;
}

export interface EnvironmentVariables {
  vars: Record<string, string>;
  /** Keys whose value is not a scalar. */
  invalid: string[];
}

/**
 * `environment_variables:` as strings (LiteLLM does `os.environ[k] = str(v)`); values may reference the outer
 * env. Unset references are reported by the later pass over the whole file, not here.
 */
export function readEnvironmentVariables(section: unknown, env: Env): EnvironmentVariables {
  const result: EnvironmentVariables = { vars: {}, invalid: [] };
  if (!isPlainMap(section)) return result;
  for (const [key, raw] of Object.entries(section)) {
    const value = resolveEnvRefs(raw, env, []);
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') result.invalid.push(key);
    else result.vars[key] = String(value);
  }
  return result;
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
