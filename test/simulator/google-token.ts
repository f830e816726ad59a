// A fake Google OAuth2 token endpoint (the `token_uri` of a test service-account key): checks the
// jwt-bearer grant, verifies the RS256 assertion with the key pair's public half, and issues opaque
// `ya29.sim-<n>` tokens that the Vertex routes accept.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface TokenIssuer {
  /** Handles `POST <token_uri>`; returns status + JSON body. */
  exchange(form: string): { status: number; body: string };
  /** True for a token this issuer handed out. */
  valid(token: string): boolean;
  /** Grants handed out so far. */
  readonly issued: number;
}

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export function tokenIssuer(publicKeyPem: string): TokenIssuer {
  const key = createPublicKey(publicKeyPem);
  const tokens = new Set<string>();
  return {
    exchange(form) {
      const q = new URLSearchParams(form);
      if (q.get('grant_type') !== GRANT) return oauthError('unsupported_grant_type', 'Invalid grant_type');
      const claims = verifyJwt(q.get('assertion') ?? '', key);
      if (!claims) return oauthError('invalid_grant', 'Invalid JWT Signature.');
      if (typeof claims.scope !== 'string' || !claims.scope.includes('cloud-platform')) return oauthError('invalid_scope', 'Missing cloud-platform scope');
      const token = `ya29.sim-${tokens.size + 1}`;
      tokens.add(token);
      return { status: 200, body: JSON.stringify({ access_token: token, expires_in: 3599, token_type: 'Bearer' }) };
    },
    valid: (token) => tokens.has(token),
    get issued() {
      return tokens.size;
    },
  };
}

/** The claims of a well-formed RS256 JWT signed by `key`, else undefined. */
export function verifyJwt(jwt: string, key: KeyObject): Record<string, unknown> | undefined {
  const [h, p, s] = jwt.split('.');
  if (!h || !p || !s) return undefined;
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'RS256') return undefined;
    if (!verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) return undefined;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const now = Date.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp < now || typeof claims.iss !== 'string') return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

function oauthError(error: string, description: string): { status: number; body: string } {
  return { status: 400, body: JSON.stringify({ error, error_description: description }) };
}
