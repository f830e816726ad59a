// Per-deployment prices from config.yaml, with LiteLLM's field names, read from `model_info` first and then
// `litellm_params` (LiteLLM accepts both places). Each one given replaces that part of the catalogue price.
import type { DeploymentConfig } from '../config/types.ts';

export interface PriceOverrides {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** LiteLLM's names, USD per token. */
export const OVERRIDE_FIELDS = {
  input: 'input_cost_per_token',
  output: 'output_cost_per_token',
  cacheRead: 'cache_read_input_token_cost',
  cacheWrite: 'cache_creation_input_token_cost',
  reasoning: 'output_cost_per_reasoning_token',
} as const satisfies Record<keyof PriceOverrides, string>;

export function priceOverrides(cfg: DeploymentConfig): PriceOverrides {
  const out: PriceOverrides = {};
  for (const part of Object.keys(OVERRIDE_FIELDS) as (keyof PriceOverrides)[]) {
    const field = OVERRIDE_FIELDS[part];
    const value = usd(cfg.model_info[field]) ?? usd(cfg.litellm_params[field]);
    if (value !== undefined) out[part] = value;
  }
  return out;
}

export function hasOverrides(o: PriceOverrides): boolean {
  return Object.keys(o).length > 0;
}

// The config schema has already turned numeric strings into numbers and refused negative values.
function usd(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}
