// Gemini routes of the simulator (reference §5): Google AI Studio and Vertex AI, generateContent,
// streamGenerateContent (alt=sse), embedContent, batchEmbedContents and Vertex :predict, the fake OAuth2
// token endpoint, Gemini-3 thought-signature checking, and the faults as Google's errors.
import { planChat } from './chat.ts';
import { chooseFault, connectionFault, sendBody, sendHalf, writeFrames, type DialectCall, type DialectHandler } from './dialect.ts';
import { parseDirectives } from './directives.ts';
import { embed } from './embeddings.ts';
import { blockedBody, geminiBody, geminiEvents, geminiToPlanBody, googleError, missingSignature, type GeminiRender } from './gemini-reply.ts';
import type { Fault } from './types.ts';

const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' };
const SSE_TYPE = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const METHODS = new Set(['generateContent', 'streamGenerateContent', 'embedContent', 'batchEmbedContents', 'predict']);
const AI_STUDIO = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/;
const VERTEX = /^\/v1(?:beta1)?\/(?:projects\/[^/]+\/locations\/[^/]+\/)?publishers\/google\/models\/([^/:]+):([A-Za-z]+)$/;

interface GeminiRoute { vertex: boolean; model: string; op: string }

/** Signatures handed out (Gemini 3 checks replays against them). */
const issued = new Set<string>();

export function geminiRoute(method: string, path: string): DialectHandler | undefined {
  if (method !== 'POST') return undefined;
  if (path === '/token') return tokenHandler;
  const m = AI_STUDIO.exec(path) ?? VERTEX.exec(path);
  if (!m || !METHODS.has(m[2])) return undefined;
  const r: GeminiRoute = { vertex: !path.startsWith('/v1beta/'), model: decodeURIComponent(m[1]), op: m[2] };
  return (call) => handle(call, r);
}

async function tokenHandler(call: DialectCall): Promise<void> {
  const issuer = call.shared.tokens;
  if (!issuer) return sendBody(call.res, 404, googleError(404, 'No token endpoint configured'), JSON_TYPE);
  const r = issuer.exchange(call.raw);
  sendBody(call.res, r.status, r.body, JSON_TYPE);
}

function authorized(call: DialectCall, r: GeminiRoute): boolean {
  const { opts, tokens } = call.shared;
  const key = call.req.headers['x-goog-api-key'] ?? call.query.key;
  const bearer = /^Bearer (.+)$/.exec(call.req.headers.authorization ?? '')?.[1];
  if (r.vertex && bearer && (tokens?.valid(bearer) || bearer === opts.apiKey)) return true;
  if (opts.apiKey === undefined && !tokens) return true;
  return key === opts.apiKey && opts.apiKey !== undefined;
}

async function handle(call: DialectCall, r: GeminiRoute): Promise<void> {
  const { res, body } = call;
  if (!authorized(call, r)) {
    return r.vertex
      ? sendBody(res, 401, googleError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'), JSON_TYPE)
      : sendBody(res, 400, googleError(400, 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }]), JSON_TYPE);
  }
  if (!body) return sendBody(res, 400, googleError(400, 'Invalid JSON payload received.'), JSON_TYPE);
  if (r.op === 'embedContent' || r.op === 'batchEmbedContents' || r.op === 'predict') return embeddings(call, r);
  const { body: planBody, lastUser } = geminiToPlanBody(body);
  if (!Array.isArray(body.contents) || body.contents.length === 0) {
    return sendBody(res, 400, googleError(400, '* GenerateContentRequest.contents: contents is not specified'), JSON_TYPE);
  }
  const d = parseDirectives(lastUser);
  if (d.faultError) return sendBody(res, 400, googleError(400, `simulator: ${d.faultError}`), JSON_TYPE);
  const fault = chooseFault(call.queued, d, call.shared);
  if (await connectionFault(fault, call)) return;
  const error = fault && faultError(fault, r);
  if (error) return sendBody(res, error.status, error.body, { ...JSON_TYPE, ...error.headers });
  const gemini3 = /gemini-3/.test(r.model);
  if (gemini3) {
    const missing = missingSignature(body, issued);
    if (missing) {
      return sendBody(res, 400, googleError(400, `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly. Additional data, ${missing}.`), JSON_TYPE);
    }
  }
  const plan = planChat(planBody, r.model, d, call.shared.counters);
  const render: GeminiRender = {
    model: r.model,
    responseId: plan.id.replace('chatcmpl-', 'sim'),
    thinking: body.generationConfig?.thinkingConfig?.includeThoughts === true,
  };
  if (gemini3 && plan.choices[0].toolCalls.length) {
    render.signature = Buffer.from(`sim-thought-signature-${plan.id}`).toString('base64');
    issued.add(render.signature);
  }
  const stream = r.op === 'streamGenerateContent';
  const blocked = fault?.kind === 'content_filter';
  if (!stream) {
    const out = blocked ? blockedBody(render, plan.usage.prompt_tokens) : geminiBody(plan, render);
    if (fault?.kind === 'stream_error') return sendBody(res, 500, googleError(500, fault.message ?? 'An internal error has occurred.'), JSON_TYPE);
    if (fault?.kind === 'cut_stream') return sendHalf(res, out, JSON_TYPE);
    return sendBody(res, 200, out, JSON_TYPE);
  }
  const events = blocked ? [`data: ${blockedBody(render, plan.usage.prompt_tokens)}\r\n\r\n`] : geminiEvents(plan, render);
  if (call.query.alt !== 'sse') return sendBody(res, 200, `[${events.map((e) => e.slice(6, -4)).join(',\r\n')}]`, JSON_TYPE);
  res.writeHead(200, SSE_TYPE);
  await writeFrames(res, events, fault, () => `data: ${googleError(500, fault?.kind === 'stream_error' && fault.message ? fault.message : 'An internal error has occurred.')}\r\n\r\n`);
}

