// Pass-through of an Anthropic stream to an Anthropic client: each upstream event is re-framed as it
// arrives (`event:` + `data:`, the data untouched), usage is read on the way (message_start, then the
// cumulative message_delta), and a stream that breaks before `message_stop` ends with an `error` event.
import type { ServerResponse } from 'node:http';
import { GatewayError, isObject, SSE_HEADERS, SseReader, sseNamed, type Json, type SseEvent } from '../../canonical/index.ts';
import { fromAnthropicUsage } from '../../providers/index.ts';
import { drained } from '../drain.ts';
import { toTransportErrorForStream } from '../openai/stream-errors.ts';
import type { RelayOutcome } from '../surface.ts';
import { errorEvent } from './anthropic-stream-encoder.ts';
import { writeHeadWith } from '../response-headers.ts';

interface RelayState {
  usage: Json;
  stopped: boolean;
  error?: GatewayError;
}

export async function relayAnthropicStream(chunks: AsyncIterable<Buffer>, res: ServerResponse): Promise<RelayOutcome> {
  writeHeadWith(res, 200, SSE_HEADERS);
  const reader = new SseReader();
  const s: RelayState = { usage: {}, stopped: false };
  try {
    for await (const chunk of chunks) {
      let out = '';
      for (const ev of reader.push(chunk)) out += relayEvent(ev, s);
      if (out && !res.write(out)) await drained(res);
      if (s.stopped || s.error) break;
    }
  } catch (err) {
    if (!res.destroyed) s.error = fail(res, toTransportErrorForStream(err));
    return outcome(s);
  }
  if (res.destroyed) return outcome(s);
  if (!s.stopped && !s.error) {
    s.error = fail(res, new GatewayError({ status: 502, kind: 'connection', code: 'upstream_stream_interrupted', message: 'Upstream stream ended before message_stop' }));
  } else res.end();
  return outcome(s);
}

/**
 * Most events of a stream are text or tool-input deltas, which carry no usage and no stop: relayed without
 * parsing them (Anthropic writes `type` first; anything else is parsed).
 */
const DELTA_DATA_START = '{"type":"content_block_delta"';

function relayEvent(ev: SseEvent, s: RelayState): string {
  if (s.stopped) return '';
  if (ev.event === 'content_block_delta' && ev.data.startsWith(DELTA_DATA_START)) return sseNamed(ev.event, ev.data);
  let data: Json | undefined;
  try {
    const v: unknown = JSON.parse(ev.data);
    if (isObject(v)) data = v;
  } catch {
    // not JSON: forwarded as it is
  }
  const type = typeof data?.type === 'string' ? data.type : ev.event ?? 'message';
  if (type === 'message_start' && isObject(data?.message)) s.usage = mergeUsage(s.usage, data.message.usage);
  else if (type === 'message_delta') s.usage = mergeUsage(s.usage, data?.usage);
  else if (type === 'message_stop') s.stopped = true;
  else if (type === 'error') {
    s.error = new GatewayError({ status: 502, kind: 'server', code: 'upstream_stream_error', message: 'Upstream stream error' });
  }
  return sseNamed(ev.event ?? type, ev.data);
}

function mergeUsage(known: Json, next: unknown): Json {
  if (!isObject(next)) return known;
  const out = { ...known };
  for (const [k, v] of Object.entries(next)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function fail(res: ServerResponse, err: GatewayError): GatewayError {
  res.end(errorEvent(err));
  return err;
}

function outcome(s: RelayState): RelayOutcome {
  return { usage: fromAnthropicUsage(s.usage), ...(s.error ? { error: s.error } : {}) };
}
