// Runs a zod schema over one part of a YAML file and turns its issues into path + line + plain-words messages.
import type { z } from 'zod';
import { describeValue, isSecretPath } from './describe-value.ts';
import type { ConfigIssue } from './types.ts';
import { issueAt, type Segment, type YamlSource } from './yaml-paths.ts';

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

/** `data` is the value found at `at` in `source` (after os.environ/ resolution). */
export function validateAt<T extends z.ZodType>(schema: T, data: unknown, source: YamlSource, at: Segment[]): Validated<z.output<T>> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((issue) => {
    const rel = issue.path.filter((p): p is Segment => typeof p === 'string' || typeof p === 'number');
    const segments = [...at, ...rel];
    return issueAt(source, segments, describeIssue(issue, valueAt(data, rel), isSecretPath(segments)));
  });
  return { ok: false, issues };
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map',
  record: 'a map',
  array: 'a list',
};

function describeIssue(issue: z.core.$ZodIssue, value: unknown, secret: boolean): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (value === undefined || value === null) return `is required (expected ${expected})`;
      return `expected ${expected}, got ${describeValue(value, secret)}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      return `expected a number ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}, got ${describeValue(value, secret)}`;
    default:
      return issue.message;
  }
}

function valueAt(data: unknown, path: readonly Segment[]): unknown {
  let node = data;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
