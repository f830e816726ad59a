// Choosing a deployment of a group for one attempt: skip the ones cooling down, at their rpm/tpm caps, or
// already failed in this request (unless nothing else is left), then let the strategy choose. Half-open
// deployments are eligible, and the one chosen takes the probe slot.
import { GatewayError } from '../canonical/index.ts';
import type { Cooldowns } from './cooldowns.ts';
import type { Deployment } from './deployment.ts';
import type { Group } from './groups.ts';
import type { PickContext, Strategy } from './strategies.ts';

export interface Picked {
  deployment: Deployment;
  probe: boolean;
}

export interface SelectContext extends PickContext {
  cooldowns: Cooldowns;
  /** Picking a hedge target: never reuse a deployment of this request. */
  hedge: boolean;
}

export function pickDeployment(group: Group, failed: ReadonlySet<Deployment>, strategy: Strategy, ctx: SelectContext): Picked {
  if (group.usable.length === 0) throw group.unusable[0];
  const open = keep(group.usable, (d) => ctx.cooldowns.admission(d) !== 'cooling');
  const underCap = keep(open, (d) => !atCap(d, ctx));
  const fresh = failed.size === 0 ? underCap : underCap.filter((d) => !failed.has(d));
  const candidates = fresh.length > 0 || ctx.hedge ? fresh : underCap;
  if (candidates.length === 0) throw noCandidate(group, open, ctx);
  let pool: readonly Deployment[] = candidates;
  while (pool.length > 0) {
    const d = pool.length === 1 ? pool[0] : strategy(pool, ctx);
    if (ctx.cooldowns.admission(d) === 'closed') return { deployment: d, probe: false };
    if (ctx.cooldowns.claimProbe(d)) return { deployment: d, probe: true };
    pool = pool.filter((x) => x !== d);
  }
  throw noCandidate(group, [], ctx);
}

/**
 * The group's one deployment when there is nothing to choose (most groups): alone, not failed in this request,
 * without rpm/tpm caps, not cooling down or half-open. The caller can skip building a SelectContext.
 */
export function loneDeployment(group: Group, failed: ReadonlySet<Deployment>, cooldowns: Cooldowns, hedge: boolean): Picked | undefined {
  if (group.usable.length !== 1 || failed.size > 0 || hedge) return undefined;
  const d = group.usable[0];
  return !hasCaps(d) && cooldowns.admission(d) === 'closed' ? { deployment: d, probe: false } : undefined;
}

function hasCaps(d: Deployment): boolean {
  return d.rpmLimit !== undefined || d.tpmLimit !== undefined;
}

/** `xs` filtered by `test`; `xs` itself when every element passes (the usual case: nothing to copy). */
function keep(xs: readonly Deployment[], test: (d: Deployment) => boolean): readonly Deployment[] {
  for (let i = 0; i < xs.length; i++) {
    if (!test(xs[i])) return xs.filter(test);
  }
  return xs;
}

function atCap(d: Deployment, ctx: SelectContext): boolean {
  if (!hasCaps(d)) return false;
  const used = ctx.stats.of(d).usage(ctx.now);
  return (d.rpmLimit !== undefined && used.requests >= d.rpmLimit) || (d.tpmLimit !== undefined && used.tokens >= d.tpmLimit);
}

/** Every deployment cooling → 503 naming them; all at their caps → 429 until the minute turns. */
function noCandidate(group: Group, open: readonly Deployment[], ctx: SelectContext): GatewayError {
  if (ctx.hedge) return new GatewayError({ status: 503, kind: 'overloaded', code: 'no_hedge_target', message: 'No other deployment to hedge on' });
  if (open.length > 0) {
    const resetMs = Math.min(...open.map((d) => ctx.stats.of(d).usage(ctx.now).resetMs));
    return new GatewayError({
      status: 429,
      kind: 'rate_limit',
      code: 'deployment_limits_reached',
      message: `Every deployment of '${group.name}' is at its rpm/tpm limit for this minute`,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(resetMs / 1000))) },
    });
  }
  const cooling = group.usable.map((d) => `${d.id} (${Math.ceil(ctx.cooldowns.remainingMs(d) / 1000)} s)`);
  const soonest = Math.min(...group.usable.map((d) => ctx.cooldowns.remainingMs(d)));
  return new GatewayError({
    status: 503,
    kind: 'overloaded',
    code: 'all_deployments_cooling_down',
    message: `Every deployment of '${group.name}' is cooling down after failures: ${cooling.join(', ')}`,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(soonest / 1000))) },
  });
}
