// Usage × rates → cost, rounded once to whole nano-dollars (money.ts).
import type { Usage } from '../canonical/index.ts';
import { usdToNanos, type Nanos } from './money.ts';
import { rateAt, type TokenRates } from './rates.ts';

export function costNanos(rates: TokenRates, usage: Usage): Nanos {
  const input = usage.inputTokens;
  const cached = usage.cacheReadTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  const inputRate = rateAt(rates.input, input);
  const outputRate = rateAt(rates.output, input);
  let usd = (input - cached - written) * inputRate;
  usd += cached * (rates.cacheRead === undefined ? inputRate : rateAt(rates.cacheRead, input));
  usd += written * (rates.cacheWrite === undefined ? inputRate : rateAt(rates.cacheWrite, input));
  if (rates.reasoning === undefined) usd += usage.outputTokens * outputRate;
  else usd += (usage.outputTokens - reasoning) * outputRate + reasoning * rateAt(rates.reasoning, input);
  usd += rates.perRequest ?? 0;
  return usdToNanos(usd);
}
