// The governance steps of an LLM request (DESIGN.md "pre-call checks" and "post-call"), kept out of the
// handlers: they call preCall() once the body is parsed and postCall() with the upstream's usage. settle()
// runs after every request (app.ts): one that passed preCall but never reached postCall — a refusal, an
// upstream error, a client that left — gives back what it held and is logged as a failure.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayError, Usage } from '../../canonical/index.ts';
import type { Deployment } from '../../router/index.ts';
import type { Logger } from '../../observability/index.ts';
import { checkModelAccess, endUserBlocked, subjectsOf, type Admission, type Limiter } from '../../limits/index.ts';
import { formatUsd, totalTokens, usageFromOpenAI, type PriceBook, type SpendWriter } from '../../spend/index.ts';
import type { BudgetRecord, EndUserRecord } from '../../store/index.ts';
import type { Principal } from '../../auth/index.ts';
import { takeRequestMeta, type EndUserField, type RequestMeta } from './request-meta.ts';
import { spendRow } from './spend-row.ts';
import { responseHeader, setResponseHeader } from '../response-headers.ts';

export type CallType = 'chat.completions' | 'messages' | 'embeddings';

/** The end-user of a request (budgets, blocking, spend attribution): OpenAI's `user`, Anthropic's `metadata.user_id`. */
const END_USER_FIELD: Readonly<Record<CallType, EndUserField>> = { 'chat.completions': 'user', embeddings: 'user', messages: 'metadata.user_id' };

export interface GovernedRequest {
  callType: CallType;
  /** The model name the client asked for. */
  model: string;
  /** The parsed body; `metadata` is taken out of it (request-meta.ts). */
  body: Record<string, unknown>;
}

export interface CallOutcome {
  deployment: Deployment;
  /** The response's usage: canonical, or an OpenAI wire usage object; undefined when it had none. */
  usage: unknown;
  /** A response that failed after it began (a stream that broke). */
  error?: GatewayError;
}

/** The part of a RequestContext governance reads and writes. */
export interface GovernedContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  startedAt: number;
  principal: Principal;
  log: { errorCode?: string | null; deployment?: string; softBudget?: string[]; costUsd?: string };
  governed?: GovernedCall;
}

/** One request's governance state, kept on its context. */
export interface GovernedCall {
  callType: CallType;
  /** The model name the client asked for. */
  model: string;
  /** The model group that serves it: `model`, or the fallback admitted last. Spend is recorded against it. */
  served: string;
  meta: RequestMeta;
  /** Epoch ms, on the state backend's clock. */
  startedAt: number;
  admission: Admission | null;
  /** Priced once, by the stream trailer or by postCall. */
  charge: Charge | null;
  /** The post-call counter updates (started by the stream trailer, or by postCall): null until issued, undefined when there was nothing to count. */
  counted: Promise<void> | undefined | null;
  settled: boolean;
}

interface Charge {
  deployment: Deployment;
  usage: Usage | undefined;
  nanos: number;
}

export interface EndUserEntry {
  record: EndUserRecord;
  budget: BudgetRecord | null;
}

export interface GovernanceParts {
  limiter: Limiter;
  prices: PriceBook;
  writer: SpendWriter;
  logger: Logger;
  /** The end-user and its budget row, from a cache in front of the store. */
  endUser(id: string): EndUserEntry | null | Promise<EndUserEntry | null>;
  /**
   * Whether the store may be used for this caller. A virtual key means it is open; for the master key the
   * embedded store is opened lazily (tests) or at start-up (the CLI), and until then nothing is recorded.
   */
  storeInUse(principal: Principal): boolean;
  /** False: no spend-log rows (general_settings.disable_spend_logs). */
  spendLogs: boolean;
  /** Epoch ms: the state backend's clock, injectable in tests. */
  now(): number;
}

export const COST_HEADERS = ['x-igw-response-cost', 'x-litellm-response-cost'] as const;

export class Governance {
  readonly prices: PriceBook;
  private readonly parts: GovernanceParts;

  constructor(parts: GovernanceParts) {
    this.parts = parts;
    this.prices = parts.prices;
  }

