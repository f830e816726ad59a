// The HTTP server: routing, auth, recording, fault application. Behaviour is documented in ./index.ts.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicFaultReply, handleMessages, lastUserText, MESSAGES_PATH, sendAnthropic } from './anthropic.ts';
import type { PlanState } from './anthropic-plan.ts';
import { AZURE_NOT_FOUND, parseAzurePath, type AzureOp } from './azure.ts';
import { completionBody, contentText, planChat, type Counters } from './chat.ts';
import { parseDirectives } from './directives.ts';
import { embeddingsBody, modelBody, modelsBody } from './embeddings.ts';
import { faultReply, INVALID_KEY, modelNotFound, oaiErrorReply, SERVER_ERROR_MESSAGE } from './faults.ts';
import { authorized, baseHeaders, JSON_TYPE, parseQuery, readBody, sendError, sendJson, startSse, type Ctx } from './http.ts';
import { cut, streamEvents, writeStream } from './stream.ts';
import { bedrockRoute } from './bedrock.ts';
import type { DialectShared } from './dialect.ts';
import { geminiRoute } from './gemini.ts';
import { tokenIssuer } from './google-token.ts';
import type { Fault, RecordedCall, Simulator, SimulatorOptions } from './types.ts';

type Op = AzureOp | 'model';
interface Route { op: Op; azure: boolean; deployment?: string; modelId?: string }

const OPENAI_ROUTES: Record<string, Op> = {
  'POST /v1/chat/completions': 'chat',
  'POST /v1/embeddings': 'embeddings',
  'GET /v1/models': 'models',
};

const MALFORMED = oaiErrorReply(400,
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
  'The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)', 'invalid_request_error');

