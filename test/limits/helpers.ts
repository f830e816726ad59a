// Building blocks for the limits tests: subjects with defaults, clocks, both state engines.
import type { Subject } from '../../src/limits/index.ts';
import { MemoryState, type StateBackend } from '../../src/state/index.ts';
import { RedisState } from '../../src/state/redis.ts';

import { deleteKeys, TEST_REDIS_URL } from '../helpers/redis.ts';

export { TEST_REDIS_URL };

export interface Clock {
  now: () => number;
  set(t: number): void;
  advance(ms: number): void;
}

/** 12:00:00.100 UTC: just after a minute boundary, so a one-minute window resets at 12:01:00. */
export const T0 = Date.UTC(2026, 2, 10, 12, 0, 0, 100);

export function clock(start = T0): Clock {
  let t = start;
  return { now: () => t, set: (v) => void (t = v), advance: (ms) => void (t += ms) };
}

export function subject(over: Partial<Subject> = {}): Subject {
  return {
    kind: 'key',
    id: 'k1',
    label: 'sk-...abcd',
    maxBudget: null,
    softBudget: null,
    budgetDuration: null,
    budgetResetAt: null,
    createdAt: new Date(T0 - 86_400_000).toISOString(),
    storedSpend: 0,
    rpm: null,
    tpm: null,
    parallel: null,
    modelMaxBudget: {},
    modelRpm: {},
    modelTpm: {},
    ...over,
  };
}

export interface StateEngine {
  name: string;
  open(c: Clock): Promise<StateBackend>;
  cleanup(): Promise<void>;
}

const prefix = `igw-test-limits:${process.pid}:${Date.now().toString(36)}:`;
let opened = 0;

export const STATE_ENGINES: StateEngine[] = [
  { name: 'memory', open: async (c) => new MemoryState({ now: c.now }), cleanup: async () => {} },
  {
    name: 'redis',
    open: (c) => RedisState.connect({ url: TEST_REDIS_URL, prefix: `${prefix}${opened++}:`, now: c.now }),
    cleanup: () => deleteKeys(prefix),
  },
];
