// Response plumbing: common headers (reference §1.6, §7, §10), JSON replies, body reading.

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ErrorReply } from './faults.ts';

export interface Ctx {
  /** Sequence number of the request (1-based). */
  n: number;
  start: number;
  azure: boolean;
}

const RATE_LIMIT_HEADERS = {
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-limit-tokens': '30000000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-remaining-tokens': '29999000',
  'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-reset-tokens': '0s',
};

export const JSON_TYPE = 'application/json';
const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

export function baseHeaders(ctx: Ctx, extra?: Record<string, string>): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {
    'x-request-id': `req_${ctx.n}`,
    'openai-processing-ms': String(Date.now() - ctx.start),
    'openai-version': '2020-10-01',
    'openai-organization': 'org-sim',
    ...RATE_LIMIT_HEADERS,
  };
  if (ctx.azure) {
    h['apim-request-id'] = `00000000-0000-4000-8000-${String(ctx.n).padStart(12, '0')}`;
    h['x-ms-region'] = 'Sim Central';
  }
  if (extra) Object.assign(h, extra);
  return h;
}

export function sendJson(res: ServerResponse, ctx: Ctx, status: number, body: string, extra?: Record<string, string>, contentType = JSON_TYPE): void {
  if (res.destroyed) return;
  const h = baseHeaders(ctx, extra);
  h['content-type'] ??= contentType;
  h['content-length'] = Buffer.byteLength(body);
  res.writeHead(status, h);
  res.end(body);
}

export function sendError(res: ServerResponse, ctx: Ctx, e: ErrorReply): void {
  sendJson(res, ctx, e.status, e.body, e.headers, e.contentType);
}

export function startSse(res: ServerResponse, ctx: Ctx): void {
  res.writeHead(200, Object.assign(baseHeaders(ctx), SSE_HEADERS));
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseQuery(qs: string): Record<string, string> {
  return qs ? Object.fromEntries(new URLSearchParams(qs)) : {};
}

/** Key check: Bearer on OpenAI paths; `api-key` or Bearer on Azure paths. */
export function authorized(req: IncomingMessage, apiKey: string | undefined, azure: boolean): boolean {
  if (apiKey === undefined) return true;
  if (req.headers.authorization === `Bearer ${apiKey}`) return true;
  return azure && req.headers['api-key'] === apiKey;
}
