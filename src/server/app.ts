// The HTTP server: one `node:http` server, a route table, per-request context, error rendering and the
// request log line. Handlers see only GatewayDeps and their RequestContext.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OPEN_PRINCIPAL } from '../auth/index.ts';
import { GatewayError } from '../canonical/index.ts';
import type { GatewayDeps, RequestContext } from './context.ts';
import { renderOpenAIError, toGatewayError } from './errors.ts';
import { requestIdOf } from './http.ts';
import { findRoute, pathExists } from './routes.ts';
import { setResponseHeader } from './response-headers.ts';

export type { GatewayDeps } from './context.ts';

export interface Gateway {
  server: Server;
  /** Resolves with the bound port. */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function createGateway(deps: GatewayDeps): Gateway {
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    void handle(req, res, deps);
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });
  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: GatewayDeps): Promise<void> {
  const controller = new AbortController();
  const ctx: RequestContext = {
    req,
    res,
    requestId: requestIdOf(req),
    startedAt: performance.now(),
    signal: controller.signal,
    log: {},
    principal: OPEN_PRINCIPAL,
  };
  setResponseHeader(res, 'x-request-id', ctx.requestId);
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
    logRequest(ctx, deps);
  });
  let renderError = renderOpenAIError;
  try {
    const path = pathOf(req.url ?? '/');
    const route = findRoute(req.method ?? 'GET', path);
    if (!route) throw routeMissing(req.method ?? 'GET', path);
    if (route.renderError) renderError = route.renderError;
    if (!route.open) {
      const principal = deps.auth.authenticate(req.headers);
      ctx.principal = principal instanceof Promise ? await principal : principal;
    }
    await route.handler(ctx, deps);
  } catch (err) {
    const gerr = toGatewayError(err);
    ctx.log.errorCode = gerr.code ?? gerr.kind;
    if (gerr.code === 'internal_error') deps.logger.error({ err, requestId: ctx.requestId }, 'unhandled error');
    if (gerr.status === 413) setResponseHeader(res, 'connection', 'close');
    renderError(res, gerr);
  }
  deps.governance.settle(ctx);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function routeMissing(method: string, path: string): GatewayError {
  if (pathExists(path)) {
    return new GatewayError({ status: 405, kind: 'bad_request', code: 'method_not_allowed', message: `Method ${method} is not allowed on ${path}` });
  }
  return new GatewayError({ status: 404, kind: 'not_found', code: 'route_not_found', type: 'invalid_request_error', message: `Unknown route ${method} ${path}` });
}

function logRequest(ctx: RequestContext, deps: GatewayDeps): void {
  if (!deps.logger.isLevelEnabled('info')) return;
  const { req, res, log } = ctx;
  deps.logger.info(
    {
      requestId: ctx.requestId,
      method: req.method,
      path: pathOf(req.url ?? '/'),
      status: res.statusCode,
      ms: Math.round((performance.now() - ctx.startedAt) * 100) / 100,
      aborted: !res.writableFinished || undefined,
      ...log,
    },
    'request',
  );
}
