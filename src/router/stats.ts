// What the router knows about each deployment, in memory: requests in flight, recent latencies (for
// latency-based routing and p95 hedging) and this minute's requests and tokens (for rpm/tpm caps).
import type { Deployment } from './deployment.ts';

const SAMPLES = 64;

export class DeploymentStats {
  inFlight = 0;
  private minuteStart = 0;
  private requests = 0;
  private tokens = 0;
  private readonly ttft: number[] = [];
  private readonly total: number[] = [];

  /** Requests and tokens counted in the current fixed one-minute window. */
  usage(now: number): { requests: number; tokens: number; resetMs: number } {
    this.roll(now);
    return { requests: this.requests, tokens: this.tokens, resetMs: this.minuteStart + 60_000 - now };
  }

  countRequest(now: number): void {
    this.roll(now);
    this.requests++;
  }

  countTokens(now: number, tokens: number): void {
    this.roll(now);
    this.tokens += tokens;
  }

  recordLatency(ttftMs: number | undefined, totalMs: number | undefined): void {
    if (ttftMs !== undefined) push(this.ttft, ttftMs);
    if (totalMs !== undefined) push(this.total, totalMs);
  }

  /** Mean of recent samples; undefined until there is one. */
  meanLatency(stream: boolean): number | undefined {
    const xs = stream ? this.ttft : this.total;
    if (xs.length === 0) return undefined;
    let sum = 0;
    for (const x of xs) sum += x;
    return sum / xs.length;
  }

  ttftSamples(): readonly number[] {
    return this.ttft;
  }

  private roll(now: number): void {
    if (now - this.minuteStart >= 60_000) {
      this.minuteStart = now - (now % 60_000);
      this.requests = 0;
      this.tokens = 0;
    }
  }
}

function push(xs: number[], x: number): void {
  if (xs.length >= SAMPLES) xs.shift();
  xs.push(x);
}

export class StatsTable {
  private readonly byId = new Map<string, DeploymentStats>();

  of(d: Deployment): DeploymentStats {
    let s = this.byId.get(d.id);
    if (!s) {
      s = new DeploymentStats();
      this.byId.set(d.id, s);
    }
    return s;
  }

  /** p95 of recent time-to-first-byte across a group; undefined with fewer than 20 samples. */
  groupP95Ttft(group: readonly Deployment[]): number | undefined {
    const all: number[] = [];
    for (const d of group) all.push(...this.of(d).ttftSamples());
    if (all.length < 20) return undefined;
    all.sort((a, b) => a - b);
    return all[Math.min(all.length - 1, Math.floor(all.length * 0.95))];
  }
}
