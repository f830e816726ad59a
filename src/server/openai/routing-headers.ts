// Response headers that say who answered and what it took (igw's names, plus LiteLLM's for drop-in clients).
import type { ServerResponse } from 'node:http';
import { attemptLog, upstreamAttempts, type Routed } from '../../router/index.ts';

export function setRoutingHeaders(res: ServerResponse, routed: Routed<unknown>): void {
  const won = routed.attempts.findLast((r) => r.deployment === routed.deployment.id && r.outcome === 'ok');
  res.setHeader('x-igw-deployment', routed.deployment.id);
  res.setHeader('x-igw-model', routed.model);
  res.setHeader('x-igw-attempts', String(upstreamAttempts(routed.attempts)));
  res.setHeader('x-igw-upstream-latency-ms', String(won?.ms ?? 0));
  if (routed.attempts.length > 1) res.setHeader('x-igw-attempt-log', attemptLog(routed.attempts));
  res.setHeader('x-litellm-model-id', routed.deployment.id);
  res.setHeader('x-litellm-model-group', routed.model);
}
