// Translation of a stream: upstream bytes → the deployment's decoder → canonical events → the client's
// encoder → bytes. Incremental: whatever one network chunk completes is written at once (reference §10),
// with backpressure; a broken upstream ends with the client dialect's error event.
import type { ServerResponse } from 'node:http';
import { SSE_HEADERS, type GatewayError, type StreamDecoder, type StreamEncoder, type StreamEvent, type Usage } from '../canonical/index.ts';
import { drained } from './drain.ts';
import { toTransportErrorForStream } from './openai/stream-errors.ts';
import type { RelayOutcome } from './surface.ts';
import { writeHeadWith } from './response-headers.ts';

export async function pumpTranslatedStream(
  chunks: AsyncIterable<Buffer>,
  res: ServerResponse,
  decoder: StreamDecoder,
  encoder: StreamEncoder,
): Promise<RelayOutcome> {
  writeHeadWith(res, 200, SSE_HEADERS);
  const seen: { usage?: Usage; error?: GatewayError } = {};
  const encode = (events: StreamEvent[]): string => {
    let out = '';
    for (const ev of events) {
      if (ev.type === 'usage') seen.usage = ev.usage;
      else if (ev.type === 'start' && ev.usage) seen.usage = ev.usage;
      else if (ev.type === 'error') seen.error = ev.error;
      out += encoder.push(ev);
    }
    return out;
  };
  try {
    for await (const chunk of chunks) {
      const out = encode(decoder.push(chunk));
      if (out && !res.write(out)) await drained(res);
      if (seen.error || res.destroyed) break;
    }
  } catch (err) {
    if (res.destroyed) return seen;
    res.end(encode([{ type: 'error', error: toTransportErrorForStream(err) }]));
    return seen;
  }
  if (res.destroyed) return seen;
  res.end(seen.error ? '' : encode(decoder.end()));
  return seen;
}
