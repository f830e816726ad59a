// Authentication. Today: the master key. The key is compared as a SHA-256 digest in constant time, and
// never logged or echoed.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../canonical/index.ts';

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

export class Authenticator {
  private readonly masterDigest: Buffer | undefined;

  constructor(masterKey: string | undefined) {
    this.masterDigest = masterKey ? digest(masterKey) : undefined;
  }

  get open(): boolean {
    return this.masterDigest === undefined;
  }

  /** Throws 401 unless the request carries the master key (or the gateway runs open). */
  check(headers: IncomingHttpHeaders): void {
    if (!this.masterDigest) return;
    const key = presentedKey(headers);
    if (!key) {
      throw new GatewayError({
        status: 401,
        kind: 'auth',
        code: 'missing_api_key',
        type: 'authentication_error',
        message: 'Missing API key. Send it as `Authorization: Bearer <key>` (or in an `x-api-key` header).',
      });
    }
    if (!timingSafeEqual(digest(key), this.masterDigest)) {
      throw new GatewayError({
        status: 401,
        kind: 'auth',
        code: 'invalid_api_key',
        type: 'authentication_error',
        message: 'Invalid API key.',
      });
    }
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
