// Response headers that say who answered and what it took (igw's names, plus LiteLLM's for drop-in clients).
import type { ServerResponse } from 'node:http';
import { attemptLog, upstreamAttempts, type Routed } from '../../router/index.ts';
import { setResponseHeader } from '../response-headers.ts';

export function setRoutingHeaders(res: ServerResponse, routed: Routed<unknown>): void {
  const won = routed.attempts.findLast((r) => r.deployment === routed.deployment.id && r.outcome === 'ok');
  setResponseHeader(res, 'x-igw-deployment', routed.deployment.id);
  setResponseHeader(res, 'x-igw-model', routed.model);
  setResponseHeader(res, 'x-igw-attempts', String(upstreamAttempts(routed.attempts)));
  setResponseHeader(res, 'x-igw-upstream-latency-ms', String(won?.ms ?? 0));
  if (routed.attempts.length > 1) setResponseHeader(res, 'x-igw-attempt-log', attemptLog(routed.attempts));
  setResponseHeader(res, 'x-litellm-model-id', routed.deployment.id);
  setResponseHeader(res, 'x-litellm-model-group', routed.model);
}
