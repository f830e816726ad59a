// Health endpoints. Liveliness and readiness are open (orchestrators probe them); /health makes real calls
// to every deployment, so it needs the master key.
import type { GatewayDeps, RequestContext } from './context.ts';
import { sendJson } from './http.ts';
import { probeAll } from './probes.ts';

export async function liveliness(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, JSON.stringify("I'm alive!"));
}

/** Whether each model group has a deployment that is not cooling down. Always 200 while igw itself is up:
 * a provider outage is not a reason to take gateway replicas out of a load balancer. */
export async function readiness(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const groups: Record<string, { usable: number; cooling: string[]; ready: boolean }> = {};
  let allReady = true;
  for (const group of deps.router.groups.all()) {
    const cooling = group.usable.filter((d) => deps.router.cooldowns.admission(d) === 'cooling').map((d) => d.id);
    const ready = group.usable.length > cooling.length;
    allReady &&= ready;
    groups[group.name] = { usable: group.usable.length - cooling.length, cooling, ready };
  }
  const db = deps.store.options.databaseUrl ? 'postgres' : 'embedded';
  sendJson(ctx.res, 200, JSON.stringify({ status: allReady ? 'healthy' : 'degraded', version: deps.version, db, cache: deps.state.engine, groups }));
}

/** LiteLLM's shape: healthy and unhealthy endpoints with counts; igw adds latency. */
export async function health(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const results = await probeAll(deps.router);
  const healthy = results.filter((r) => r.healthy);
  const unhealthy = results.filter((r) => !r.healthy);
  sendJson(
    ctx.res,
    200,
    JSON.stringify({ healthy_endpoints: healthy, unhealthy_endpoints: unhealthy, healthy_count: healthy.length, unhealthy_count: unhealthy.length }),
  );
}
