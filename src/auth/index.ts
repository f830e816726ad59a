// Authentication and authorization: the master key, virtual keys cached in front of the store, RBAC.
export { Authenticator, MASTER_PRINCIPAL, OPEN_PRINCIPAL, presentedKey, type AuthenticatorOptions } from './authenticator.ts';
export { Directory, type DirectoryOptions } from './directory.ts';
export { INVALIDATION_CHANNEL, InvalidationBus, type Invalidation, type InvalidationKind } from './invalidation.ts';
export { abbreviateKey, generateKey, hashKey, looksLikeKey, tokenOf } from './keys.ts';
export type { Principal, PrincipalKind } from './principal.ts';
export * as rbac from './rbac.ts';
export { RecordCache, type RecordCacheOptions } from './record-cache.ts';
