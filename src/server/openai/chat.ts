// POST /v1/chat/completions. The dispatcher picks the path per deployment: pass-through for OpenAI-dialect
// deployments (the body is parsed once, the target changes only what it must, the response bytes are
// relayed), or translation for deployments of another dialect. The router wraps the upstream call in
// retries, fallbacks, cooldowns and timeouts.
import type { GatewayDeps, RequestContext } from '../context.ts';
import { serveChat } from '../chat-dispatch.ts';
import { hasBodyMeta } from '../governance/index.ts';
import { readJsonBody } from '../http.ts';
import { openAIChatSurface } from './surface.ts';
import { validateChatRequest, withoutRoutingFields } from './validate.ts';

export async function chatCompletions(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const { value: body, text } = await readJsonBody(ctx.req, deps.maxBodyBytes);
  const { model, stream, wantsUsage, routing } = validateChatRequest(body);
  const forward = withoutRoutingFields(body, routing);
  await serveChat(ctx, deps, openAIChatSurface, forward, {
    model,
    stream,
    wantsUsage,
    // The text still says what the body says unless something takes fields out: the routing fields above,
    // or governance's request metadata (hasBodyMeta).
    bodyText: forward === body && !hasBodyMeta(body) ? text : undefined,
    fallbacks: routing.present ? { fallbacks: routing.fallbacks, disabled: routing.disableFallbacks } : undefined,
    numRetries: routing.numRetries,
  });
}
