import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticator, InvalidationBus, Principal } from '../auth/index.ts';
import type { Logger } from '../observability/index.ts';
import type { ModelRouter } from '../router/index.ts';
import type { StateBackend } from '../state/index.ts';
import type { StoreHandle } from '../store/index.ts';
import type { GovernanceService, GovernedCall } from './governance/index.ts';

/** Everything a route handler may use; built once at start-up. */
export interface GatewayDeps {
  router: ModelRouter;
  auth: Authenticator;
  logger: Logger;
  maxBodyBytes: number;
  version: string;
  /** Durable governance data (keys, users, teams, spend); opened on first use when embedded. */
  store: StoreHandle;
  /** Shared counters and entries (limits, budgets, cooldowns). */
  state: StateBackend;
  /** Management API changes → caches on every replica. */
  invalidations: InvalidationBus;
  /** Pre-call checks, cost and spend logging (src/server/governance/). */
  governance: GovernanceService;
}

/** Per-request state. `log` collects the fields of the one log line written when the response ends. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  startedAt: number;
  /** Aborted when the client goes away before the response is complete. */
  signal: AbortSignal;
  log: RequestLog;
  /** Who is calling; set by authentication before the handler runs (OPEN_PRINCIPAL on open routes). */
  principal: Principal;
  /** Set by governance.preCall(); settled after the response (app.ts). */
  governed?: GovernedCall;
}

export interface RequestLog {
  model?: string;
  deployment?: string;
  upstreamMs?: number;
  attempts?: number;
  stream?: boolean;
  errorCode?: string | null;
  usage?: unknown;
  /** The request's cost in USD, as sent in x-igw-response-cost. */
  costUsd?: string;
  /** Subjects at or over their soft budget. */
  softBudget?: string[];
  /** Replaces the logged path when the real one holds a secret (`/key/{key}/regenerate`). */
  path?: string;
}

export type Handler = (ctx: RequestContext, deps: GatewayDeps) => Promise<void>;
