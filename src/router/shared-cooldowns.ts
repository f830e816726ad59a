// Cooldowns across replicas (docs/routing.md "Across replicas"), as LiteLLM shares them through Redis. Each
// replica routes on its own in-memory breakers, so no request waits on the network; this connects them
// through the state backend, off the hot path. A replica whose breaker trips writes `cooldown:<deployment
// id>` (expiring with the cooldown) and publishes the change; every replica applies the others' changes to its
// own breakers, and reads the keys at start-up and after a reconnect for the changes it missed. A state
// backend that fails costs only the sharing: it is logged once and each replica keeps its own breakers.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/index.ts';
import type { StateBackend } from '../state/index.ts';
import type { CooldownChange, Cooldowns } from './cooldowns.ts';

export const COOLDOWN_CHANNEL = 'router:cooldowns';

export const cooldownKey = (deploymentId: string): string => `cooldown:${deploymentId}`;

export interface CooldownSharingOptions {
  /** Every deployment id of the config: the keys read at start-up and after a reconnect. */
  ids: readonly string[];
  logger: Logger;
}

interface Message extends CooldownChange {
  /** The publishing replica, which skips its own messages. */
  origin: string;
}

export class CooldownSharing {
  private readonly cooldowns: Cooldowns;
  private readonly state: StateBackend;
  private readonly options: CooldownSharingOptions;
  private readonly origin = randomUUID();
  private readonly stops: (() => unknown)[] = [];
  private failing = false;

  constructor(cooldowns: Cooldowns, state: StateBackend, options: CooldownSharingOptions) {
    this.cooldowns = cooldowns;
    this.state = state;
    this.options = options;
  }

  /** Subscribes, then reads the current cooldowns: in that order, so that no change falls between. */
  async start(): Promise<void> {
    this.stops.push(this.cooldowns.observe((change) => void this.share(change)));
    this.stops.push(this.state.onReconnect(() => void this.load()));
    try {
      this.stops.push(await this.state.subscribe(COOLDOWN_CHANNEL, (raw) => this.receive(raw)));
    } catch (err) {
      this.failed(err);
    }
    await this.load();
  }

  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop();
  }

  private async share(change: CooldownChange): Promise<void> {
    try {
      if (change.op === 'cool') await this.state.set(cooldownKey(change.id), String(change.until), Math.max(1, change.until - this.cooldowns.now()));
      await this.state.publish(COOLDOWN_CHANNEL, JSON.stringify({ ...change, origin: this.origin } satisfies Message));
      this.recovered();
    } catch (err) {
      this.failed(err);
    }
  }

  private async load(): Promise<void> {
    const { ids } = this.options;
    try {
      const values = await Promise.all(ids.map((id) => this.state.get(cooldownKey(id))));
      values.forEach((value, i) => {
        const until = Number(value);
        if (value !== null && Number.isFinite(until)) this.cooldowns.apply({ op: 'cool', id: ids[i], until });
      });
      this.recovered();
    } catch (err) {
      this.failed(err);
    }
  }

  private receive(raw: string): void {
    const message = parseMessage(raw);
    if (message && message.origin !== this.origin) this.cooldowns.apply(message);
  }

  private failed(err: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.options.logger.warn({ err: (err as Error).message }, 'cooldowns are not shared with other replicas: the state backend failed; this replica keeps its own');
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.options.logger.info('cooldowns are shared with other replicas again');
  }
}

function parseMessage(raw: string): Message | undefined {
  try {
    const m = JSON.parse(raw) as Partial<Record<keyof Message, unknown>>;
    if ((m.op !== 'cool' && m.op !== 'clear') || typeof m.id !== 'string' || typeof m.until !== 'number' || typeof m.origin !== 'string') return undefined;
    return { op: m.op, id: m.id, until: m.until, origin: m.origin };
  } catch {
    return undefined;
  }
}
