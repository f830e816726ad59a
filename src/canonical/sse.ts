// Server-sent events, parsed per the WHATWG event-stream rules (../shared/reference/providers.md §10):
// UTF-8 with an optional BOM, lines ending in \r\n, \n or \r (a \r\n may be split across network chunks),
// one leading space dropped after the colon, multi-line data joined by \n, comments skipped, events
// dispatched on a blank line, an unterminated final event discarded.

export interface SseEvent {
  /** The `event:` field; undefined when the event had none (the spec's default name is `message`). */
  event?: string;
  data: string;
}

export class SseLimitError extends Error {
  readonly code = 'sse_event_too_large';
}

export class SseReader {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  private pending = '';
  private event: string | undefined;
  private data: string[] = [];
  private dataBytes = 0;
  private lastWasCR = false;
  private readonly maxEventChars: number;

  constructor(maxEventChars = 16 * 1024 * 1024) {
    this.maxEventChars = maxEventChars;
  }

  /** Feeds a network chunk; returns the events it completed, in order. */
  push(chunk: Uint8Array): SseEvent[] {
    return this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** Flushes the decoder at end of stream; a trailing event without its blank line is dropped. */
  end(): SseEvent[] {
    const events = this.feed(this.decoder.decode());
    this.pending = '';
    this.data = [];
    this.event = undefined;
    return events;
  }

  private feed(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let start = 0;
    if (this.lastWasCR && text.length > 0 && text.charCodeAt(0) === 10) start = 1;
    this.lastWasCR = false;
    const anyCR = text.includes('\r', start);
    for (let i = lineEnd(text, start, anyCR); i !== -1; i = lineEnd(text, start, anyCR)) {
      const c = text.charCodeAt(i);
      const line = this.pending + text.slice(start, i);
      this.pending = '';
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.lastWasCR = true;
        }
      }
      start = i + 1;
      const ev = this.line(line);
      if (ev) out.push(ev);
    }
    if (start < text.length) {
      this.pending += text.slice(start);
      if (this.pending.length > this.maxEventChars) throw new SseLimitError('SSE event exceeds the size limit');
    }
    return out;
  }

  private line(line: string): SseEvent | undefined {
    if (line.length === 0) return this.dispatch();
    if (line.charCodeAt(0) === 58 /* : */) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      this.dataBytes += value.length;
      if (this.dataBytes > this.maxEventChars) throw new SseLimitError('SSE event exceeds the size limit');
      this.data.push(value);
    } else if (field === 'event') {
      this.event = value;
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const event = this.event;
    const data = this.data.length === 1 ? this.data[0] : this.data.join('\n');
    const had = this.data.length > 0;
    this.event = undefined;
    this.data = [];
    this.dataBytes = 0;
    if (!had && event === undefined) return undefined;
    return event === undefined ? { data } : { event, data };
  }
}

/**
 * Where the line that starts at `from` ends (its \n or \r), or -1. Most streams end lines with \n alone,
 * which the native indexOf finds far faster than a loop over every character (the loop was a fifth of igw's
 * own time per relayed stream).
 */
function lineEnd(text: string, from: number, anyCR: boolean): number {
  if (!anyCR) return text.indexOf('\n', from);
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

/** Headers every SSE response carries (§10 "Emitting"). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** `data: <payload>\n\n` — the OpenAI framing (no event line). */
export function sseData(payload: string): string {
  return `data: ${payload}\n\n`;
}

/** `event: <name>\ndata: <payload>\n\n` — the Anthropic and Responses framing. */
export function sseNamed(event: string, payload: string): string {
  return `event: ${event}\ndata: ${payload}\n\n`;
}
