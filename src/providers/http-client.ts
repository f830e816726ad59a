// The one HTTP client for upstream calls: an undici Agent keeps a keep-alive pool per origin.
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { GatewayError } from '../canonical/index.ts';
import type { BufferedReply, SendOptions, Transport, UpstreamReply, UpstreamRequest } from './types.ts';

/** An error body past this many bytes is cut: only its message is wanted. */
export const MAX_ERROR_BODY = 64 * 1024;

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

  sendBuffered(req: UpstreamRequest, opts: SendOptions): Promise<BufferedReply> {
    const url = splitUrl(req.url);
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(toTransportError(opts.signal.reason, url.origin));
        return;
      }
      const handler = new BufferingHandler(url.origin, opts.signal, resolve, reject);
      agent.dispatch(
        { origin: url.origin, path: url.path, method: req.method, headers: req.headers, body: req.body, headersTimeout: opts.headersTimeoutMs, bodyTimeout: opts.bodyTimeoutMs },
        handler,
      );
    });
  },
};

/**
 * Collects one response into a Buffer through undici's dispatch API. `agent.request` wraps every body in a
 * Readable stream, which for a small JSON answer costs more CPU than the rest of the call (measured against
 * the provider simulator at 64 concurrent calls: 89 µs per call with `request`, 54 µs with this handler).
 */
class BufferingHandler implements Dispatcher.DispatchHandler {
  private readonly origin: string;
  private readonly signal: AbortSignal | undefined;
  private readonly resolve: (reply: BufferedReply) => void;
  private readonly reject: (err: unknown) => void;
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: BufferedReply['headers'] = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(origin: string, signal: AbortSignal | undefined, resolve: (reply: BufferedReply) => void, reject: (err: unknown) => void) {
    this.origin = origin;
    this.signal = signal;
    this.resolve = resolve;
    this.reject = reject;
    signal?.addEventListener('abort', this.onAbort);
  }

  // A request still waiting for a connection has no controller yet: it is aborted once it starts.
  private readonly onAbort = (): void => {
    this.controller?.abort(this.signal!.reason);
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.signal?.aborted) controller.abort(this.signal.reason);
    else this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: BufferedReply['headers']): void {
    if (statusCode < 200) return; // 1xx: the answer is still to come
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.status < 400 || this.size < MAX_ERROR_BODY) this.chunks.push(chunk);
    this.size += chunk.length;
  }

  onResponseEnd(): void {
    this.unlink();
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    this.unlink();
    // Once the headers are in, the upstream was reached: the caller maps a broken body itself.
    this.reject(this.status ? err : toTransportError(err, this.origin));
  }

  private unlink(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** A transport that changes each request just before `inner` sends it (auth a target cannot add itself). */
export function preparingTransport(inner: Transport, prepare: (req: UpstreamRequest) => UpstreamRequest | Promise<UpstreamRequest>): Transport {
  return {
    send: async (req, opts) => inner.send(await prepare(req), opts),
    sendBuffered: async (req, opts) => inner.sendBuffered(await prepare(req), opts),
  };
}

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
