// Every deployment's price, resolved once: at start-up for the model_list entries, and on first use for each
// model a wildcard entry (`openai/*`) serves. A deployment with no known price costs 0, and says so: a log
// line at start-up and a warning in /model/info.
import type { Usage } from '../canonical/index.ts';
import type { DeploymentConfig } from '../config/types.ts';
import { findCatalogPrice, prefetchCatalogPrices } from './catalog.ts';
import { costNanos } from './cost.ts';
import { usdToNanos, type Nanos } from './money.ts';
import { hasOverrides, OVERRIDE_FIELDS, priceOverrides, type PriceOverrides } from './overrides.ts';
import { ZERO_RATES, type TokenRates } from './rates.ts';

/** Where a deployment's prices come from: config.yaml, the genai-prices catalogue, both, or nowhere. */
export type PriceSource = 'config' | 'genai-prices' | 'genai-prices+config' | 'none';

export interface DeploymentPrice {
  /** `litellm_params.model`, wildcard filled in. */
  providerModel: string;
  source: PriceSource;
  /** The catalogue entry used, when one matched. */
  catalog?: { provider: string; model: string };
  rates: TokenRates;
  /** Why the cost may be wrong; shown in /model/info. */
  warning?: string;
  cost(usage: Usage, at: Date): Nanos;
}

export type PriceWarningSink = (message: string, context: { model_name: string; model: string; path: string }) => void;

const MAX_WILDCARD_PRICES = 1000;

export class PriceBook {
  private readonly exact = new Map<DeploymentConfig, DeploymentPrice>();
  private readonly wildcard = new Map<DeploymentConfig, Map<string, DeploymentPrice>>();
  private readonly warn: PriceWarningSink;

  constructor(list: readonly DeploymentConfig[], warn: PriceWarningSink) {
    this.warn = warn;
    // Wildcard entries look prices up while serving, so the catalogue is loaded in-process anyway; otherwise
    // every lookup is answered at once, out of process (catalog.ts).
    if (!list.some((cfg) => cfg.litellm_params.model.includes('*'))) {
      prefetchCatalogPrices(list.map((cfg) => candidatesFor(cfg, cfg.litellm_params.model)).filter((c) => c !== undefined));
    }
    for (const cfg of list) {
      if (!cfg.litellm_params.model.includes('*')) this.exact.set(cfg, this.resolve(cfg, cfg.litellm_params.model));
    }
  }

  /** The price of `cfg` serving `providerModel` (its own model, or what its wildcard matched). */
  priceFor(cfg: DeploymentConfig, providerModel: string): DeploymentPrice {
    const known = this.exact.get(cfg);
    if (known) return known;
    let perModel = this.wildcard.get(cfg);
    if (!perModel) this.wildcard.set(cfg, (perModel = new Map()));
    let price = perModel.get(providerModel);
    if (!price) {
      if (perModel.size >= MAX_WILDCARD_PRICES) perModel.clear();
      perModel.set(providerModel, (price = this.resolve(cfg, providerModel)));
    }
    return price;
  }

  /** model_list entries (wildcards excluded) with their prices, in config order. */
  entries(): { config: DeploymentConfig; price: DeploymentPrice }[] {
    return [...this.exact].map(([config, price]) => ({ config, price }));
  }

  private resolve(cfg: DeploymentConfig, providerModel: string): DeploymentPrice {
    const price = resolvePrice(cfg, providerModel);
    if (price.warning) this.warn(price.warning, { model_name: cfg.model_name, model: providerModel, path: cfg.path });
    return price;
  }
}

export function resolvePrice(cfg: DeploymentConfig, providerModel: string): DeploymentPrice {
  const overrides = priceOverrides(cfg);
  const catalog = catalogFor(cfg, providerModel);
  if (!catalog && !hasOverrides(overrides)) {
    return {
      providerModel,
      source: 'none',
      rates: ZERO_RATES,
      warning: `no price known for '${providerModel}': its requests are costed at 0. Set model_info.${OVERRIDE_FIELDS.input} and ${OVERRIDE_FIELDS.output}` +
        (providerModel.startsWith('azure/') ? ', or model_info.base_model to the Azure model name' : ''),
      cost: () => 0,
    };
  }
  const rates = withOverrides(catalog?.rates ?? ZERO_RATES, overrides);
  const source: PriceSource = !catalog ? 'config' : hasOverrides(overrides) ? 'genai-prices+config' : 'genai-prices';
  const price: DeploymentPrice = { providerModel, source, rates, cost: (usage) => costNanos(rates, usage) };
  if (catalog) price.catalog = { provider: catalog.providerId, model: catalog.modelId };
  const dynamic = catalog?.priceAt;
  if (dynamic && !hasOverrides(overrides)) price.cost = (usage, at) => usdToNanos(dynamic(usage, at));
  const missing = !catalog ? (['input', 'output'] as const).filter((part) => overrides[part] === undefined) : [];
  if (missing.length > 0) {
    price.warning = `no ${missing.map((m) => OVERRIDE_FIELDS[m]).join(' or ')} for '${providerModel}': that part is costed at 0`;
  }
  return price;
}

function catalogFor(cfg: DeploymentConfig, providerModel: string) {
  const candidates = candidatesFor(cfg, providerModel);
  return candidates ? findCatalogPrice(candidates) : undefined;
}

/** Catalogue names to try, best first. `mock/` models are priced only from config, so tests and demos decide their own prices. */
function candidatesFor(cfg: DeploymentConfig, providerModel: string): string[] | undefined {
  const slash = providerModel.indexOf('/');
  const prefix = slash === -1 ? '' : providerModel.slice(0, slash);
  if (prefix === 'mock') return undefined;
  const candidates: string[] = [];
  const base = cfg.model_info.base_model;
  if (typeof base === 'string' && base.length > 0) {
    if (prefix && !base.includes('/')) candidates.push(`${prefix}/${base}`);
    candidates.push(base);
  }
  candidates.push(providerModel);
  return candidates;
}

function withOverrides(rates: TokenRates, o: PriceOverrides): TokenRates {
  const out: TokenRates = { ...rates };
  if (o.input !== undefined) out.input = o.input;
  if (o.output !== undefined) out.output = o.output;
  if (o.cacheRead !== undefined) out.cacheRead = o.cacheRead;
  if (o.cacheWrite !== undefined) out.cacheWrite = o.cacheWrite;
  if (o.reasoning !== undefined) out.reasoning = o.reasoning;
  return Object.freeze(out);
}
