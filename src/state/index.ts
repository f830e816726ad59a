// The state backend's public surface (DESIGN.md: other folders import it only through this file).
export * from './types.ts';
export { MemoryState } from './memory.ts';
// RedisState is imported from './redis.ts' by whoever needs it: ioredis is loaded only when Redis is configured.
export type { RedisState, RedisStateOptions } from './redis.ts';
export { describeState, openState, type OpenStateOptions } from './open.ts';
export { windowEnd } from './keys.ts';
