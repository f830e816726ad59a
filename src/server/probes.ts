// Deployment probes: one tiny real request per deployment (a one-token chat, or an embedding for
// `model_info.mode: embedding`), used by GET /health and by the optional background health checks.
import { GatewayError, type ChatRequest, type ErrorKind } from '../canonical/index.ts';
import type { Deployment, ModelRouter } from '../router/index.ts';
import { jsonAttempt } from './openai/upstream-call.ts';

export interface ProbeResult {
  model: string;
  deployment: string;
  provider_model: string;
  healthy: boolean;
  latency_ms: number;
  error?: string;
  error_kind?: ErrorKind;
}

const PROBE_TIMEOUT_MS = 30_000;

export async function probeAll(router: ModelRouter): Promise<ProbeResult[]> {
  const jobs: Promise<ProbeResult>[] = [];
  for (const group of router.groups.all()) {
    for (const d of group.usable) jobs.push(probe(group.name, d));
    for (const err of group.unusable) {
      jobs.push(Promise.resolve({ model: group.name, deployment: '-', provider_model: '-', healthy: false, latency_ms: 0, error: err.message }));
    }
  }
  return Promise.all(jobs);
}

export async function probe(model: string, d: Deployment): Promise<ProbeResult> {
  const embedding = d.mode === 'embedding';
  // Chat probes of other dialects go through the canonical form, so every upstream gets a request it understands.
  const attempt = jsonAttempt((dep) => {
    const target = dep.upstream.target;
    if (embedding && target.buildEmbeddings) return target.buildEmbeddings({ model, input: 'health check' });
    // Embedding plans of other dialects (Gemini, Bedrock Titan…): the first call is a fair probe.
    if (embedding && target.translateEmbeddings) return target.translateEmbeddings({ model, input: 'health check' }).requests[0];
    if (target.dialect === 'openai-chat' && target.buildChat) {
      return target.buildChat({ model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }, { stream: false });
    }
    const ping: ChatRequest = { model, stream: false, maxTokens: 1, messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }] };
    return target.buildFromCanonical(ping, { stream: false }).request;
  });
  const started = performance.now();
  const base = { model, deployment: d.id, provider_model: d.providerModel };
  try {
    await attempt(d, AbortSignal.timeout(Math.min(PROBE_TIMEOUT_MS, d.timeoutMs)));
    return { ...base, healthy: true, latency_ms: Math.round(performance.now() - started) };
  } catch (err) {
    const known = err instanceof GatewayError;
    return {
      ...base,
      healthy: false,
      latency_ms: Math.round(performance.now() - started),
      error: known ? err.message : 'the probe timed out',
      error_kind: known ? err.kind : 'timeout',
    };
  }
}

/** Background checks feed the circuit breaker, so a dead deployment cools down before users hit it. */
export function startBackgroundHealthChecks(router: ModelRouter, intervalMs: number): () => void {
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      for (const group of router.groups.all()) {
        for (const d of group.usable) {
          const r = await probe(group.name, d);
          if (r.healthy) router.cooldowns.recordSuccess(d);
          else router.cooldowns.recordFailure(d, r.error_kind ?? 'timeout');
        }
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
