// Router settings from config: router_settings wins over litellm_settings, which wins over defaults.
import type { GatewayConfig } from '../config/types.ts';
import type { DeploymentDefaults } from './deployment.ts';
import { fallbackSettings, type FallbackSettings } from './fallbacks.ts';
import { retrySettings, type RetrySettings } from './retry-policy.ts';

export interface RouterOptions {
  defaults: DeploymentDefaults;
  strategy?: string;
  latencyBuffer: number;
  retry: RetrySettings;
  fallbacks: FallbackSettings;
  allowedFails: number;
  cooldownMs: number;
  hedgeAfter: ReadonlyMap<string, number | 'p95'>;
  now?: () => number;
  random?: () => number;
}

/** LiteLLM's defaults: 3 failures a minute before a 5 s cooldown; igw retries twice by default. */
export const DEFAULT_NUM_RETRIES = 2;
export const DEFAULT_ALLOWED_FAILS = 3;
export const DEFAULT_COOLDOWN_SECONDS = 5;

export function routerOptions(config: GatewayConfig, env: NodeJS.ProcessEnv): RouterOptions {
  const r = config.router_settings;
  const l = config.litellm_settings;
  return {
    defaults: {
      timeoutSeconds: r.timeout ?? l.timeout ?? l.request_timeout,
      streamTimeoutSeconds: r.stream_timeout ?? l.stream_timeout,
      idleTimeoutSeconds: r.stream_idle_timeout,
      env,
      dropParams: l.drop_params,
    },
    strategy: r.routing_strategy,
    latencyBuffer: r.routing_strategy_args?.lowest_latency_buffer ?? 0.1,
    retry: retrySettings(r.num_retries ?? l.num_retries ?? DEFAULT_NUM_RETRIES, r.retry_policy ?? l.retry_policy, r.retry_after ?? l.retry_after ?? 0, r.max_retry_after ?? 10),
    fallbacks: fallbackSettings(
      r.fallbacks ?? l.fallbacks,
      r.context_window_fallbacks ?? l.context_window_fallbacks,
      r.content_policy_fallbacks ?? l.content_policy_fallbacks,
      r.default_fallbacks ?? l.default_fallbacks,
    ),
    allowedFails: r.allowed_fails ?? l.allowed_fails ?? DEFAULT_ALLOWED_FAILS,
    cooldownMs: (r.cooldown_time ?? l.cooldown_time ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
    hedgeAfter: new Map(Object.entries(r.hedge_after_ms ?? {})),
  };
}
