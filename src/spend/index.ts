// Pricing, cost and the batched spend log (DESIGN.md "post-call").
export { formatUsd, nanosToUsd, usdToNanos, type Nanos } from './money.ts';
export { usageFromOpenAI, totalTokens } from './usage.ts';
export { PriceBook, resolvePrice, type DeploymentPrice, type PriceSource, type PriceWarningSink } from './price-book.ts';
export { OVERRIDE_FIELDS } from './overrides.ts';
export { baseRate, type Rate, type TokenRates } from './rates.ts';
export { costNanos } from './cost.ts';
export { SpendWriter, type SpendWriterOptions, type SpendWriterStats } from './spend-writer.ts';
