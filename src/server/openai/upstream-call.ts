// One attempt against one deployment: send, time it, and turn an error status into a GatewayError.
// (Retries and fallbacks wrap this in the router once the resilience work lands.)
import type { Readable } from 'node:stream';
import { type UpstreamReply, type UpstreamRequest } from '../../providers/index.ts';
import type { Deployment } from '../../router/index.ts';
import type { RequestContext } from '../context.ts';

const MAX_ERROR_BODY = 64 * 1024;

export async function callUpstream(ctx: RequestContext, d: Deployment, req: UpstreamRequest, stream: boolean): Promise<UpstreamReply> {
  ctx.log.deployment = d.id;
  ctx.res.setHeader('x-igw-deployment', d.id);
  ctx.res.setHeader('x-igw-attempts', '1');
  const t0 = performance.now();
  const reply = await d.upstream.transport.send(req, {
    signal: ctx.signal,
    headersTimeoutMs: stream ? d.streamTimeoutMs : d.timeoutMs,
    bodyTimeoutMs: d.timeoutMs,
  });
  const ms = Math.round(performance.now() - t0);
  ctx.log.upstreamMs = ms;
  ctx.res.setHeader('x-igw-upstream-latency-ms', String(ms));
  if (reply.status >= 400) throw d.upstream.target.mapError(reply.status, await readCapped(reply.body, MAX_ERROR_BODY), reply.headers);
  return reply;
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Buffer>) chunks.push(c);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
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
