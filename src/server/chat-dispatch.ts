// The chat dispatcher, shared by every inbound surface: pass-through when the deployment speaks the
// client's dialect (DESIGN.md "parse once"), otherwise inbound → canonical → upstream and back. The plan is
// made per deployment inside the router's attempt, so a retry or fallback to a deployment of another
// dialect translates (and one of the same dialect passes through). It sees dialects and canonical types
// only; which provider is behind a deployment is the adapter's business.
import type { ServerResponse } from 'node:http';
import { applyParamPolicy, type ChatRequest, type Json } from '../canonical/index.ts';
import type { DecodeHints, UpstreamRequest, UpstreamTarget } from '../providers/index.ts';
import type { Deployment } from '../router/index.ts';
import type { GatewayDeps, RequestContext } from './context.ts';
import { sendJson } from './http.ts';
import { setResponseHeader } from './response-headers.ts';
import { jsonAttempt, streamAttempt } from './openai/upstream-call.ts';
import { fallbackGate, noteRouting, usageTokens } from './routed.ts';
import type { ChatSurface, ChatView, RelayOutcome } from './surface.ts';
import { pumpTranslatedStream } from './translated-stream.ts';

/** How one deployment is called for this request. */
export type Plan =
  | { mode: 'pass'; request: UpstreamRequest }
  | { mode: 'translate'; request: UpstreamRequest; canonical: ChatRequest; hints: DecodeHints; target: UpstreamTarget; warnings: string[] };

export async function serveChat(ctx: RequestContext, deps: GatewayDeps, surface: ChatSurface, body: Json, view: ChatView): Promise<void> {
  ctx.log.model = view.model;
  ctx.log.stream = view.stream;
  const callType = surface.dialect === 'anthropic-messages' ? 'messages' : 'chat.completions';
  const admitted = deps.governance.preCall(ctx, { callType, model: view.model, body });
  if (admitted instanceof Promise) await admitted;
  const planner = new Planner(surface, body, view);
  const plans = new Map<Deployment, Plan>();
  const build = (d: Deployment): UpstreamRequest => {
    const plan = planner.planFor(d);
    plans.set(d, plan);
    return plan.request;
  };
  const route = {
    model: view.model,
    stream: view.stream,
    signal: ctx.signal,
    fallbacks: view.fallbacks,
    numRetries: view.numRetries,
    admitFallback: fallbackGate(ctx, deps),
  };
  if (view.stream) {
    const routed = await deps.router.execute(route, streamAttempt(build));
    noteRouting(ctx, routed);
    let outcome: RelayOutcome = {};
    // A pass-through OpenAI stream ends with its cost as an SSE comment (governance.streamCostComment).
    const streamTrailer = (usage: unknown): string | undefined => deps.governance.streamCostComment(ctx, routed.deployment, usage);
    try {
      outcome = await respondStream(plans.get(routed.deployment)!, surface, routed.value.chunks, ctx.res, { ...view, streamTrailer });
    } finally {
      record(ctx, outcome);
      routed.finish({ tokens: usageTokens(outcome.usage), error: outcome.error?.kind });
    }
    const counted = deps.governance.postCall(ctx, { deployment: routed.deployment, usage: outcome.usage, error: outcome.error });
    if (counted) await counted;
    return;
  }
  const routed = await deps.router.execute(route, jsonAttempt(build));
  noteRouting(ctx, routed);
  let outcome: RelayOutcome = {};
  // Cost headers are set by postCall, so it runs before the body is sent.
  const beforeSend = (usage: RelayOutcome['usage']): Promise<void> | undefined => deps.governance.postCall(ctx, { deployment: routed.deployment, usage });
  try {
    const sent = respondJson(plans.get(routed.deployment)!, surface, routed.value.raw, ctx.res, beforeSend);
    outcome = sent instanceof Promise ? await sent : sent;
  } finally {
    record(ctx, outcome);
    routed.finish({ tokens: usageTokens(outcome.usage) });
  }
}

function record(ctx: RequestContext, outcome: RelayOutcome): void {
  ctx.log.usage = outcome.usage;
  if (outcome.error) ctx.log.errorCode = outcome.error.code;
}

/** Plans per deployment (a retry or fallback may land on another dialect); canonical is built at most once. */
export class Planner {
  private canonical: ChatRequest | undefined;
  private readonly surface: ChatSurface;
  private readonly body: Json;
  private readonly view: ChatView;

  constructor(surface: ChatSurface, body: Json, view: ChatView) {
    this.surface = surface;
    this.body = body;
    this.view = view;
  }

  planFor(d: Deployment): Plan {
    const target = d.upstream.target;
    if (target.dialect === this.surface.dialect && target.buildChat) {
      return { mode: 'pass', request: target.buildChat(this.body, { stream: this.view.stream, clientHeaders: this.view.clientHeaders, bodyText: this.view.bodyText }) };
    }
    this.canonical ??= this.surface.toCanonical(this.body, this.view);
    const req = applyParamPolicy(this.canonical, {
      dialect: target.dialect,
      provider: target.provider,
      supported: target.supportedParams,
      dropParams: target.dropParams,
    });
    const built = target.buildFromCanonical(req, { stream: this.view.stream });
    return { mode: 'translate', request: built.request, canonical: req, hints: built.hints, target, warnings: built.warnings };
  }
}

/**
 * `beforeSend` runs with the usage once it is known and before the body leaves (it may set headers). When it
 * has nothing to wait for (no budgets or limits to count: the master key), the body leaves at once and the
 * outcome comes without a promise.
 */
export function respondJson(
  plan: Plan,
  surface: ChatSurface,
  raw: Buffer,
  res: ServerResponse,
  beforeSend?: (usage: RelayOutcome['usage']) => Promise<void> | undefined,
): RelayOutcome | Promise<RelayOutcome> {
  let usage: RelayOutcome['usage'];
  let body: Buffer | string;
  if (plan.mode === 'pass') {
    usage = surface.usageOf(raw);
    body = raw;
  } else {
    const response = plan.target.responseToCanonical(raw.toString('utf8'), plan.hints);
    setWarnings(res, plan.warnings);
    usage = response.usage;
    body = surface.renderResponse(response);
  }
  const pending = beforeSend?.(usage);
  if (pending) return pending.then(() => sendOutcome(res, body, usage));
  return sendOutcome(res, body, usage);
}

function sendOutcome(res: ServerResponse, body: Buffer | string, usage: RelayOutcome['usage']): RelayOutcome {
  sendJson(res, 200, body);
  return { usage };
}

export function respondStream(plan: Plan, surface: ChatSurface, chunks: AsyncIterable<Buffer>, res: ServerResponse, view: ChatView): Promise<RelayOutcome> {
  if (plan.mode === 'pass') return surface.relayStream(chunks, res, view);
  setWarnings(res, plan.warnings);
  return pumpTranslatedStream(chunks, res, plan.target.createStreamDecoder(plan.hints), surface.createStreamEncoder(plan.canonical, view));
}

/** Settings the adapter had to change are reported, never silent (STYLE.md). Header values stay ASCII. */
function setWarnings(res: ServerResponse, warnings: string[]): void {
  if (warnings.length > 0) setResponseHeader(res, 'x-igw-warning', warnings.map((w) => w.replace(/[^\x20-\x7e]/g, '?')));
}
