// The maintained price catalogue: @pydantic/genai-prices (bundled data, no network). A deployment's model is
// looked up once, by LiteLLM's `provider/model` name; its per-million prices become per-token TokenRates.
import { calcPrice, type ModelPrice, type PriceCalculation, type Provider } from '@pydantic/genai-prices';
import type { Usage } from '../canonical/index.ts';
import type { Rate, TokenRates } from './rates.ts';

export interface CatalogPrice {
  providerId: string;
  modelId: string;
  /** The prices in force at start-up. */
  rates: TokenRates;
  /**
   * Set when the catalogue's prices depend on the date or time of day (off-peak rates): costs the request
   * with the library itself, against a one-model provider so that nothing is searched per request.
   */
  priceAt?: (usage: Usage, at: Date) => number;
}

const PROBE = { input_tokens: 1, output_tokens: 1 };

/** `candidates` in order of preference, e.g. `azure/<base_model>`, then `azure/<deployment>`. */
export function findCatalogPrice(candidates: readonly string[]): CatalogPrice | undefined {
  for (const name of candidates) {
    const found = lookup(name);
    if (found) return toCatalogPrice(found);
  }
  return undefined;
}

function lookup(name: string): PriceCalculation | null {
  try {
    // providerId 'litellm' makes the library read the `provider/` prefix as LiteLLM names providers.
    return calcPrice(PROBE, name, name.includes('/') ? { providerId: 'litellm' } : undefined);
  } catch {
    return null; // a catalogue entry the library itself cannot price is as good as none
  }
}

function toCatalogPrice(found: PriceCalculation): CatalogPrice {
  const price: CatalogPrice = { providerId: found.provider.id, modelId: found.model.id, rates: toRates(found.model_price) };
  if (Array.isArray(found.model.prices)) price.priceAt = libraryPricer(found);
  return price;
}

function toRates(p: ModelPrice): TokenRates {
  const rates: TokenRates = { input: perToken(p.input_mtok) ?? 0, output: perToken(p.output_mtok) ?? 0 };
  const cacheRead = perToken(p.cache_read_mtok);
  const cacheWrite = perToken(p.cache_write_mtok);
  if (cacheRead !== undefined) rates.cacheRead = cacheRead;
  if (cacheWrite !== undefined) rates.cacheWrite = cacheWrite;
  if (typeof p.requests_kcount === 'number') rates.perRequest = p.requests_kcount / 1000;
  return rates;
}

/** `_mtok` prices are USD per million tokens. */
function perToken(v: ModelPrice[string]): Rate | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v / 1e6;
  return { base: v.base / 1e6, tiers: v.tiers.map((t) => ({ start: t.start, price: t.price / 1e6 })) };
}

function libraryPricer(found: PriceCalculation): (usage: Usage, at: Date) => number {
  const KEY = 'igw-resolved-model';
  const provider: Provider = { ...found.provider, models: [{ ...found.model, match: { equals: KEY } }] };
  return (usage, at) => {
    const result = calcPrice(
      {
        input_tokens: usage.inputTokens,
        cache_read_tokens: usage.cacheReadTokens ?? 0,
        cache_write_tokens: usage.cacheWriteTokens ?? 0,
        output_tokens: usage.outputTokens,
      },
      KEY,
      { provider, timestamp: at },
    );
    return result?.total_price ?? 0;
  };
}
