// POST /v1/messages and /v1/messages/count_tokens, served for every configured model: Anthropic clients
// (the SDK, Claude Code with ANTHROPIC_BASE_URL) reach any deployment. Same-dialect deployments take the
// pass-through path; all others are translated by the dispatcher.
import { GatewayError } from '../../canonical/index.ts';
import { serveChat } from '../chat-dispatch.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { readJsonObject, sendJson } from '../http.ts';
import { estimateInputTokens } from './count-tokens.ts';
import { anthropicMessagesSurface } from './surface.ts';
import { validateMessagesRequest } from './validate.ts';

export async function messages(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const body = await readJsonObject(ctx.req, deps.maxBodyBytes);
  const view = validateMessagesRequest(body, ctx.req.headers);
  await serveChat(ctx, deps, anthropicMessagesSurface, body, view);
}

export async function countTokens(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const body = await readJsonObject(ctx.req, deps.maxBodyBytes);
  const view = validateMessagesRequest(body, ctx.req.headers, true);
  ctx.log.model = view.model;
  if (!deps.router.has(view.model)) {
    throw new GatewayError({ status: 404, kind: 'not_found', code: 'model_not_found', param: 'model', message: `model: ${view.model} is not served by this gateway` });
  }
  sendJson(ctx.res, 200, JSON.stringify({ input_tokens: estimateInputTokens(body) }));
}
