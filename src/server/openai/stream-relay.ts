// Relays an OpenAI-dialect upstream stream to the client event by event: no buffering, backpressure
// honoured, the usage chunk igw asked for withheld from clients that did not, Azure's filter-only chunks
// dropped (../shared/reference/providers.md §1.4, §7), and every stream ended with `data: [DONE]`.
import type { ServerResponse } from 'node:http';
import { SSE_HEADERS, SseReader, GatewayError, type SseEvent } from '../../canonical/index.ts';
import { toTransportErrorForStream } from './stream-errors.ts';
import { drained } from '../drain.ts';
import { writeHeadWith } from '../response-headers.ts';

export interface StreamOutcome {
  usage: unknown;
  /** The upstream finished with `[DONE]` (or a clean end after its last chunk). */
  completed: boolean;
  error?: GatewayError;
}

/** Text written after the last event and before `data: [DONE]` of a stream that completed (an SSE comment). */
export type StreamTrailer = (usage: unknown) => string | undefined;

interface RelayState {
  includeUsage: boolean;
  trailer?: StreamTrailer;
  usage: unknown;
  done: boolean;
  sawError: boolean;
}

export async function relayOpenAIStream(body: AsyncIterable<Buffer>, res: ServerResponse, includeUsage: boolean, trailer?: StreamTrailer): Promise<StreamOutcome> {
  writeHeadWith(res, 200, SSE_HEADERS);
  const state: RelayState = { includeUsage, trailer, usage: undefined, done: false, sawError: false };
  const reader = new SseReader();
  try {
    for await (const chunk of body) {
      // Everything one network chunk completes goes out in one write: nothing is held back for later
      // chunks, and the socket sees one write instead of one per event.
      let out = '';
      for (const ev of reader.push(chunk)) out += relayEvent(ev, state) ?? '';
      if (out.length > 0 && !res.write(out)) await drained(res);
      if (state.done) break;
    }
  } catch (err) {
    if (res.destroyed) return { usage: state.usage, completed: false };
    return endWithError(res, state, toTransportErrorForStream(err));
  }
  if (!state.done && !state.sawError) {
    return endWithError(res, state, interrupted('Upstream stream ended before [DONE]'));
  }
  if (!state.done) res.write('data: [DONE]\n\n');
  res.end();
  return { usage: state.usage, completed: !state.sawError };
}

/** Returns the bytes to send for one upstream event, or undefined to send nothing. */
function relayEvent(ev: SseEvent, state: RelayState): string | undefined {
  if (state.done) return undefined;
  if (ev.data === '[DONE]') {
    state.done = true;
    return `${(!state.sawError && state.trailer?.(state.usage)) || ''}data: [DONE]\n\n`;
  }
  if (isPlainDelta(ev.data)) return `data: ${ev.data}\n\n`;
  let chunk: { choices?: unknown[]; usage?: unknown; error?: unknown };
  try {
    chunk = JSON.parse(ev.data);
  } catch {
    return undefined; // not JSON: nothing an OpenAI client could use
  }
  if (chunk.error !== undefined) {
    state.sawError = true;
    return `data: ${ev.data}\n\n`;
  }
  if (chunk.usage) state.usage = chunk.usage;
  const choices = chunk.choices;
  if (Array.isArray(choices) && choices.length === 0) {
    return chunk.usage && state.includeUsage ? `data: ${ev.data}\n\n` : undefined;
  }
  if (Array.isArray(choices) && choices.every(isFilterAnnotationOnly)) return undefined;
  return `data: ${ev.data}\n\n`;
}

/**
 * A chunk that only carries deltas, told from its text without parsing it (parsing every chunk was igw's
 * largest cost per stream): a JSON object with a `delta`, no `error`, and no `usage` but `"usage":null`.
 * Such a chunk is relayed as it is; anything else, and any text this check is unsure of, is parsed. In valid
 * JSON a quoted `"error"` or `"usage"` inside a string would have its quotes escaped, so these can only be
 * keys (or a whole string value, which is then parsed to be sure).
 */
export function isPlainDelta(data: string): boolean {
  if (data.charCodeAt(0) !== 0x7b || data.charCodeAt(data.length - 1) !== 0x7d) return false;
  if (!data.includes('"delta"')) return false;
  // One pass for both keys (two searches cost twice as much).
  ERROR_OR_USAGE.lastIndex = 0;
  for (let m = ERROR_OR_USAGE.exec(data); m !== null; m = ERROR_OR_USAGE.exec(data)) {
    if (m[0] === '"error"') return false;
    NULL_VALUE.lastIndex = ERROR_OR_USAGE.lastIndex;
    if (!NULL_VALUE.test(data)) return false;
  }
  return true;
}

const ERROR_OR_USAGE = /"(?:error|usage)"/g;
/** `: null` right where it is started (sticky). */
const NULL_VALUE = /\s*:\s*null\b/y;

/** Azure sends choices with only `content_filter_results` and no `delta`. */
function isFilterAnnotationOnly(choice: unknown): boolean {
  const c = choice as { delta?: unknown; finish_reason?: unknown };
  return c.delta === undefined && (c.finish_reason === null || c.finish_reason === undefined);
}

function endWithError(res: ServerResponse, state: RelayState, err: GatewayError): StreamOutcome {
  const body = JSON.stringify({ error: { message: err.message, type: err.type, param: null, code: err.code } });
  res.end(`data: ${body}\n\ndata: [DONE]\n\n`);
  return { usage: state.usage, completed: false, error: err };
}

function interrupted(message: string): GatewayError {
  return new GatewayError({ status: 502, kind: 'connection', code: 'upstream_stream_interrupted', message });
}
