// Cache invalidation: a change made through the management API on one replica reaches the caches of every
// replica through the state backend's pub/sub (DESIGN.md "updates invalidate, across replicas").
import { randomUUID } from 'node:crypto';
import type { StateBackend, Unsubscribe } from '../state/index.ts';

export type InvalidationKind = 'key' | 'user' | 'team' | 'organization' | 'end_user' | 'budget' | 'all';

export interface Invalidation {
  kind: InvalidationKind;
  /** The record's id (a key's token); absent for `all`. */
  id?: string;
}

export const INVALIDATION_CHANNEL = 'auth:invalidate';

type Listener = (inv: Invalidation) => void;

export class InvalidationBus {
  private readonly state: StateBackend | undefined;
  private readonly origin = randomUUID();
  private readonly listeners = new Set<Listener>();
  private unsubscribe: Unsubscribe | undefined;

  /** Without a state backend, invalidations stay in this process. */
  constructor(state?: StateBackend) {
    this.state = state;
  }

  /** Starts listening to other replicas. */
  async start(): Promise<void> {
    if (!this.state || this.unsubscribe) return;
    this.unsubscribe = await this.state.subscribe(INVALIDATION_CHANNEL, (raw) => {
      const msg = parse(raw);
      if (msg && msg.origin !== this.origin) this.deliver(msg);
    });
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies locally at once, then tells the other replicas. */
  async publish(...invs: Invalidation[]): Promise<void> {
    for (const inv of invs) this.deliver(inv);
    if (!this.state) return;
    for (const inv of invs) await this.state.publish(INVALIDATION_CHANNEL, JSON.stringify({ ...inv, origin: this.origin }));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.listeners.clear();
  }

  private deliver(inv: Invalidation): void {
    for (const l of this.listeners) l(inv);
  }
}

const KINDS = new Set<string>(['key', 'user', 'team', 'organization', 'end_user', 'budget', 'all']);

function parse(raw: string): (Invalidation & { origin?: string }) | undefined {
  try {
    const v = JSON.parse(raw) as { kind?: unknown; id?: unknown; origin?: unknown };
    if (typeof v.kind !== 'string' || !KINDS.has(v.kind)) return undefined;
    return { kind: v.kind as InvalidationKind, id: typeof v.id === 'string' ? v.id : undefined, origin: typeof v.origin === 'string' ? v.origin : undefined };
  } catch {
    return undefined;
  }
}
