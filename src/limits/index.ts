// Rate limits, budgets and model access over the state backend (DESIGN.md "pre-call checks").
export { Limiter, type Admission, type LimiterOptions, type ModelHold } from './limiter.ts';
export { subjectsOf, type Caller, type Subject, type SubjectKind } from './subjects.ts';
export { checkModelAccess, allows } from './model-access.ts';
export { endUserBlocked } from './errors.ts';
export { currentPeriod, type BudgetPeriod } from './budget-period.ts';
export type { ModelSpendSource } from './budgets.ts';
export { WINDOW_MS, formatReset } from './rate-limits.ts';
