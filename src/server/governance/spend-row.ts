// One spend-log row per request (LiteLLM's SpendLogs), success or failure.
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../auth/index.ts';
import type { Usage } from '../../canonical/index.ts';
import { nanosToUsd } from '../../spend/index.ts';
import type { NewSpendLog, SpendStatus } from '../../store/index.ts';
import type { RequestMeta } from './request-meta.ts';

export interface RowFacts {
  requestId: string;
  req: IncomingMessage;
  principal: Principal;
  meta: RequestMeta;
  callType: string;
  /** The model group that served (or was last tried). */
  model: string;
  /** The model the client asked for; kept in `metadata.requested_model` when a fallback served. */
  requestedModel: string;
  deployment: string | null;
  usage: Usage | undefined;
  costNanos: number;
  startedAt: number;
  endedAt: number;
  latencyMs: number;
  status: SpendStatus;
  errorCode: string | null;
}

export function spendRow(f: RowFacts): NewSpendLog {
  const { key, user, team, organization } = f.principal;
  const u = f.usage;
  const metadata: Record<string, unknown> = { ...f.meta.metadata };
  if (key?.key_alias) metadata.key_alias = key.key_alias;
  if (f.requestedModel !== f.model) metadata.requested_model = f.requestedModel;
  return {
    request_id: rowId(f, metadata),
    api_key: key?.token ?? '',
    user_id: key?.user_id ?? user?.user_id ?? null,
    team_id: key?.team_id ?? team?.team_id ?? null,
    organization_id: organization?.organization_id ?? key?.organization_id ?? null,
    end_user: f.meta.endUser,
    model: f.model,
    deployment: f.deployment,
    call_type: f.callType,
    prompt_tokens: u?.inputTokens ?? 0,
    completion_tokens: u?.outputTokens ?? 0,
    total_tokens: u ? u.inputTokens + u.outputTokens : 0,
    cached_read_tokens: u?.cacheReadTokens ?? 0,
    cache_write_tokens: u?.cacheWriteTokens ?? 0,
    reasoning_tokens: u?.reasoningTokens ?? 0,
    spend: nanosToUsd(f.costNanos),
    start_time: new Date(f.startedAt).toISOString(),
    end_time: new Date(f.endedAt).toISOString(),
    latency_ms: f.latencyMs,
    status: f.status,
    error_code: f.errorCode,
    cache_hit: false,
    tags: f.meta.tags,
    metadata,
  };
}

/**
 * The row's id is the request id igw made; a client's own `x-request-id` cannot be trusted to be unique (the
 * store skips ids it has, so a reused one would hide spend), so it is kept in `metadata.client_request_id`.
 */
function rowId(f: RowFacts, metadata: Record<string, unknown>): string {
  if (f.req.headers['x-request-id'] !== f.requestId) return f.requestId;
  metadata.client_request_id = f.requestId;
  return randomUUID();
}
