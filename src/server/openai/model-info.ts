// GET /model/info and /v1/model/info, LiteLLM's shape: every model_list entry the caller may use, its public
// litellm_params (never a credential) and model_info with the prices igw charges, where they come from, and a
// warning when none is known (costed at 0).
import { allows } from '../../limits/index.ts';
import { baseRate, OVERRIDE_FIELDS, type DeploymentPrice } from '../../spend/index.ts';
import type { DeploymentConfig, LitellmParams } from '../../config/types.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { sendJson } from '../http.ts';

/** litellm_params shown as they are; everything else (api_key, extra_headers, secrets of any name) is left out. */
const PUBLIC_PARAMS = ['model', 'api_base', 'api_version', 'rpm', 'tpm', 'weight', 'timeout', 'stream_timeout', 'max_retries'] as const;

export async function modelInfo(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const key = ctx.principal.key;
  const seen = new Map<string, number>();
  const data: object[] = [];
  for (const { config, price } of deps.governance.prices.entries()) {
    const n = seen.get(config.model_name) ?? 0;
    seen.set(config.model_name, n + 1);
    if (key && key.models.length > 0 && !allows(key.models, config.model_name)) continue;
    data.push({
      model_name: config.model_name,
      litellm_params: publicParams(config.litellm_params),
      model_info: { ...describe(config, price), id: config.model_info.id ?? `${config.model_name}.${n}` },
    });
  }
  sendJson(ctx.res, 200, JSON.stringify({ data }));
}

function publicParams(p: LitellmParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of PUBLIC_PARAMS) if (p[k] !== undefined) out[k] = p[k];
  return out;
}

function describe(config: DeploymentConfig, price: DeploymentPrice): Record<string, unknown> {
  const { rates } = price;
  const slash = price.providerModel.indexOf('/');
  return {
    key: price.catalog?.model ?? price.providerModel,
    litellm_provider: slash === -1 ? null : price.providerModel.slice(0, slash),
    base_model: config.model_info.base_model ?? null,
    [OVERRIDE_FIELDS.input]: baseRate(rates.input) ?? 0,
    [OVERRIDE_FIELDS.output]: baseRate(rates.output) ?? 0,
    [OVERRIDE_FIELDS.cacheRead]: baseRate(rates.cacheRead) ?? null,
    [OVERRIDE_FIELDS.cacheWrite]: baseRate(rates.cacheWrite) ?? null,
    [OVERRIDE_FIELDS.reasoning]: baseRate(rates.reasoning) ?? null,
    tiered_pricing: typeof rates.input === 'object' ? rates.input.tiers.map((t) => ({ above_input_tokens: t.start, input_cost_per_token: t.price })) : null,
    price_source: price.source,
    price_catalog_entry: price.catalog ? `${price.catalog.provider}/${price.catalog.model}` : null,
    price_warning: price.warning ?? null,
  };
}
