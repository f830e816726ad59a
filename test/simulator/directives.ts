// In-band directives carried by the last user message, e.g. `[[reply:hi]]`, `[[args:{"city":"Paris"}]]`,
// `[[parallel]]`, `[[fault:rate_limit retry_after=1]]`. A small scanner, not a regex table.

import type { Fault } from './types.ts';

export interface Directives {
  /** The message text with recognised directives removed (whitespace collapsed). */
  text: string;
  reply?: string;
  /** Raw tool-call arguments text (sent as-is, so invalid JSON can be tested too). */
  args?: string;
  parallel: boolean;
  fault?: Fault;
  /** `times=N`: fire the fault only on the first N requests carrying this exact directive. */
  faultTimes?: number;
  /** The directive source, used as the key for `times`. */
  faultKey?: string;
  /** Set when a fault directive could not be parsed (the server answers 400 with it). */
  faultError?: string;
}

const KNOWN = new Set(['reply', 'args', 'parallel', 'fault']);
const NO_DIRECTIVES = (text: string): Directives => ({ text, parallel: false });

export function parseDirectives(input: string): Directives {
  if (!input.includes('[[')) return NO_DIRECTIVES(input);
  const out: Directives = { text: '', parallel: false };
  let kept = '';
  let pos = 0;
  for (;;) {
    const open = input.indexOf('[[', pos);
    if (open < 0) break;
    let i = open + 2;
    while (i < input.length && /[a-z_]/.test(input[i])) i++;
    const name = input.slice(open + 2, i);
    let value: string | undefined;
    let end = -1;
    if (KNOWN.has(name) && input.startsWith(']]', i)) {
      end = i + 2;
    } else if (KNOWN.has(name) && input[i] === ':') {
      const valueEnd = name === 'args' ? jsonEnd(input, i + 1) : input.indexOf(']]', i + 1);
      if (valueEnd >= 0 && input.startsWith(']]', valueEnd)) {
        value = input.slice(i + 1, valueEnd);
        end = valueEnd + 2;
      }
    }
    if (end < 0) { // not a directive: keep the text
      kept += input.slice(pos, open + 2);
      pos = open + 2;
      continue;
    }
    kept += input.slice(pos, open) + ' ';
    pos = end;
    apply(out, name, value, input.slice(open, end));
  }
  kept += input.slice(pos);
  out.text = kept.replace(/\s+/g, ' ').trim();
  return out;
}

function apply(out: Directives, name: string, value: string | undefined, source: string): void {
  if (name === 'reply') out.reply = value ?? '';
  else if (name === 'args') out.args = (value ?? '').trim();
  else if (name === 'parallel') out.parallel = true;
  else if (name === 'fault') {
    try {
      const { fault, params } = parseFaultSpec(value ?? '');
      out.fault = fault;
      out.faultKey = source;
      if (params.times !== undefined) out.faultTimes = int(params, 'times', 1);
    } catch (err) {
      out.faultError = (err as Error).message;
    }
  }
}

/** End index (exclusive) of a JSON value starting at `from` (leading spaces skipped); -1 if unbalanced. */
function jsonEnd(s: string, from: number): number {
  let i = from;
  while (s[i] === ' ') i++;
  if (s[i] !== '{' && s[i] !== '[') return s.indexOf(']]', from);
  let depth = 0;
  let inString = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth === 0) {
        let j = i + 1;
        while (s[j] === ' ') j++;
        return j;
      }
    }
  }
  return -1;
}

/** Parses `kind key=value key="quoted value"` into a Fault. Throws on an unknown kind or bad number. */
export function parseFaultSpec(spec: string): { fault: Fault; params: Record<string, string> } {
  const words = spec.match(/[^\s"=]+="[^"]*"|\S+/g) ?? [];
  const kind = words.shift() ?? '';
  const params: Record<string, string> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new Error(`bad fault parameter '${w}' (expected key=value)`);
    params[w.slice(0, eq)] = w.slice(eq + 1).replace(/^"(.*)"$/, '$1');
  }
  return { fault: toFault(kind, params), params };
}

function toFault(kind: string, p: Record<string, string>): Fault {
  switch (kind) {
    case 'rate_limit': {
      const fault: Extract<Fault, { kind: 'rate_limit' }> = { kind };
      if (p.retry_after !== undefined) fault.retryAfterSeconds = num(p, 'retry_after', 1);
      if (p.retry_after_ms !== undefined) fault.retryAfterMs = num(p, 'retry_after_ms', 0);
      return fault;
    }
    case 'server_error': {
      const status = int(p, 'status', 500);
      if (status !== 500 && status !== 502 && status !== 503) throw new Error('server_error status must be 500, 502 or 503');
      return { kind, status };
    }
    case 'slow_first_byte': return { kind, delayMs: int(p, 'ms', 100) };
    case 'chunk_delay': return { kind, delayMs: int(p, 'ms', 10) };
    case 'cut_stream': return { kind, afterChunks: int(p, 'after', 1) };
    case 'stream_error':
      return p.message === undefined ? { kind, afterChunks: int(p, 'after', 1) } : { kind, afterChunks: int(p, 'after', 1), message: p.message };
    case 'status': return { kind, status: int(p, p.code !== undefined ? 'code' : 'status', 500) };
    case 'reset': case 'overloaded': case 'context_length': case 'invalid_key': case 'model_not_found': case 'content_filter':
      return { kind };
    default:
      throw new Error(`unknown fault directive '${kind}'`);
  }
}

function num(p: Record<string, string>, key: string, dflt: number): number {
  if (p[key] === undefined) return dflt;
  const n = Number(p[key]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`fault parameter ${key}=${p[key]} is not a number`);
  return n;
}

function int(p: Record<string, string>, key: string, dflt: number): number {
  const n = num(p, key, dflt);
  if (!Number.isInteger(n)) throw new Error(`fault parameter ${key}=${p[key]} is not an integer`);
  return n;
}
