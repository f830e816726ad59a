// Response headers that say who answered and what it took (igw's names, plus LiteLLM's for drop-in clients).
import type { ServerResponse } from 'node:http';
import { attemptLog, upstreamAttempts, type AttemptRecord, type Routed } from '../../router/index.ts';
import { setResponseHeader } from '../response-headers.ts';

export function setRoutingHeaders(res: ServerResponse, routed: Routed<unknown>): void {
  const won = answered(routed);
  setResponseHeader(res, 'x-igw-deployment', routed.deployment.id);
  setResponseHeader(res, 'x-igw-model', routed.model);
  setResponseHeader(res, 'x-igw-attempts', String(upstreamAttempts(routed.attempts)));
  setResponseHeader(res, 'x-igw-upstream-latency-ms', String(won?.ms ?? 0));
  if (routed.attempts.length > 1) setResponseHeader(res, 'x-igw-attempt-log', attemptLog(routed.attempts));
  setResponseHeader(res, 'x-litellm-model-id', routed.deployment.id);
  setResponseHeader(res, 'x-litellm-model-group', routed.model);
}

/** The attempt whose answer the client gets: the last successful one on the deployment that answered. */
function answered(routed: Routed<unknown>): AttemptRecord | undefined {
  const { attempts } = routed;
  for (let i = attempts.length - 1; i >= 0; i--) {
    const r = attempts[i];
    if (r.deployment === routed.deployment.id && r.outcome === 'ok') return r;
  }
  return undefined;
}
