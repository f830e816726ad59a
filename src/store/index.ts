// The store's public surface (DESIGN.md: other folders import it only through this file).
export * from './types.ts';