function route(method: string, path: string): Route | null {
  if (path.startsWith('/openai/')) {
    const a = parseAzurePath(method, path);
    return a && { ...a, azure: true };
  }
  const op = OPENAI_ROUTES[`${method} ${path}`];
  if (op) return { op, azure: false };
  if (method === 'GET' && path.startsWith('/v1/models/') && path.length > 11) {
    return { op: 'model', azure: false, modelId: decodeURIComponent(path.slice(11)) };
  }
  return null;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const record = opts.record ?? true;
  const calls: RecordedCall[] = [];
  let queue: Fault[] = [];
  const seen = new Set<string>();
  const fired = new Map<string, number>();
  let requests = 0, chats = 0, toolCalls = 0;
  const counters: Counters = { nextChat: () => ++chats, nextCall: () => ++toolCalls };
  const dialects: DialectShared = { opts, counters, fired, tokens: opts.googlePublicKey ? tokenIssuer(opts.googlePublicKey) : undefined };
  let messagesSent = 0, toolUses = 0;
  const planState: PlanState = { nextMessage: () => ++messagesSent, nextToolUse: () => ++toolUses, cached: new Set() };

  /** The `times=N` bookkeeping of a directive fault: the fault when it should fire on this request. */
  function directiveFault(d: ReturnType<typeof parseDirectives>): Fault | undefined {
    if (!d.fault) return undefined;
    const times = fired.get(d.faultKey!) ?? 0;
    if (d.faultTimes !== undefined && times >= d.faultTimes) return undefined;
    fired.set(d.faultKey!, times + 1);
    return d.fault;
  }

  /** Applies a fault that happens before the normal response; true when the request is fully handled. */
  async function preFault(fault: Fault | undefined, req: IncomingMessage, res: ServerResponse, ctx: Ctx, model?: string): Promise<boolean> {
    if (!fault) return false;
    if (fault.kind === 'reset') { req.socket.destroy(); return true; }
    if (fault.kind === 'slow_first_byte') { await sleep(fault.delayMs); return res.destroyed; }
    const reply = faultReply(fault, model);
    if (reply) sendError(res, ctx, reply);
    return reply !== null;
  }

  /** A non-stream success body, with the stream faults mapped onto it. */
  function sendOk(res: ServerResponse, ctx: Ctx, body: string, fault: Fault | undefined): void {
    if (fault?.kind === 'stream_error') {
      return sendError(res, ctx, oaiErrorReply(500, fault.message ?? SERVER_ERROR_MESSAGE, 'server_error'));
    }
    if (fault?.kind !== 'cut_stream') return sendJson(res, ctx, 200, body);
    if (res.destroyed) return;
    const h = baseHeaders(ctx, { 'content-type': JSON_TYPE });
    h['content-length'] = Buffer.byteLength(body);
    res.writeHead(200, h);
    res.write(body.slice(0, body.length >> 1)); // half the body, then drop the connection
    cut(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx: Ctx = { n: ++requests, start: Date.now(), azure: false };
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const raw = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    let body: any;
    let malformed = false;
    if (raw) {
      try { body = JSON.parse(raw); } catch { body = raw; malformed = true; }
      if (!malformed && (typeof body !== 'object' || body === null || Array.isArray(body))) malformed = true;
    }
    if (record) calls.push({ method, path, query: parseQuery(q < 0 ? '' : url.slice(q + 1)), headers: req.headers, body, text: raw, at: ctx.start });
    if (method === 'POST' && path === MESSAGES_PATH) {
      const actx = { n: ctx.n, start: ctx.start };
      return handleMessages(
        { req, res, ctx: actx, body, malformed, apiKey: opts.apiKey, fault: queue.shift(), directives: parseDirectives(lastUserText(body).text), directiveFault, state: planState },
        async (f) => {
          if (f.kind === 'reset') { req.socket.destroy(); return true; }
          if (f.kind === 'slow_first_byte') { await sleep(f.delayMs); return res.destroyed; }
          const reply = anthropicFaultReply(f, body?.model);
          if (reply) sendAnthropic(res, actx, reply.status, reply.body, reply.headers);
          return reply !== null;
        },
      );
    }
    const dialect = geminiRoute(method, path) ?? bedrockRoute(method, path);
    if (dialect) {
      const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
      return dialect({ req, res, method, path, query, raw, body: malformed ? undefined : body, queued: queue.shift(), shared: dialects });
    }
    const r = route(method, path);
    ctx.azure = r?.azure ?? path.startsWith('/openai/');
    let fault = queue.shift();
    if (await preFault(fault, req, res, ctx, body?.model)) return;

    if (!r) {
      return ctx.azure ? sendJson(res, ctx, 404, AZURE_NOT_FOUND)
        : sendError(res, ctx, oaiErrorReply(404, `Invalid URL (${method} ${path})`, 'invalid_request_error'));
    }
    if (!authorized(req, opts.apiKey, r.azure)) return sendError(res, ctx, INVALID_KEY);
    if (malformed) return sendError(res, ctx, MALFORMED);
    if (r.deployment !== undefined && !/[?&]api-version=[^&]/.test(url)) return sendJson(res, ctx, 404, AZURE_NOT_FOUND);

    if (r.op === 'models') return sendOk(res, ctx, modelsBody(seen), fault);
    if (r.op === 'model') {
      const m = modelBody(r.modelId!, seen);
      return m ? sendOk(res, ctx, m, fault) : sendError(res, ctx, modelNotFound(r.modelId!));
    }
    if (!body) return sendError(res, ctx, MALFORMED);
    const model: unknown = r.deployment ?? body.model;
    if (typeof model !== 'string' || !model) {
      return sendError(res, ctx, oaiErrorReply(400, 'you must provide a model parameter', 'invalid_request_error'));
    }
    seen.add(model);
    if (r.op === 'embeddings') {
      const out = embeddingsBody(body, model);
      return typeof out === 'string' ? sendOk(res, ctx, out, fault) : sendError(res, ctx, out);
    }

    // chat
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      return sendError(res, ctx, oaiErrorReply(400, "Missing required parameter: 'messages'.", 'invalid_request_error', 'messages', 'missing_required_parameter'));
    }
    let lastUser = '';
    for (let i = messages.length - 1; i >= 0; i--) {
      if (messages[i]?.role === 'user') { lastUser = contentText(messages[i].content); break; }
    }
    const d = parseDirectives(lastUser);
    if (d.faultError) return sendError(res, ctx, oaiErrorReply(400, `simulator: ${d.faultError}`, 'invalid_request_error', 'messages'));
    if (!fault && d.fault) {
      const times = fired.get(d.faultKey!) ?? 0;
      if (d.faultTimes === undefined || times < d.faultTimes) {
        fault = d.fault;
        fired.set(d.faultKey!, times + 1);
        if (await preFault(fault, req, res, ctx, model)) return;
      }
    }
    const plan = planChat(body, model, d, counters);
    if (body.stream !== true) return sendOk(res, ctx, completionBody(plan, r.azure), fault);
    if (res.destroyed) return;
    startSse(res, ctx);
    writeStream(res, streamEvents(plan, r.azure, body.stream_options?.include_usage === true), {
      delayMs: fault?.kind === 'chunk_delay' ? fault.delayMs : undefined,
      cutAfter: fault?.kind === 'cut_stream' ? fault.afterChunks : undefined,
      errorAfter: fault?.kind === 'stream_error' ? fault.afterChunks : undefined,
      errorMessage: fault?.kind === 'stream_error' ? fault.message : undefined,
    });
  }

  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent && !res.destroyed) {
        sendError(res, { n: 0, start: Date.now(), azure: false }, oaiErrorReply(500, `simulator bug: ${err.message}`, 'server_error'));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    calls,
    enqueue: (...faults) => { queue.push(...faults); },
    reset: () => { calls.length = 0; queue = []; fired.clear(); planState.cached.clear(); },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
