// Money inside igw is an integer count of nano-dollars (1e-9 USD). Costs are rounded to it once, when a
// request is priced; from then on every sum (budget accumulators in the state backend, spend-log totals) is
// integer arithmetic and so exact and order-independent. 2^53 nano-dollars is about $9 million per counter.
// At the edges (API fields, spend-log rows, headers) money is a float of US dollars, as in LiteLLM.

/** An integer amount of 1e-9 USD. */
export type Nanos = number;

const NANOS_PER_USD = 1e9;

export function usdToNanos(usd: number): Nanos {
  return Math.round(usd * NANOS_PER_USD);
}

export function nanosToUsd(nanos: Nanos): number {
  return nanos / NANOS_PER_USD;
}

/** Plain decimal notation, never exponent form: `0.000123`, `12.5`, `0`. */
export function formatUsd(nanos: Nanos): string {
  const sign = nanos < 0 ? '-' : '';
  const abs = Math.abs(nanos);
  const whole = Math.floor(abs / NANOS_PER_USD);
  let frac = abs - whole * NANOS_PER_USD;
  if (frac === 0) return `${sign}${whole}`;
  let digits = 9;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const text = String(frac);
  return `${sign}${whole}.${'0'.repeat(digits - text.length)}${text}`;
}
