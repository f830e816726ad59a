// GET /v1/models and /v1/models/{id}: the model names this gateway serves, in OpenAI's list shape.
import { GatewayError } from '../../canonical/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { sendJson } from '../http.ts';

const CREATED = Math.floor(Date.now() / 1000);

function modelObject(id: string): object {
  return { id, object: 'model', created: CREATED, owned_by: 'igw' };
}

export async function listModels(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const data = deps.router.modelNames().map(modelObject);
  sendJson(ctx.res, 200, JSON.stringify({ object: 'list', data }));
}

export async function retrieveModel(ctx: RequestContext, deps: GatewayDeps, id: string): Promise<void> {
  if (!deps.router.has(id)) {
    throw new GatewayError({
      status: 404,
      kind: 'not_found',
      code: 'model_not_found',
      param: 'model',
      type: 'invalid_request_error',
      message: `The model '${id}' does not exist on this gateway. Available models: ${deps.router.modelNames().join(', ')}`,
    });
  }
  sendJson(ctx.res, 200, JSON.stringify(modelObject(id)));
}
