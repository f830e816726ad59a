// POST /v1/embeddings. The official SDK asks for `encoding_format: "base64"` by default; servers that
// cannot encode get `float` and igw encodes little-endian float32 itself (reference §0.5, §1.7).
// Upstreams whose wire is not OpenAI's (Gemini, Vertex, Bedrock) offer an embeddings plan instead: one or
// more calls whose bodies convert to OpenAI's list. The router wraps either in retries and fallbacks.
import { GatewayError } from '../../canonical/index.ts';
import type { OpenAIEmbeddingList, UpstreamRequest } from '../../providers/index.ts';
import type { Attempt, Deployment } from '../../router/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { readJsonObject, sendJson } from '../http.ts';
import { fallbackGate, noteRouting, totalTokens } from '../routed.ts';
import { jsonAttempt } from './upstream-call.ts';
import { validateEmbeddingsRequest } from './validate.ts';

interface EmbeddingList {
  data?: { embedding?: unknown }[];
  usage?: unknown;
}

/** The raw OpenAI-shaped body, or the list converted from another dialect. */
type EmbeddingsAnswer = { raw: Buffer } | { list: OpenAIEmbeddingList };

export async function embeddings(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const body = await readJsonObject(ctx.req, deps.maxBodyBytes);
  const view = validateEmbeddingsRequest(body);
  ctx.log.model = view.model;
  // Awaited only when there is something to wait for (the master key's checks finish at once), as on chat.
  const admitted = deps.governance.preCall(ctx, { callType: 'embeddings', model: view.model, body });
  if (admitted instanceof Promise) await admitted;
  const route = { model: view.model, stream: false, signal: ctx.signal, admitFallback: fallbackGate(ctx, deps) };
  const routed = await deps.router.execute(route, embeddingsAttempt(body));
  noteRouting(ctx, routed);
  const reply = embeddingsReply(routed.value, view.base64);
  ctx.log.usage = reply.usage;
  routed.finish({ tokens: totalTokens(reply.usage) });
  // Cost headers are set by postCall, so it runs before the body is sent.
  const counted = deps.governance.postCall(ctx, { deployment: routed.deployment, usage: reply.usage });
  if (counted) await counted;
  sendJson(ctx.res, 200, reply.body);
}

/** The usage to count and the body to send: the upstream's own bytes when nothing in them has to change. */
function embeddingsReply(answer: EmbeddingsAnswer, base64: boolean): { usage: unknown; body: string | Buffer } {
  if ('list' in answer) {
    const list: { data: { embedding: number[] | string }[]; usage: unknown } = answer.list;
    if (base64) for (const d of list.data) d.embedding = floatsToBase64(d.embedding as number[]);
    return { usage: list.usage, body: JSON.stringify(list) };
  }
  let parsed: EmbeddingList;
  try {
    parsed = JSON.parse(answer.raw.toString('utf8')) as EmbeddingList;
  } catch {
    return { usage: undefined, body: answer.raw };
  }
  if (base64 && parsed.data?.some((d) => Array.isArray(d.embedding))) {
    for (const d of parsed.data) if (Array.isArray(d.embedding)) d.embedding = floatsToBase64(d.embedding as number[]);
    return { usage: parsed.usage, body: JSON.stringify(parsed) };
  }
  return { usage: parsed.usage, body: answer.raw };
}

/** One attempt on one deployment: the plan's calls run concurrently; any failure fails the attempt. */
function embeddingsAttempt(body: Record<string, unknown>): Attempt<EmbeddingsAnswer> {
  return async (d, signal) => {
    const target = d.upstream.target;
    if (!target.translateEmbeddings) return jsonAttempt((dep) => embeddingsRequest(dep, body))(d, signal);
    const plan = target.translateEmbeddings(body);
    const raws = await Promise.all(plan.requests.map(async (req) => (await jsonAttempt(() => req)(d, signal)).raw.toString('utf8')));
    return { list: plan.toOpenAI(raws) };
  };
}

export function floatsToBase64(values: number[]): string {
  const f = Float32Array.from(values);
  const buf = Buffer.from(f.buffer, f.byteOffset, f.byteLength);
  // Float32Array uses the platform's byte order; the wire wants little-endian.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 0) buf.swap32();
  return buf.toString('base64');
}

function embeddingsRequest(d: Deployment, body: Record<string, unknown>): UpstreamRequest {
  const target = d.upstream.target;
  if (!target.buildEmbeddings) throw noEmbeddings(target.provider);
  return target.buildEmbeddings(body);
}

function noEmbeddings(provider: string): GatewayError {
  return new GatewayError({
    status: 400,
    kind: 'bad_request',
    code: 'embeddings_not_supported',
    param: 'model',
    message: `Provider '${provider}' has no embeddings endpoint; pick an embedding model.`,
  });
}
