// Plumbing shared by the management routes: body and query, replies, store errors → API errors, 404/409s,
// and cache invalidation after a change.
import { GatewayError, badRequest } from '../../canonical/index.ts';
import type { Invalidation } from '../../auth/index.ts';
import { StoreError, type Store } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { readJsonObject, sendJson } from '../http.ts';
import type { Body } from './fields.ts';

export type AdminHandler = (ctx: RequestContext, deps: GatewayDeps) => Promise<void>;

export async function readBody(ctx: RequestContext, deps: GatewayDeps): Promise<Body> {
  return readJsonObject(ctx.req, deps.maxBodyBytes);
}

/** Whether the request carries a body at all (a path-only POST may have none). */
export function hasBody(ctx: RequestContext): boolean {
  const h = ctx.req.headers;
  return (h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined;
}

export function queryOf(ctx: RequestContext): URLSearchParams {
  const url = ctx.req.url ?? '/';
  const q = url.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
}

export function reply(ctx: RequestContext, value: unknown, status = 200): void {
  sendJson(ctx.res, status, JSON.stringify(value));
}

export function notFound(what: string, id: string, param: string): GatewayError {
  return new GatewayError({
    status: 404,
    kind: 'not_found',
    code: `${what.replace(/[^a-z]+/gi, '_').toLowerCase()}_not_found`,
    type: 'not_found_error',
    param,
    message: `${what[0].toUpperCase()}${what.slice(1)} '${id}' does not exist.`,
  });
}

export function conflict(message: string, param: string | null): GatewayError {
  return new GatewayError({ status: 409, kind: 'bad_request', code: 'conflict', type: 'invalid_request_error', param, message });
}

/** StoreError → the API's answer: conflict 409, not_found 404, invalid 400, unavailable 503. */
export function fromStoreError(err: unknown, input: Body = {}): never {
  if (!(err instanceof StoreError)) throw err;
  const field = err.field;
  const value = field && typeof input[field] === 'string' ? ` '${input[field]}'` : '';
  switch (err.code) {
    case 'conflict':
      throw conflict(field && value ? `${field}${value} already exists.` : err.message, field);
    case 'not_found':
      throw new GatewayError({ status: 404, kind: 'not_found', code: `${field ?? 'record'}_not_found`, type: 'not_found_error', param: field, message: err.message });
    case 'invalid':
      throw badRequest(err.message, field, 'invalid_field');
    default:
      throw new GatewayError({ status: 503, kind: 'server', code: 'store_unavailable', message: err.message });
  }
}

/** Opens the store if needed and runs `fn`, mapping store errors to API errors. */
export async function withStore<T>(deps: GatewayDeps, fn: (store: Store) => Promise<T>, input: Body = {}): Promise<T> {
  let store: Store;
  try {
    store = await deps.store.get();
  } catch (err) {
    throw new GatewayError({ status: 503, kind: 'server', code: 'store_unavailable', message: `The store is unavailable: ${(err as Error).message}` });
  }
  try {
    return await fn(store);
  } catch (err) {
    return fromStoreError(err, input);
  }
}

export async function invalidate(deps: GatewayDeps, ...invs: Invalidation[]): Promise<void> {
  await deps.invalidations.publish(...invs);
}

/** Pagination block in LiteLLM's list responses. */
export function pages(total: number, page: number, size: number): { total_pages: number } {
  return { total_pages: Math.max(1, Math.ceil(total / size)) };
}
