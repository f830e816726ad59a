// LiteLLM reads `rpm: "100"` and `drop_params: "true"` as the number and the boolean; so do we.
// An empty YAML value (`timeout:`) is None in LiteLLM, i.e. not set.
import { z } from 'zod';

// PyYAML (YAML 1.1) and Python's int() also read `20_000`, which appears in LiteLLM's own examples.
const NUMBER_TEXT = /^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d+)(e[+-]?\d+)?$/i;
const TRUE_TEXT = new Set(['true', 'yes', 'on']);
const FALSE_TEXT = new Set(['false', 'no', 'off']);

function emptyToUndefined(value: unknown): unknown {
  return value === null ? undefined : value;
}

function toNumber(value: unknown): unknown {
  if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return Number(value.trim().replaceAll('_', ''));
  return emptyToUndefined(value);
}

function toBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return emptyToUndefined(value);
  const text = value.trim().toLowerCase();
  return TRUE_TEXT.has(text) ? true : FALSE_TEXT.has(text) ? false : value;
}

function toText(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : emptyToUndefined(value);
}

export const requiredString = z.preprocess(toText, z.string().trim().min(1));
export const optionalString = z.preprocess(toText, z.string().optional());
export const optionalNumber = z.preprocess(toNumber, z.number().min(0).optional());
export const optionalCount = z.preprocess(toNumber, z.int().min(0).optional());
export const optionalPort = z.preprocess(toNumber, z.int().min(1).max(65_535).optional());
export const optionalBoolean = z.preprocess(toBoolean, z.boolean().optional());

export function numberWithDefault(fallback: number) {
  return z.preprocess(toNumber, z.number().positive().default(fallback));
}

export function booleanWithDefault(fallback: boolean) {
  return z.preprocess(toBoolean, z.boolean().default(fallback));
}

export const optionalHttpUrl = z.preprocess(
  toText,
  z.string().refine(isHttpUrl, { error: (issue) => urlProblem(issue.input) }).optional(),
);

export const optionalHeaders = z.preprocess(emptyToUndefined, z.record(z.string(), z.preprocess(toText, z.string())).optional());

/** A section that may be written with no entries (`litellm_settings:` followed by comments only). */
export function section<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => value ?? {}, schema);
}

// The value itself is not echoed: a key pasted into api_base by mistake must not end up in logs.
function urlProblem(value: unknown): string {
  const expected = 'expected an http(s) URL such as https://api.example.com/v1';
  if (typeof value !== 'string' || !URL.canParse(value)) return `${expected}, got text that is not a URL (is the scheme missing?)`;
  return `${expected}, got a URL with scheme "${new URL(value).protocol}"`;
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}
