// The store as the gateway holds it: opened once, on first use or at start-up, shared by every caller.
import { describeStore, openStore, type StoreOptions } from './open.ts';
import type { Store } from './types.ts';

export class StoreHandle {
  readonly options: StoreOptions;
  private opening: Promise<Store> | undefined;

  constructor(options: StoreOptions) {
    this.options = options;
  }

  /** Opens the store (applying migrations) the first time; later calls share that one store. */
  get(): Promise<Store> {
    if (!this.opening) {
      this.opening = openStore(this.options);
      // A failed open is retried by the next caller rather than remembered forever.
      this.opening.catch(() => {
        this.opening = undefined;
      });
    }
    return this.opening;
  }

  get opened(): boolean {
    return this.opening !== undefined;
  }

  describe(): string {
    return describeStore(this.options);
  }

  async close(): Promise<void> {
    const p = this.opening;
    this.opening = undefined;
    if (p) await (await p.catch(() => undefined))?.close();
  }
}
