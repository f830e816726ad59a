// End-users (the `user` field of a request, LiteLLM's "customers") and the budget rows they reference, cached
// in memory in front of the store like keys are: a miss loads once (concurrent misses share the load), an
// unknown end-user is remembered as unknown, and invalidate() drops an entry when the API changes it.
import type { BudgetRecord, EndUserRecord, Store } from '../store/index.ts';

export interface EndUserEntry {
  record: EndUserRecord;
  budget: BudgetRecord | null;
}

const MAX_ENTRIES = 50_000;

export class EndUserDirectory {
  private readonly store: Pick<Store, 'endUsers' | 'budgets'>;
  private readonly entries = new Map<string, EndUserEntry | null>();
  private readonly loading = new Map<string, Promise<EndUserEntry | null>>();
  /** Bumped by invalidate(): a load that started before it must not land in the cache. */
  private generation = 0;

  constructor(store: Pick<Store, 'endUsers' | 'budgets'>) {
    this.store = store;
  }

  /** The end-user, or null when none is registered under that id (no budget, no limits then). */
  get(id: string): EndUserEntry | null | Promise<EndUserEntry | null> {
    const hit = this.entries.get(id);
    if (hit !== undefined) return hit;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  /** Forgets one end-user (or all, with no id); the next request loads it again. */
  invalidate(id?: string): void {
    this.generation++;
    if (id === undefined) this.entries.clear();
    else this.entries.delete(id);
    if (id === undefined) this.loading.clear();
    else this.loading.delete(id);
  }

  private async load(id: string): Promise<EndUserEntry | null> {
    const generation = this.generation;
    const record = await this.store.endUsers.get(id);
    const budget = record?.budget_id ? await this.store.budgets.get(record.budget_id) : null;
    const entry = record ? { record, budget } : null;
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(id, entry);
    }
    return entry;
  }
}
