// The one HTTP client for upstream calls: an undici Agent keeps a keep-alive pool per origin.
import { Agent, errors as undiciErrors } from 'undici';
import { GatewayError } from '../canonical/index.ts';
import type { SendOptions, Transport, UpstreamReply, UpstreamRequest } from './types.ts';

const agent = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  connections: null,
  pipelining: 1,
  connect: { timeout: 10_000 },
});

export const httpTransport: Transport = {
  async send(req: UpstreamRequest, opts: SendOptions): Promise<UpstreamReply> {
    const url = splitUrl(req.url);
    try {
      const res = await agent.request({
        origin: url.origin,
        path: url.path,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: opts.signal,
        headersTimeout: opts.headersTimeoutMs,
        bodyTimeout: opts.bodyTimeoutMs,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      throw toTransportError(err, url.origin);
    }
  },
};

/**
 * Origin and path of an upstream URL. A deployment calls the same few URLs on every request, so they are
 * parsed once (bounded; when full it starts over).
 */
const URL_CACHE_MAX = 1_000;
const urls = new Map<string, { origin: string; path: string }>();

function splitUrl(href: string): { origin: string; path: string } {
  let parts = urls.get(href);
  if (!parts) {
    const url = new URL(href);
    if (urls.size >= URL_CACHE_MAX) urls.clear();
    parts = { origin: url.origin, path: url.pathname + url.search };
    urls.set(href, parts);
  }
  return parts;
}

/** Maps a network failure to a gateway error; names the origin, never the request headers (keys). */
export function toTransportError(err: unknown, origin: string): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError({ status: 504, kind: 'timeout', code: 'upstream_timeout', message: `Upstream ${origin} timed out` });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new GatewayError({ status: 504, kind: 'timeout', code: 'upstream_timeout', message: `Connecting to upstream ${origin} timed out` });
  }
  if ((err as Error).name === 'AbortError' || code === 'UND_ERR_ABORTED') {
    return new GatewayError({ status: 499, kind: 'connection', code: 'client_closed', message: 'Request aborted' });
  }
  const detail = code || (err as Error).message || 'unknown error';
  return new GatewayError({
    status: 502,
    kind: 'connection',
    code: 'upstream_unreachable',
    message: `Upstream ${origin} is unreachable (${detail})`,
  });
}
