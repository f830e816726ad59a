// Canonical reasoning settings → Gemini `thinkingConfig` (../shared/reference/providers.md §5).
// Gemini 3 models take a level (`thinkingLevel`); 2.x models take a token budget (`thinkingBudget`, 0 = off).
// Thoughts are requested (`includeThoughts`) whenever thinking is on, so clients see reasoning text.
import { badRequest, type ReasoningConfig, type ReasoningEffort } from '../../canonical/index.ts';
import type { GeminiThinkingConfig } from './wire.ts';

/** Budgets for 2.x models; the ceiling of 2.5 Pro is 32768 (Flash: 24576, so `xhigh`/`max` need Pro). */
const BUDGET: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
  max: 32768,
};

const LEVEL: Record<Exclude<ReasoningEffort, 'none'>, NonNullable<GeminiThinkingConfig['thinkingLevel']>> = {
  minimal: 'MINIMAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  xhigh: 'HIGH',
  max: 'HIGH',
};

export function usesThinkingLevel(model: string): boolean {
  return /(^|\/)gemini-3/.test(model);
}

export function toGeminiThinking(r: ReasoningConfig, model: string): GeminiThinkingConfig | undefined {
  const off = r.effort === 'none' || r.mode === 'disabled';
  if (usesThinkingLevel(model)) {
    if (off) {
      throw badRequest(`Gemini model '${model}' cannot turn thinking off; use reasoning_effort "minimal" or "low".`, 'reasoning_effort', 'unsupported_value');
    }
    if (r.effort) return { thinkingLevel: LEVEL[r.effort as Exclude<ReasoningEffort, 'none'>], includeThoughts: true };
    if (r.budgetTokens !== undefined) return { thinkingBudget: r.budgetTokens, includeThoughts: true };
    return { includeThoughts: true };
  }
  if (off) return { thinkingBudget: 0 };
  if (r.budgetTokens !== undefined) return { thinkingBudget: r.budgetTokens, includeThoughts: true };
  if (r.effort) return { thinkingBudget: BUDGET[r.effort as Exclude<ReasoningEffort, 'none'>], includeThoughts: true };
  return { includeThoughts: true };
}
