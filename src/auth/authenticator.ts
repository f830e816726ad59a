// Authentication on the hot path: the master key, or a virtual key looked up in the in-memory Directory
// (keys are stored hashed; a miss loads once; no store round trip on a warm cache).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../canonical/index.ts';
import type { Store } from '../store/index.ts';
import { Directory, type DirectoryOptions } from './directory.ts';
import type { InvalidationBus } from './invalidation.ts';
import type { Principal } from './principal.ts';

/** The caller's key from `Authorization: Bearer`, `x-api-key` or `api-key` (Azure-style clients). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const space = auth.indexOf(' ');
    if (space > 0 && auth.slice(0, space).toLowerCase() === 'bearer') return auth.slice(space + 1).trim() || undefined;
    return auth.trim() || undefined;
  }
  const x = headers['x-api-key'] ?? headers['api-key'];
  return (Array.isArray(x) ? x[0] : x) || undefined;
}

export interface AuthenticatorOptions extends Partial<Omit<DirectoryOptions, 'store'>> {
  masterKey?: string;
  /** Where virtual keys live; without it only the master key authenticates. */
  store?: () => Promise<Store>;
  /** Invalidations from the management API, on this replica and the others. */
  bus?: InvalidationBus;
}

const EMPTY = Object.freeze({});

function fixedPrincipal(kind: 'master' | 'open'): Principal {
  return Object.freeze({ kind, key: null, user: null, team: null, organization: null, budgets: EMPTY, role: 'proxy_admin', teamRole: null, orgRoles: EMPTY });
}

export const MASTER_PRINCIPAL: Principal = fixedPrincipal('master');
export const OPEN_PRINCIPAL: Principal = fixedPrincipal('open');

function authError(code: string, message: string): GatewayError {
  return new GatewayError({ status: 401, kind: 'auth', code, type: 'authentication_error', message });
}

export class Authenticator {
  private readonly masterDigest: Buffer | undefined;
  private readonly now: () => number;
  /** Cached key, user, team, organization and budget records; undefined without a store. */
  readonly directory: Directory | undefined;

  constructor(masterKeyOrOptions: string | undefined | AuthenticatorOptions) {
    const opts: AuthenticatorOptions = typeof masterKeyOrOptions === 'object' ? masterKeyOrOptions : { masterKey: masterKeyOrOptions };
    this.masterDigest = opts.masterKey ? digest(opts.masterKey) : undefined;
    this.now = opts.now ?? Date.now;
    this.directory = opts.store ? new Directory({ ...opts, store: opts.store }) : undefined;
    const directory = this.directory;
    if (directory && opts.bus) opts.bus.on((inv) => directory.invalidate(inv));
  }

  /** No master key: every caller is let in as an admin (LiteLLM without a master_key behaves so). */
  get open(): boolean {
    return this.masterDigest === undefined;
  }

  /**
   * The caller, or a 401 that says why: missing, unknown, blocked or expired key. When the answer is at hand (no
   * master key configured, the master key, a key whose records are cached) it comes without a promise; a key
   * to look up in the store, or any refusal, comes as one.
   */
  authenticate(headers: IncomingHttpHeaders): Principal | Promise<Principal> {
    if (!this.masterDigest) return OPEN_PRINCIPAL;
    const key = presentedKey(headers);
    if (!key) return Promise.reject(authError('missing_api_key', 'Missing API key. Send it as `Authorization: Bearer <key>` (or in an `x-api-key` header).'));
    const d = cachedDigest(key);
    if (timingSafeEqual(d.bytes, this.masterDigest)) return MASTER_PRINCIPAL;
    if (!this.directory) return Promise.reject(authError('invalid_api_key', 'Invalid API key.'));
    const found = this.directory.principal(d.hex);
    if (found instanceof Promise) return this.loaded(found);
    try {
      return this.usable(found);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private async loaded(found: Promise<Principal | null>): Promise<Principal> {
    let principal: Principal | null;
    try {
      principal = await found;
    } catch (err) {
      throw new GatewayError({ status: 503, kind: 'server', code: 'store_unavailable', message: `Cannot verify the API key: the key store is unavailable (${(err as Error).message}).` });
    }
    return this.usable(principal);
  }

  /** The key's principal when it exists and may be used; else the 401 that says why. */
  private usable(principal: Principal | null): Principal {
    if (!principal) throw authError('invalid_api_key', 'Invalid API key.');
    this.checkUsable(principal);
    return principal;
  }

  /** Blocked or expired keys and blocked teams answer 401 before anything else happens. */
  private checkUsable(p: Principal): void {
    const key = p.key!;
    const name = key.key_alias ? `'${key.key_alias}' (${key.key_name})` : key.key_name;
    if (key.blocked) throw authError('key_blocked', `API key ${name} is blocked. An admin can unblock it with /key/unblock.`);
    if (key.expires && Date.parse(key.expires) <= this.now()) throw authError('key_expired', `API key ${name} expired at ${key.expires}.`);
    if (p.team?.blocked) throw authError('team_blocked', `Team '${p.team.team_alias ?? p.team.team_id}' is blocked; its keys cannot be used.`);
  }

}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * SHA-256 of each presented key, remembered: clients send the same few keys on every request, and hashing
 * was measurable per request. Bounded; when full it starts over (keys in use come back at once).
 */
const DIGEST_CACHE_MAX = 10_000;
const digests = new Map<string, { bytes: Buffer; hex: string }>();

function cachedDigest(key: string): { bytes: Buffer; hex: string } {
  let d = digests.get(key);
  if (!d) {
    if (digests.size >= DIGEST_CACHE_MAX) digests.clear();
    const bytes = digest(key);
    d = { bytes, hex: bytes.toString('hex') };
    digests.set(key, d);
  }
  return d;
}