  /**
   * Model access, end-user, budgets, rate limits: throws the refusal, or admits (and sets rate-limit headers).
   * Without an end-user to look up and limits to check (the master key), it is done at once, without a promise.
   */
  preCall(ctx: GovernedContext, request: GovernedRequest): GovernedCall | Promise<GovernedCall> {
    const { principal } = ctx;
    const meta = takeRequestMeta(request.body, ctx.req.headers, END_USER_FIELD[request.callType]);
    const call: GovernedCall = { callType: request.callType, model: request.model, served: request.model, meta, startedAt: this.parts.now(), admission: null, charge: null, counted: null, settled: false };
    ctx.governed = call;
    checkModelAccess(principal, request.model);
    if (meta.endUser && this.parts.storeInUse(principal)) return this.admitWithEndUser(ctx, call, meta.endUser);
    const admission = this.parts.limiter.admit(subjectsOf(principal, null), request.model);
    return admission instanceof Promise ? admission.then((a) => admitted(ctx, call, a)) : admitted(ctx, call, admission);
  }

  private async admitWithEndUser(ctx: GovernedContext, call: GovernedCall, endUserId: string): Promise<GovernedCall> {
    const endUser = await this.parts.endUser(endUserId);
    if (endUser?.record.blocked) throw endUserBlocked(endUser.record.user_id, call.meta.endUserParam ?? END_USER_FIELD[call.callType]);
    const budgets = endUser?.budget ? { [endUser.budget.budget_id]: endUser.budget } : undefined;
    return admitted(ctx, call, await this.parts.limiter.admit(subjectsOf(ctx.principal, endUser?.record ?? null, budgets), call.model));
  }

  /**
   * Before the router falls back to another model group: the caller must be allowed to call it, and its
   * per-model budget and rate limits (model_max_budget, model_rpm_limit, model_tpm_limit) must admit the
   * request, which then counts against them instead of the model asked for. Throws the refusal: the router
   * skips the group. Reads the cached records and the state backend only, as preCall does.
   */
  async admitFallback(ctx: GovernedContext, model: string): Promise<void> {
    checkModelAccess(ctx.principal, model);
    const call = ctx.governed;
    if (!call || call.settled) return;
    if (call.admission) setHeaders(ctx, await this.parts.limiter.admitModel(call.admission, model));
    call.served = model;
  }

  /**
   * For streams, whose headers left before the cost was known: the cost as a final SSE comment, written
   * just before `data: [DONE]` (SSE clients ignore comments). Prices the request once, and starts the counter
   * updates here, before the client can see the end of the stream and send its next request (both state
   * engines apply operations in the order they are issued); postCall awaits them.
   */
  streamCostComment(ctx: GovernedContext, deployment: Deployment, usage: unknown): string | undefined {
    const call = ctx.governed;
    if (!call || call.settled) return undefined;
    const charge = this.price(call, deployment, usage);
    if (call.admission && call.counted === null) call.counted = this.count(ctx, call.admission, charge);
    return `: x-igw-response-cost: ${formatUsd(charge.nanos)}\n\n`;
  }

  /**
   * Usage → cost (headers, when they have not left yet) → spend row queued → state counters, awaited so that
   * the caller's next request sees them (the row is queued first: queuing is synchronous and a shutdown
   * between the two must not lose it).
   */
  postCall(ctx: GovernedContext, outcome: CallOutcome): Promise<void> | undefined {
    const call = ctx.governed;
    if (!call || call.settled) return undefined;
    call.settled = true;
    const charge = call.charge ?? this.price(call, outcome.deployment, outcome.usage);
    const cost = formatUsd(charge.nanos);
    ctx.log.costUsd = cost;
    if (!ctx.res.headersSent) for (const h of COST_HEADERS) setResponseHeader(ctx.res, h, cost);
    const error = outcome.error;
    this.enqueue(ctx, call, { status: error ? 'failure' : 'success', errorCode: error?.code ?? null, deployment: outcome.deployment.id, charge });
    if (!call.admission) return undefined;
    if (call.counted === null) call.counted = this.count(ctx, call.admission, charge);
    return call.counted;
  }

