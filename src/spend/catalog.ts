// The maintained price catalogue: @pydantic/genai-prices (bundled data, no network). A deployment's model is
// looked up once, by LiteLLM's `provider/model` name; its per-million prices become per-token TokenRates.
//
// Memory: parsing the catalogue costs the process ~12-18 MB of RSS for good (glibc keeps the memory after V8
// frees the module), a fifth of the gateway's idle footprint for a lookup done once. So the start-up lookups
// run in a short-lived child process (catalog-lookup.ts), which hands back plain prices; the library is loaded
// into the gateway itself only when it must be: a wildcard entry (prices looked up as its models are first
// requested), a price that depends on the time of day, or a child that could not run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ModelPrice, PriceCalculation, Provider } from '@pydantic/genai-prices';
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

/** What a lookup yields, as plain data (it crosses from the child process). */
export interface CatalogMatch {
  providerId: string;
  modelId: string;
  rates: TokenRates;
  /** Only for time-dependent prices: the provider narrowed to the matched model, for the library to price. */
  timed?: Provider;
}

type Library = typeof import('@pydantic/genai-prices');

const PROBE = { input_tokens: 1, output_tokens: 1 };
const TIMED_MODEL = 'igw-resolved-model';

let library: Library | undefined;
function loadLibrary(): Library {
  return (library ??= createRequire(import.meta.url)('@pydantic/genai-prices') as Library);
}

/**
 * Lookups already answered, by their candidate list. Bounded: wildcard entries look up whatever model names
 * clients send; when full it starts over.
 */
const ANSWERED_MAX = 10_000;
const answered = new Map<string, CatalogMatch | null>();

function remember(key: string, match: CatalogMatch | null): void {
  if (answered.size >= ANSWERED_MAX) answered.clear();
  answered.set(key, match);
}

/** `candidates` in order of preference, e.g. `azure/<base_model>`, then `azure/<deployment>`. */
export function findCatalogPrice(candidates: readonly string[]): CatalogPrice | undefined {
  const key = JSON.stringify(candidates);
  let match = answered.get(key);
  if (match === undefined) remember(key, (match = matchCatalog(candidates)));
  return match ? toCatalogPrice(match) : undefined;
}

/**
 * Answers many lookups at once in a child process, so that the gateway does not load the catalogue for them.
 * Later findCatalogPrice calls for these lists are served from memory. A child that fails leaves them to be
 * looked up in-process.
 */
export function prefetchCatalogPrices(lists: readonly (readonly string[])[]): void {
  const missing = lists.filter((c) => !answered.has(JSON.stringify(c)));
  if (missing.length === 0) return;
  const matches = lookUpInChild(missing);
  if (!matches) return;
  missing.forEach((c, i) => remember(JSON.stringify(c), matches[i] ?? null));
}

/** The library's answer for the first candidate it knows (used in the child, and as the fallback). */
export function matchCatalog(candidates: readonly string[]): CatalogMatch | null {
  for (const name of candidates) {
    const found = lookup(name);
    if (found) return toMatch(found);
  }
  return null;
}

function lookup(name: string): PriceCalculation | null {
  try {
    // providerId 'litellm' makes the library read the `provider/` prefix as LiteLLM names providers.
    return loadLibrary().calcPrice(PROBE, name, name.includes('/') ? { providerId: 'litellm' } : undefined);
  } catch {
    return null; // a catalogue entry the library itself cannot price is as good as none
  }
}

function toMatch(found: PriceCalculation): CatalogMatch {
  const match: CatalogMatch = { providerId: found.provider.id, modelId: found.model.id, rates: toRates(found.model_price) };
  if (Array.isArray(found.model.prices)) {
    match.timed = { ...found.provider, models: [{ ...found.model, match: { equals: TIMED_MODEL } }] };
  }
  return match;
}

const LOOKUP_SCRIPT = ['catalog-lookup.js', 'catalog-lookup.ts'].map((f) => new URL(f, import.meta.url)).find((u) => existsSync(u));

function lookUpInChild(lists: readonly (readonly string[])[]): (CatalogMatch | null)[] | undefined {
  if (!LOOKUP_SCRIPT) return undefined;
  const child = spawnSync(process.execPath, [fileURLToPath(LOOKUP_SCRIPT)], { input: JSON.stringify(lists), encoding: 'utf8', timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) return undefined;
  try {
    const out: unknown = JSON.parse(child.stdout);
    return Array.isArray(out) && out.length === lists.length ? (out as (CatalogMatch | null)[]) : undefined;
  } catch {
    return undefined;
  }
}

function toCatalogPrice(match: CatalogMatch): CatalogPrice {
  const price: CatalogPrice = { providerId: match.providerId, modelId: match.modelId, rates: match.rates };
  if (match.timed) price.priceAt = timedPricer(match.timed);
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

function timedPricer(provider: Provider): (usage: Usage, at: Date) => number {
  return (usage, at) => {
    const result = loadLibrary().calcPrice(
      {
        input_tokens: usage.inputTokens,
        cache_read_tokens: usage.cacheReadTokens ?? 0,
        cache_write_tokens: usage.cacheWriteTokens ?? 0,
        output_tokens: usage.outputTokens,
      },
      TIMED_MODEL,
      { provider, timestamp: at },
    );
    return result?.total_price ?? 0;
  };
}
