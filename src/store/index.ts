// The store's public surface (DESIGN.md: other folders import it only through this file).
export * from './types.ts';
export { addDuration, durationMs, isDuration, nextBoundaryAfter, parseDuration, type Duration } from './duration.ts';
export { DEFAULT_DATA_DIR, MEMORY, describeStore, legacyStoreNotice, openStore, type StoreOptions } from './open.ts';
export { StoreHandle } from './handle.ts';
export { MIGRATIONS, migrate, type Migration } from './sql/migrations.ts';
