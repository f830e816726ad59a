// POST /v1/chat/completions — the pass-through path for OpenAI-dialect upstreams (DESIGN.md step 1):
// the body is parsed once, the target changes only what it must, the response bytes are relayed as they are.
import type { GatewayDeps, RequestContext } from '../context.ts';
import { readJsonObject, sendJson } from '../http.ts';
import { callUpstream, readAll } from './upstream-call.ts';
import { relayOpenAIStream } from './stream-relay.ts';
import { validateChatRequest } from './validate.ts';

export async function chatCompletions(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const body = await readJsonObject(ctx.req, deps.maxBodyBytes);
  const view = validateChatRequest(body);
  ctx.log.model = view.model;
  ctx.log.stream = view.stream;
  const deployment = deps.router.pick(view.model);
  const upstreamReq = deployment.upstream.target.buildChat(body, { stream: view.stream });
  const reply = await callUpstream(ctx, deployment, upstreamReq, view.stream);
  if (view.stream) {
    const outcome = await relayOpenAIStream(reply.body, ctx.res, view.wantsUsage);
    ctx.log.usage = outcome.usage;
    if (outcome.error) ctx.log.errorCode = outcome.error.code;
    return;
  }
  const raw = await readAll(reply.body);
  ctx.log.usage = usageOf(raw);
  sendJson(ctx.res, 200, raw);
}

/** Usage is read from the relayed bytes; the bytes themselves are sent unchanged. */
function usageOf(raw: Buffer): unknown {
  try {
    return (JSON.parse(raw.toString('utf8')) as { usage?: unknown }).usage;
  } catch {
    return undefined;
  }
}
