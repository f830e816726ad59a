// What every routed call records once the router has picked the deployment that answered, and what the router
// asks before it falls back to another model group.
import type { Usage } from '../canonical/index.ts';
import { upstreamAttempts, type Routed } from '../router/index.ts';
import type { GatewayDeps, RequestContext } from './context.ts';
import { setRoutingHeaders } from './openai/routing-headers.ts';

export function noteRouting(ctx: RequestContext, routed: Routed<unknown>): void {
  setRoutingHeaders(ctx.res, routed);
  ctx.log.deployment = routed.deployment.id;
  ctx.log.attempts = upstreamAttempts(routed.attempts);
}

/**
 * The router's question before a fallback: may this caller use that model group, within its per-model limits?
 * (governance.admitFallback; a refusal skips the group.)
 */
export function fallbackGate(ctx: RequestContext, deps: GatewayDeps): (model: string) => Promise<void> {
  return (model) => deps.governance.admitFallback(ctx, model);
}

/** Tokens for the router's tpm accounting, from an OpenAI-shaped usage object. */
export function totalTokens(usage: unknown): number | undefined {
  const t = (usage as { total_tokens?: unknown } | undefined)?.total_tokens;
  return typeof t === 'number' ? t : undefined;
}

/** Tokens for the router's tpm accounting, from canonical usage. */
export function usageTokens(usage: Usage | undefined): number | undefined {
  return usage ? usage.inputTokens + usage.outputTokens : undefined;
}
