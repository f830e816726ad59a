// Health endpoints, open without a key so that orchestrators can probe them.
import type { GatewayDeps, RequestContext } from './context.ts';
import { sendJson } from './http.ts';

export async function liveliness(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, JSON.stringify("I'm alive!"));
}

export async function readiness(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const models = deps.router.modelNames();
  sendJson(ctx.res, 200, JSON.stringify({ status: 'healthy', version: deps.version, models: models.length, db: 'embedded' }));
}