  /** After every request: what preCall admitted and postCall did not finish is released and logged as failed. */
  settle(ctx: GovernedContext): void {
    const call = ctx.governed;
    if (!call || call.settled) return;
    call.settled = true;
    if (call.admission) void this.release(ctx, call.admission);
    const errorCode = ctx.log.errorCode ?? (ctx.res.writableFinished ? null : 'client_closed_request');
    const deployment = ctx.log.deployment ?? lastAttempted(responseHeader(ctx.res, 'x-igw-attempt-log'));
    this.enqueue(ctx, call, { status: 'failure', errorCode, deployment, charge: call.charge });
  }

  private price(call: GovernedCall, deployment: Deployment, usage: unknown): Charge {
    if (call.charge) return call.charge;
    const u = isCanonical(usage) ? usage : usageFromOpenAI(usage);
    const price = this.prices.priceFor(deployment.config, deployment.providerModel);
    const nanos = u ? price.cost(u, new Date(this.parts.now())) : 0;
    return (call.charge = { deployment, usage: u, nanos });
  }

  /**
   * Cost into the budgets, tokens into the tpm windows, slots back: all issued at once. Undefined when there is
   * nothing to wait for (the master key; a key without parallel limits whose counters the in-memory state
   * updated at once), so that the answer need not wait for a promise.
   */
  private count(ctx: GovernedContext, admission: Admission, charge: Charge): Promise<void> | undefined {
    if (admission.subjects.length === 0) return undefined;
    const charged = this.parts.limiter.charge(admission, charge.nanos, totalTokens(charge.usage))?.catch((err: unknown) => {
      // The provider has answered and will bill; the spend-log row still records the spend.
      this.parts.logger.error({ err, requestId: ctx.requestId }, 'could not add the request to its budget and rate-limit counters');
    });
    const released = this.release(ctx, admission);
    if (!charged && !released) return undefined;
    return Promise.all([charged, released]).then(() => undefined);
  }

  private release(ctx: GovernedContext, admission: Admission): Promise<void> | undefined {
    return this.parts.limiter.release(admission)?.catch((err: unknown) => {
      this.parts.logger.error({ err, requestId: ctx.requestId }, 'could not release parallel-request slots (they expire on their own)');
    });
  }

  private enqueue(ctx: GovernedContext, call: GovernedCall, o: { status: 'success' | 'failure'; errorCode: string | null; deployment: string | null; charge: Charge | null }): void {
    if (!this.parts.spendLogs || !this.parts.storeInUse(ctx.principal)) return;
    this.parts.writer.enqueue(
      spendRow({
        requestId: ctx.requestId,
        req: ctx.req,
        principal: ctx.principal,
        meta: call.meta,
        callType: call.callType,
        model: call.served,
        requestedModel: call.model,
        deployment: o.deployment,
        usage: o.charge?.usage,
        costNanos: o.charge?.nanos ?? 0,
        startedAt: call.startedAt,
        endedAt: this.parts.now(),
        latencyMs: Math.round(performance.now() - ctx.startedAt),
        status: o.status,
        errorCode: o.errorCode,
      }),
    );
  }
}

/** The admission is kept on the call; its rate-limit and soft-budget headers go on the response. */
function admitted(ctx: GovernedContext, call: GovernedCall, admission: Admission): GovernedCall {
  call.admission = admission;
  setHeaders(ctx, admission.headers);
  if (admission.softBudget.length > 0) {
    setResponseHeader(ctx.res, 'x-igw-soft-budget-exceeded', admission.softBudget.join(','));
    ctx.log.softBudget = admission.softBudget;
  }
  return call;
}

function setHeaders(ctx: GovernedContext, headers: Record<string, string>): void {
  if (ctx.res.headersSent) return;
  for (const name in headers) setResponseHeader(ctx.res, name, headers[name]);
}

function isCanonical(usage: unknown): usage is Usage {
  return typeof usage === 'object' && usage !== null && typeof (usage as Usage).inputTokens === 'number';
}

/**
 * A failed routing lists its tries in `x-igw-attempt-log` (`id=outcome, …`): the last one called is the
 * request's deployment (fallback groups listed as `name=skipped(…)` were not called).
 */
function lastAttempted(header: unknown): string | null {
  const entries = typeof header === 'string' ? header.split(', ') : [];
  const last = entries.findLast((e) => e.includes('=') && !e.includes('=skipped'));
  return last ? last.slice(0, last.lastIndexOf('=')) : null;
}
