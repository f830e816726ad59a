// Typed readers for management request fields. Each names the field at fault in its 400, so a client learns
// exactly what to fix. `undefined` means "not given"; `null` (where allowed) means "clear it".
import { badRequest } from '../../canonical/index.ts';
import { isDuration, type LimitFields, type Metadata, type PerModel } from '../../store/index.ts';

export type Body = Record<string, unknown>;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function wrongType(name: string, expected: string, v: unknown): Error {
  return badRequest(`'${name}' must be ${expected}, got ${typeName(v)}.`, name, 'invalid_field');
}

export function optString(b: Body, name: string): string | null | undefined {
  const v = b[name];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string') throw wrongType(name, 'a string', v);
  return v;
}

/** A non-empty string, required. */
export function reqString(b: Body, name: string): string {
  const v = b[name];
  if (v === undefined || v === null || v === '') throw badRequest(`'${name}' is required.`, name, 'missing_field');
  if (typeof v !== 'string') throw wrongType(name, 'a string', v);
  return v;
}

export function optNumber(b: Body, name: string, opts: { integer?: boolean; min?: number } = {}): number | null | undefined {
  const v = b[name];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(name, opts.integer ? 'an integer' : 'a number', v);
  if (opts.integer && !Number.isInteger(v)) throw badRequest(`'${name}' must be an integer, got ${v}.`, name, 'invalid_field');
  const min = opts.min ?? 0;
  if (v < min) throw badRequest(`'${name}' must be at least ${min}, got ${v}.`, name, 'invalid_field');
  return v;
}

export function optBool(b: Body, name: string): boolean | undefined {
  const v = b[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw wrongType(name, 'true or false', v);
  return v;
}

/** A list of strings; null is the empty list. */
export function optStringList(b: Body, name: string): string[] | undefined {
  const v = b[name];
  if (v === undefined) return undefined;
  if (v === null) return [];
  if (!Array.isArray(v)) throw wrongType(name, 'a list of strings', v);
  v.forEach((item, i) => {
    if (typeof item !== 'string') throw badRequest(`'${name}[${i}]' must be a string, got ${typeName(item)}.`, `${name}[${i}]`, 'invalid_field');
  });
  return v as string[];
}

/** A list of ids for a bulk operation: required, non-empty. */
export function idList(b: Body, name: string): string[] {
  const list = optStringList(b, name);
  if (!list || list.length === 0) throw badRequest(`'${name}' is required: a non-empty list.`, name, 'missing_field');
  return list;
}

export function optObject(b: Body, name: string): Metadata | undefined {
  const v = b[name];
  if (v === undefined) return undefined;
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw wrongType(name, 'an object', v);
  return v as Metadata;
}

/** `{ "model": number }`; LiteLLM's `{ "model": { "budget_limit": n } }` form is accepted too. */
export function optPerModel(b: Body, name: string): PerModel | undefined {
  const obj = optObject(b, name);
  if (obj === undefined) return undefined;
  const out: PerModel = {};
  for (const [model, raw] of Object.entries(obj)) {
    const at = `${name}.${model}`;
    let v = raw;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as { budget_limit?: unknown; time_period?: unknown };
      if (o.time_period !== undefined && o.time_period !== null) {
        throw badRequest(`'${at}.time_period' is not supported: per-model budgets reset with the record's budget_duration.`, at, 'unsupported_field');
      }
      v = o.budget_limit;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badRequest(`'${at}' must be a number of at least 0, got ${typeName(v)}.`, at, 'invalid_field');
    out[model] = v;
  }
  return out;
}

/** `30s`, `1h`, `1d`, `7d`, `30d`, `1mo` … */
export function optDuration(b: Body, name: string): string | null | undefined {
  const v = optString(b, name);
  if (v === undefined || v === null) return v;
  if (!isDuration(v)) throw badRequest(`'${name}' must be a duration like 30s, 1h, 1d, 7d, 30d or 1mo, got '${v}'.`, name, 'invalid_field');
  return v;
}

export function optOneOf<T extends string>(b: Body, name: string, allowed: readonly T[]): T | undefined {
  const v = optString(b, name);
  if (v === undefined || v === null) return undefined;
  if (!allowed.includes(v as T)) throw badRequest(`'${name}' must be one of ${allowed.join(', ')}, got '${v}'.`, name, 'invalid_field');
  return v as T;
}

/** The budget and rate-limit fields every limited record accepts. */
export function limitFields(b: Body): Partial<LimitFields> {
  return stripUndefined({
    max_budget: optNumber(b, 'max_budget'),
    soft_budget: optNumber(b, 'soft_budget'),
    budget_duration: optDuration(b, 'budget_duration'),
    rpm_limit: optNumber(b, 'rpm_limit', { integer: true }),
    tpm_limit: optNumber(b, 'tpm_limit', { integer: true }),
    max_parallel_requests: optNumber(b, 'max_parallel_requests', { integer: true }),
    model_max_budget: optPerModel(b, 'model_max_budget'),
    model_rpm_limit: optPerModel(b, 'model_rpm_limit'),
    model_tpm_limit: optPerModel(b, 'model_tpm_limit'),
    budget_id: optString(b, 'budget_id'),
  });
}

export function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Query-string helpers: absent and empty are both "not given". */
export function qString(q: URLSearchParams, name: string): string | undefined {
  const v = q.get(name);
  return v === null || v === '' ? undefined : v;
}

export function qInt(q: URLSearchParams, name: string, min = 1): number | undefined {
  const v = qString(q, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw badRequest(`'${name}' must be an integer of at least ${min}, got '${v}'.`, name, 'invalid_field');
  return n;
}

export function qBool(q: URLSearchParams, name: string): boolean {
  const v = qString(q, name);
  return v === 'true' || v === '1';
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

export function qDate(q: URLSearchParams, name: string): string | undefined {
  const v = qString(q, name);
  if (v === undefined) return undefined;
  if (!DATE_RE.test(v) || Number.isNaN(Date.parse(v))) throw badRequest(`'${name}' must be a date (YYYY-MM-DD) or an ISO time, got '${v}'.`, name, 'invalid_field');
  return v;
}
