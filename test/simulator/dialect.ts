// Shared plumbing of the non-OpenAI simulator routes (Gemini, Vertex AI, Bedrock): what the server hands
// each request, the directive/fault choice (queued fault first, then a `[[fault:…]]` directive honouring
// `times=N`), and small response writers without OpenAI's headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Counters } from './chat.ts';
import type { Directives } from './directives.ts';
import type { TokenIssuer } from './google-token.ts';
import type { Fault, SimulatorOptions } from './types.ts';

export interface DialectShared {
  opts: SimulatorOptions;
  counters: Counters;
  /** `times=N` bookkeeping of fault directives (cleared by reset()). */
  fired: Map<string, number>;
  /** The fake Google token endpoint, when `googlePublicKey` is set. */
  tokens?: TokenIssuer;
}

export interface DialectCall {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Raw request body text (SigV4 signs the exact bytes). */
  raw: string;
  /** Parsed JSON body, or undefined when empty or not a JSON object. */
  body: any;
  /** A fault queued with `sim.enqueue`, if any. */
  queued?: Fault;
  shared: DialectShared;
}

export type DialectHandler = (call: DialectCall) => Promise<void>;

/** The queued fault, else the directive's one while its `times` budget lasts. */
export function chooseFault(queued: Fault | undefined, d: Directives, shared: DialectShared): Fault | undefined {
  if (queued) return queued;
  if (!d.fault) return undefined;
  const key = d.faultKey!;
  const times = shared.fired.get(key) ?? 0;
  if (d.faultTimes !== undefined && times >= d.faultTimes) return undefined;
  shared.fired.set(key, times + 1);
  return d.fault;
}

/** Faults that act on the connection itself; true when the request is fully handled. */
export async function connectionFault(fault: Fault | undefined, call: DialectCall): Promise<boolean> {
  if (fault?.kind === 'reset') {
    call.req.socket.destroy();
    return true;
  }
  if (fault?.kind === 'slow_first_byte') {
    await sleep(fault.delayMs);
    return call.res.destroyed;
  }
  return false;
}

export function sendBody(res: ServerResponse, status: number, body: string | Uint8Array, headers: Record<string, string>): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.length) });
  res.end(body);
}

/** Half the body, then the connection drops (the non-stream form of `cut_stream`). */
export function sendHalf(res: ServerResponse, body: string, headers: Record<string, string>): void {
  if (res.destroyed) return;
  res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.write(body.slice(0, body.length >> 1));
  const socket = res.socket;
  socket?.end(() => socket.destroy());
}

/** Writes stream frames one `write` each, with the stream faults; `errorFrame` ends a `stream_error`. */
export async function writeFrames(res: ServerResponse, frames: (string | Uint8Array)[], fault: Fault | undefined, errorFrame: () => string | Uint8Array): Promise<void> {
  let limit = frames.length;
  if (fault?.kind === 'cut_stream' || fault?.kind === 'stream_error') limit = Math.min(fault.afterChunks, frames.length);
  const delay = fault?.kind === 'chunk_delay' ? fault.delayMs : 0;
  for (let i = 0; i < limit; i++) {
    if (i > 0 && delay) await sleep(delay);
    if (res.destroyed) return;
    if (!res.write(frames[i])) await new Promise((r) => res.once('drain', r));
  }
  if (res.destroyed) return;
  if (fault?.kind === 'cut_stream') {
    res.flushHeaders();
    const socket = res.socket;
    socket?.end(() => socket.destroy());
  } else if (fault?.kind === 'stream_error') res.end(errorFrame());
  else res.end();
}
