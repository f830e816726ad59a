// AWS event-stream messages (application/vnd.amazon.eventstream, reference §6.4) out of network chunks. The
// codec of @smithy/core checks both CRCs, the lengths and parses the typed headers; this class only holds
// bytes until a whole message (its first uint32 is the total length) is there, because a TCP read may carry
// part of a message or several. The codec is loaded on first use (a gateway with no Bedrock deployment never
// loads it); the decoder is synchronous, so it is required rather than imported.
import { createRequire } from 'node:module';
import type { EventStreamCodec } from '@smithy/core/event-streams';

export interface EventMessage {
  /** String-valued headers (`:message-type`, `:event-type`, `:exception-type`…); other types are dropped. */
  headers: Record<string, string>;
  body: Uint8Array;
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();
let loaded: EventStreamCodec | undefined;

function codec(): EventStreamCodec {
  if (!loaded) {
    const { EventStreamCodec } = createRequire(import.meta.url)('@smithy/core/event-streams') as typeof import('@smithy/core/event-streams');
    loaded = new EventStreamCodec((bytes) => utf8Decoder.decode(bytes), (text) => utf8Encoder.encode(text));
  }
  return loaded;
}

/** A message larger than this is taken as a corrupt length, not buffered. */
const MAX_MESSAGE = 24 * 1024 * 1024;
const PRELUDE = 12;

export class EventStreamReader {
  private buffered: Uint8Array = new Uint8Array(0);

  /** Whole messages completed by `chunk`, in order. Throws on a corrupt message (bad CRC or length). */
  push(chunk: Uint8Array): EventMessage[] {
    this.buffered = this.buffered.length === 0 ? chunk : concat(this.buffered, chunk);
    const out: EventMessage[] = [];
    let offset = 0;
    while (this.buffered.length - offset >= PRELUDE) {
      const view = new DataView(this.buffered.buffer, this.buffered.byteOffset + offset, 4);
      const total = view.getUint32(0, false);
      if (total < 16 || total > MAX_MESSAGE) throw new Error(`event-stream message length ${total} is out of range`);
      if (this.buffered.length - offset < total) break;
      const decoded = codec().decode(this.buffered.subarray(offset, offset + total));
      out.push({ headers: stringHeaders(decoded.headers), body: decoded.body });
      offset += total;
    }
    this.buffered = offset === 0 ? this.buffered : this.buffered.slice(offset);
    return out;
  }

  /** Bytes of an unfinished message (non-zero at end of body means the stream was cut). */
  get pending(): number {
    return this.buffered.length;
  }
}

function stringHeaders(h: Record<string, { type: string; value: unknown }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(h)) if (v.type === 'string') out[name] = v.value as string;
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Encodes one message (fixtures, the simulator). */
export function encodeEventMessage(headers: Record<string, string>, body: Uint8Array): Uint8Array {
  const typed: Record<string, { type: 'string'; value: string }> = {};
  for (const [k, v] of Object.entries(headers)) typed[k] = { type: 'string', value: v };
  return codec().encode({ headers: typed, body });
}
