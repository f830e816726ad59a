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

/**
 * The row carries only what differs from the store's defaults (no key, ids null, counts 0, success, no tags,
 * no metadata): most rows then have a third of the fields, which the batch writer copies and serialises.
 */
export function spendRow(f: RowFacts): NewSpendLog {
  const { key, user, team, organization } = f.principal;
  const clientRequestId = f.req.headers['x-request-id'] === f.requestId;
  const row: NewSpendLog = {
    // The row's id is the request id igw made. A client's own `x-request-id` cannot be trusted to be unique
    // (the store skips ids it has, so a reused one would hide spend): it goes to `metadata.client_request_id`.
    request_id: clientRequestId ? randomUUID() : f.requestId,
    model: f.model,
    call_type: f.callType,
    start_time: isoTime(f.startedAt),
    end_time: isoTime(f.endedAt),
    latency_ms: f.latencyMs,
  };
  if (key?.token) row.api_key = key.token;
  const userId = key?.user_id ?? user?.user_id;
  if (userId) row.user_id = userId;
  const teamId = key?.team_id ?? team?.team_id;
  if (teamId) row.team_id = teamId;
  const organizationId = organization?.organization_id ?? key?.organization_id;
  if (organizationId) row.organization_id = organizationId;
  if (f.meta.endUser) row.end_user = f.meta.endUser;
  if (f.deployment) row.deployment = f.deployment;
  if (f.usage) addUsage(row, f.usage);
  if (f.costNanos) row.spend = nanosToUsd(f.costNanos);
  if (f.status !== 'success') row.status = f.status;
  if (f.errorCode) row.error_code = f.errorCode;
  if (f.meta.tags.length > 0) row.tags = f.meta.tags;
  const metadata = rowMetadata(f, clientRequestId);
  if (metadata) row.metadata = metadata;
  return row;
}

function addUsage(row: NewSpendLog, u: Usage): void {
  if (u.inputTokens) row.prompt_tokens = u.inputTokens;
  if (u.outputTokens) row.completion_tokens = u.outputTokens;
  if (u.cacheReadTokens) row.cached_read_tokens = u.cacheReadTokens;
  if (u.cacheWriteTokens) row.cache_write_tokens = u.cacheWriteTokens;
  if (u.reasoningTokens) row.reasoning_tokens = u.reasoningTokens;
}

/** The request's metadata plus what igw adds; undefined when there is none (most rows). */
function rowMetadata(f: RowFacts, clientRequestId: boolean): Record<string, unknown> | undefined {
  const alias = f.principal.key?.key_alias;
  const fellBack = f.requestedModel !== f.model;
  if (!alias && !fellBack && !clientRequestId && isEmpty(f.meta.metadata)) return undefined;
  const metadata: Record<string, unknown> = { ...f.meta.metadata };
  if (alias) metadata.key_alias = alias;
  if (fellBack) metadata.requested_model = f.requestedModel;
  if (clientRequestId) metadata.client_request_id = f.requestId;
  return metadata;
}

function isEmpty(o: Record<string, unknown>): boolean {
  for (const _ in o) return false;
  return true;
}

/** Epoch ms of 10000-01-01: from then on toISOString() writes a six-digit year. */
const YEAR_10000 = 253_402_300_800_000;
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()`, with the text up to the second kept from the last call: two times per row, and
 * a Date plus its formatting cost ~0.5 µs each on the event loop, most of the row's cost.
 */
export function isoTime(ms: number): string {
  const t = Math.floor(ms);
  if (!(t >= 0 && t < YEAR_10000)) return new Date(ms).toISOString();
  const second = Math.floor(t / 1000);
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20); // 'YYYY-MM-DDTHH:MM:SS.'
    cachedSecond = second;
  }
  const milli = t - second * 1000;
  return `${cachedPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
