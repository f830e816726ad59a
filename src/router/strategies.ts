// Deployment selection strategies (LiteLLM's names). Each picks one of the candidates the router has
// already filtered to healthy and under their rpm/tpm caps.
import type { Deployment } from './deployment.ts';
import type { StatsTable } from './stats.ts';

export type StrategyName = 'simple-shuffle' | 'least-busy' | 'latency-based-routing' | 'usage-based-routing' | 'cost-based-routing';

export interface PickContext {
  stats: StatsTable;
  stream: boolean;
  now: number;
  /** Fraction within which latencies count as equal (routing_strategy_args.lowest_latency_buffer). */
  latencyBuffer: number;
  random: () => number;
}

export type Strategy = (candidates: readonly Deployment[], ctx: PickContext) => Deployment;

/** Weighted random by `weight` (else rpm, else tpm, else equal). */
export const simpleShuffle: Strategy = (candidates, ctx) => {
  let total = 0;
  for (const d of candidates) total += d.weight;
  if (total <= 0) return candidates[Math.floor(ctx.random() * candidates.length)];
  let r = ctx.random() * total;
  for (const d of candidates) {
    r -= d.weight;
    if (r < 0) return d;
  }
  return candidates[candidates.length - 1];
};

/** Fewest requests in flight. */
export const leastBusy: Strategy = (candidates, ctx) => lowest(candidates, (d) => ctx.stats.of(d).inFlight, ctx);

/** Lowest recent latency (time to first byte for streams, total otherwise); untried deployments first;
 * deployments within the buffer of the best share the load. */
export const latencyBased: Strategy = (candidates, ctx) => {
  const score = (d: Deployment): number => ctx.stats.of(d).meanLatency(ctx.stream) ?? 0;
  let best = Infinity;
  for (const d of candidates) best = Math.min(best, score(d));
  const near = candidates.filter((d) => score(d) <= best * (1 + ctx.latencyBuffer));
  return near[Math.floor(ctx.random() * near.length)];
};

/** Most rpm/tpm headroom this minute, as a fraction of the deployment's own limits. */
export const usageBased: Strategy = (candidates, ctx) => lowest(candidates, (d) => -headroom(d, ctx), ctx);

/** Cheapest per token; unpriced deployments last. */
export const costBased: Strategy = (candidates, ctx) => lowest(candidates, (d) => d.costPerToken ?? Infinity, ctx);

export function strategyFor(name: string | undefined): Strategy {
  switch (name) {
    case 'least-busy':
      return leastBusy;
    case 'latency-based-routing':
      return latencyBased;
    case 'usage-based-routing':
    case 'usage-based-routing-v2':
      return usageBased;
    case 'cost-based-routing':
      return costBased;
    default:
      return simpleShuffle;
  }
}

function headroom(d: Deployment, ctx: PickContext): number {
  const used = ctx.stats.of(d).usage(ctx.now);
  const rpm = d.rpmLimit ? 1 - used.requests / d.rpmLimit : 1;
  const tpm = d.tpmLimit ? 1 - used.tokens / d.tpmLimit : 1;
  return Math.min(rpm, tpm);
}

/** The candidate with the lowest score; ties broken at random so equal deployments share load. */
function lowest(candidates: readonly Deployment[], score: (d: Deployment) => number, ctx: PickContext): Deployment {
  let best = Infinity;
  let ties: Deployment[] = [];
  for (const d of candidates) {
    const s = score(d);
    if (s < best) {
      best = s;
      ties = [d];
    } else if (s === best) {
      ties.push(d);
    }
  }
  if (ties.length === 0) ties = [...candidates];
  return ties[Math.floor(ctx.random() * ties.length)];
}
