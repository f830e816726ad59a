// A deployment's token prices, resolved once at start-up (price-book.ts) into plain numbers so that costing a
// request is a handful of multiplications, not a catalogue search.

/** USD per token: flat, or tiered on the request's total input tokens (genai-prices' TieredPrices). */
export type Rate = number | TieredRate;

export interface TieredRate {
  base: number;
  /** Ascending by `start`; a tier applies when the request's input tokens exceed its start. */
  tiers: readonly { start: number; price: number }[];
}

export interface TokenRates {
  /** Uncached input tokens. */
  input: Rate;
  output: Rate;
  /** Cache reads; absent: billed as input. */
  cacheRead?: Rate;
  /** Cache writes; absent: billed as input. */
  cacheWrite?: Rate;
  /** Reasoning tokens; absent: billed as output (what every provider does today). */
  reasoning?: Rate;
  /** USD per request on top of tokens (a few providers charge one). */
  perRequest?: number;
}

export function rateAt(rate: Rate, inputTokens: number): number {
  if (typeof rate === 'number') return rate;
  let price = rate.base;
  for (const tier of rate.tiers) if (inputTokens > tier.start) price = tier.price;
  return price;
}

/** The rate for display (`/model/info`): the base of a tiered price. */
export function baseRate(rate: Rate | undefined): number | undefined {
  return rate === undefined ? undefined : typeof rate === 'number' ? rate : rate.base;
}

export const ZERO_RATES: TokenRates = Object.freeze({ input: 0, output: 0 });
