// The route table: every path is served with and without the `/v1` prefix, as LiteLLM does.
import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../canonical/index.ts';
import { countTokens, messages } from './anthropic/messages.ts';
import { renderAnthropicError } from './anthropic/render-anthropic-error.ts';
import { ADMIN_ROUTES, matchAdminPattern } from './admin/index.ts';
import type { GatewayDeps, Handler, RequestContext } from './context.ts';
import { health, liveliness, readiness } from './health.ts';
import { chatCompletions } from './openai/chat.ts';
import { embeddings } from './openai/embeddings.ts';
import { listModels, retrieveModel } from './openai/models.ts';
import { modelInfo } from './openai/model-info.ts';

export interface Route {
  handler: Handler;
  /** Health checks answer without a key. */
  open?: boolean;
  /** Each surface renders its own errors (including auth failures); OpenAI's envelope by default. */
  renderError?: (res: ServerResponse, err: GatewayError) => void;
}

/** Method → path → route: two lookups of strings the request already holds, nothing to concatenate. */
const table = new Map<string, Map<string, Route>>();

function add(method: string, path: string, route: Route): void {
  let paths = table.get(method);
  if (!paths) table.set(method, (paths = new Map()));
  paths.set(path, route);
  if (path.startsWith('/v1/')) paths.set(path.slice(3), route);
}

add('POST', '/v1/chat/completions', { handler: chatCompletions });
add('POST', '/chat/completions', { handler: chatCompletions });
add('POST', '/v1/embeddings', { handler: embeddings });
add('POST', '/v1/messages', { handler: messages, renderError: renderAnthropicError });
add('POST', '/v1/messages/count_tokens', { handler: countTokens, renderError: renderAnthropicError });
add('GET', '/v1/models', { handler: listModels });
add('GET', '/health', { handler: health });
add('GET', '/v1/model/info', { handler: modelInfo });
for (const [method, path, handler] of ADMIN_ROUTES) add(method, path, { handler });
add('GET', '/health/liveliness', { handler: liveliness, open: true });
add('GET', '/health/liveness', { handler: liveliness, open: true });
add('GET', '/health/readiness', { handler: readiness, open: true });

const MODEL_PREFIXES = ['/v1/models/', '/models/'];

export function findRoute(method: string, path: string): Route | undefined {
  const exact = table.get(method)?.get(path);
  if (exact) return exact;
  const admin = matchAdminPattern(method, path);
  if (admin) return { handler: admin };
  if (method === 'GET') {
    for (const prefix of MODEL_PREFIXES) {
      if (path.startsWith(prefix) && path.length > prefix.length) {
        const id = decodeURIComponent(path.slice(prefix.length));
        return { handler: (ctx: RequestContext, deps: GatewayDeps) => retrieveModel(ctx, deps, id) };
      }
    }
  }
  return undefined;
}

/** Whether the path exists under another method, for a 405 instead of a 404. */
export function pathExists(path: string): boolean {
  for (const paths of table.values()) if (paths.has(path)) return true;
  return false;
}
