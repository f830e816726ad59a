// The state backend's public surface (DESIGN.md: other folders import it only through this file).
export * from './types.ts';
export { MemoryState } from './memory.ts';
export { RedisState, type RedisStateOptions } from './redis.ts';
export { describeState, openState, type OpenStateOptions } from './open.ts';
export { windowEnd } from './keys.ts';
