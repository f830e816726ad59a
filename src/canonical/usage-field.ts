// Reading only the `usage` object of a pass-through JSON answer. The body goes to the client as received;
// parsing all of it just to price the call was a measurable share of igw's per-request CPU.

const KEY = Buffer.from('"usage"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/**
 * The value of the body's `usage` key, parsed; undefined when there is none or it is not an object.
 *
 * In valid JSON a `"usage"` with unescaped quotes followed by `:` can only be a key. The last one is taken
 * (providers put `usage` last, after any message text); its object is cut out by matching braces outside
 * strings and parsed alone. A body this scan cannot read falls back to parsing it whole.
 */
export function usageField(raw: Buffer): unknown {
  const at = raw.lastIndexOf(KEY);
  if (at === -1) return undefined;
  const slice = objectAfterColon(raw, at + KEY.length);
  if (slice) {
    try {
      return JSON.parse(slice);
    } catch {
      // fall through to the whole body
    }
  }
  try {
    return (JSON.parse(raw.toString('utf8')) as { usage?: unknown }).usage;
  } catch {
    return undefined;
  }
}

/** The `{…}` text right after `:` (and whitespace) from `from`; undefined if the value is not an object. */
function objectAfterColon(raw: Buffer, from: number): string | undefined {
  let i = skipSpace(raw, from);
  if (raw[i] !== 0x3a) return undefined;
  i = skipSpace(raw, i + 1);
  if (raw[i] !== OPEN) return undefined;
  const start = i;
  let depth = 0;
  let inString = false;
  for (; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return raw.toString('utf8', start, i + 1);
  }
  return undefined;
}

function skipSpace(raw: Buffer, i: number): number {
  while (i < raw.length && (raw[i] === 0x20 || raw[i] === 0x0a || raw[i] === 0x0d || raw[i] === 0x09)) i++;
  return i;
}
