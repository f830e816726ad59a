// POST /v1/chat/completions — the pass-through path for OpenAI-dialect upstreams (DESIGN.md step 1):
// the body is parsed once, the target changes only what it must, the response bytes are relayed as they are.
// The router wraps the upstream call in retries, fallbacks, cooldowns and timeouts.
import type { UpstreamRequest } from '../../providers/index.ts';
import type { Deployment, Routed } from '../../router/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { readJsonObject, sendJson } from '../http.ts';
import { setRoutingHeaders } from './routing-headers.ts';
import { relayOpenAIStream } from './stream-relay.ts';
import { jsonAttempt, streamAttempt } from './upstream-call.ts';
import { validateChatRequest, withoutRoutingFields } from './validate.ts';

export async function chatCompletions(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const body = await readJsonObject(ctx.req, deps.maxBodyBytes);
  const view = validateChatRequest(body);
  ctx.log.model = view.model;
  ctx.log.stream = view.stream;
  const forward = withoutRoutingFields(body, view.routing);
  const route = {
    model: view.model,
    stream: view.stream,
    signal: ctx.signal,
    fallbacks: { fallbacks: view.routing.fallbacks, disabled: view.routing.disableFallbacks },
    numRetries: view.routing.numRetries,
  };
  const build = (d: Deployment): UpstreamRequest => d.upstream.target.buildChat!(forward, { stream: view.stream });
  if (view.stream) {
    const routed = await deps.router.execute(route, streamAttempt(build));
    noteRouting(ctx, routed);
    const outcome = await relayOpenAIStream(routed.value.chunks, ctx.res, view.wantsUsage);
    ctx.log.usage = outcome.usage;
    if (outcome.error) ctx.log.errorCode = outcome.error.code;
    routed.finish({ tokens: totalTokens(outcome.usage), error: outcome.error?.kind });
    return;
  }
  const routed = await deps.router.execute(route, jsonAttempt(build));
  noteRouting(ctx, routed);
  const usage = usageOf(routed.value.raw);
  ctx.log.usage = usage;
  sendJson(ctx.res, 200, routed.value.raw);
  routed.finish({ tokens: totalTokens(usage) });
}

export function noteRouting(ctx: RequestContext, routed: Routed<unknown>): void {
  setRoutingHeaders(ctx.res, routed);
  ctx.log.deployment = routed.deployment.id;
  ctx.log.attempts = routed.attempts.length;
}

/** Usage is read from the relayed bytes; the bytes themselves are sent unchanged. */
function usageOf(raw: Buffer): unknown {
  try {
    return (JSON.parse(raw.toString('utf8')) as { usage?: unknown }).usage;
  } catch {
    return undefined;
  }
}

export function totalTokens(usage: unknown): number | undefined {
  const t = (usage as { total_tokens?: unknown } | undefined)?.total_tokens;
  return typeof t === 'number' ? t : undefined;
}
