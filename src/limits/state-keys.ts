// Names of the limits' entries in the state backend. Ids are escaped so that no id can forge another's key
// (`:` separates the parts).
import type { BudgetPeriod } from './budget-period.ts';
import type { Subject } from './subjects.ts';

function esc(id: string): string {
  return id.includes(':') || id.includes('%') ? encodeURIComponent(id) : id;
}

function who(s: Subject): string {
  return `${s.kind}:${esc(s.id)}`;
}

/** Spend of one budget period (`all` for a budget that never resets). */
export function spendKey(s: Subject, period: BudgetPeriod): string {
  return `spend:${who(s)}:${period.endsAt ?? 'all'}`;
}

export function modelSpendKey(s: Subject, model: string, period: BudgetPeriod): string {
  return `spend:${who(s)}:model:${esc(model)}:${period.endsAt ?? 'all'}`;
}

export function requestsKey(s: Subject, model?: string): string {
  return model === undefined ? `rpm:${who(s)}` : `rpm:${who(s)}:model:${esc(model)}`;
}

export function tokensKey(s: Subject, model?: string): string {
  return model === undefined ? `tpm:${who(s)}` : `tpm:${who(s)}:model:${esc(model)}`;
}

export function parallelKey(s: Subject): string {
  return `parallel:${who(s)}`;
}