interface ErrorReply { status: number; body: string; headers?: Record<string, string> }

function faultError(f: Fault, r: GeminiRoute): ErrorReply | undefined {
  switch (f.kind) {
    case 'rate_limit': {
      const secs = f.retryAfterSeconds ?? (f.retryAfterMs !== undefined ? f.retryAfterMs / 1000 : 1);
      return { status: 429, body: googleError(429, 'Resource has been exhausted (e.g. check quota).', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${secs}s` }]) };
    }
    case 'server_error': {
      const status = f.status ?? 500;
      const message = status === 503 ? 'The model is overloaded. Please try again later.' : 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting';
      return { status, body: googleError(status, message) };
    }
    case 'overloaded': return { status: 503, body: googleError(503, 'The model is overloaded. Please try again later.') };
    case 'status': return { status: f.status, body: typeof f.body === 'string' ? f.body : googleError(f.status, `Simulated ${f.status} error`), headers: f.headers };
    case 'context_length':
      return { status: 400, body: googleError(400, 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).') };
    case 'invalid_key':
      return r.vertex
        ? { status: 401, body: googleError(401, 'Request had invalid authentication credentials.') }
        : { status: 400, body: googleError(400, 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }]) };
    case 'model_not_found':
      return { status: 404, body: googleError(404, `models/${r.model} is not found for API version v1beta, or is not supported for generateContent.`) };
    default:
      return undefined;
  }
}

function embeddings(call: DialectCall, r: GeminiRoute): void {
  const b = call.body;
  const fault = call.queued;
  const error = fault && faultError(fault, r);
  if (error) return sendBody(call.res, error.status, error.body, { ...JSON_TYPE, ...error.headers });
  const vector = (text: string, dims: unknown) => Array.from(embed(text, typeof dims === 'number' ? dims : 8));
  const textOf = (content: any) => (content?.parts ?? []).map((p: any) => p?.text ?? '').join('');
  let out: unknown;
  if (r.op === 'embedContent') out = { embedding: { values: vector(textOf(b.content), b.outputDimensionality) } };
  else if (r.op === 'batchEmbedContents') {
    if (!Array.isArray(b.requests) || b.requests.some((q: any) => q?.model !== `models/${r.model}`)) {
      return sendBody(call.res, 400, googleError(400, 'Each request must name the model of the batch (models/...).'), JSON_TYPE);
    }
    out = { embeddings: b.requests.map((q: any) => ({ values: vector(textOf(q.content), q.outputDimensionality) })) };
  } else {
    out = { predictions: (b.instances ?? []).map((i: any) => ({ embeddings: {
      values: vector(String(i?.content ?? ''), b.parameters?.outputDimensionality),
      statistics: { token_count: Math.max(1, Math.ceil(String(i?.content ?? '').length / 4)), truncated: false } } })) };
  }
  sendBody(call.res, 200, JSON.stringify(out), JSON_TYPE);
}
