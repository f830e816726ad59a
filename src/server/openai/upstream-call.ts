// The attempts the router runs: send one request to one deployment and resolve once the answer can be
// committed to the client — the whole body for JSON answers, the first chunk for streams (so a stream that
// fails before its first byte can still be retried or fall back).
import type { Readable } from 'node:stream';
import { GatewayError } from '../../canonical/index.ts';
import { MAX_ERROR_BODY, type BufferedReply, type UpstreamReply, type UpstreamRequest } from '../../providers/index.ts';
import type { Attempt, Deployment } from '../../router/index.ts';
import { toTransportErrorForStream } from './stream-errors.ts';

export interface JsonAnswer {
  raw: Buffer;
}

export interface StreamAnswer {
  chunks: AsyncIterable<Buffer>;
}

export type BuildRequest = (d: Deployment) => UpstreamRequest;

export function jsonAttempt(build: BuildRequest): Attempt<JsonAnswer> {
  // Chained rather than awaited: one promise less per request on the hot path.
  return (d, signal) =>
    d.upstream.transport.sendBuffered(build(d), { signal, headersTimeoutMs: d.timeoutMs, bodyTimeoutMs: d.timeoutMs }).then(
      (reply: BufferedReply) => {
        if (reply.status >= 400) throw d.upstream.target.mapError(reply.status, reply.body.toString('utf8'), reply.headers);
        return { raw: reply.body };
      },
      (err: unknown) => {
        // Not yet a GatewayError: the body broke after the headers came.
        throw toTransportErrorForStream(err);
      },
    );
}

export function streamAttempt(build: BuildRequest): Attempt<StreamAnswer> {
  return async (d, signal) => {
    const reply = await send(d, build(d), signal, true);
    const it = (reply.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let first: IteratorResult<Buffer>;
    try {
      first = await it.next();
    } catch (err) {
      throw toTransportErrorForStream(err);
    }
    if (first.done) {
      throw new GatewayError({ status: 502, kind: 'connection', code: 'upstream_stream_interrupted', message: `Deployment ${d.id} sent an empty stream` });
    }
    return { chunks: prepend(first.value, it) };
  };
}

async function send(d: Deployment, req: UpstreamRequest, signal: AbortSignal, stream: boolean): Promise<UpstreamReply> {
  const reply = await d.upstream.transport.send(req, {
    signal,
    headersTimeoutMs: stream ? d.streamTimeoutMs : d.timeoutMs,
    bodyTimeoutMs: stream ? d.idleTimeoutMs : d.timeoutMs,
  });
  if (reply.status >= 400) throw d.upstream.target.mapError(reply.status, await readCapped(reply.body, MAX_ERROR_BODY), reply.headers);
  return reply;
}

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

async function readCapped(body: Readable, cap: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of body as AsyncIterable<Buffer>) {
      if (size < cap) chunks.push(c);
      size += c.length;
    }
  } catch {
    // A broken error body still leaves the status to report.
  }
  return Buffer.concat(chunks).subarray(0, cap).toString('utf8');
}
