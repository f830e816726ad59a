// OAuth2 access tokens for Vertex AI, minted by google-auth-library: a service account's signed JWT is
// exchanged at its token_uri (reference §5 "Vertex AI differences"), or Application Default Credentials
// are used when no key is configured. The library caches a token until shortly before it expires. It is
// imported on the first token request: a gateway with no Vertex deployment does not carry it in memory.
import type { GoogleAuth, JWT } from 'google-auth-library';
import { GatewayError } from '../../canonical/index.ts';
import type { ServiceAccount } from './vertex-credentials.ts';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface TokenSource {
  token(): Promise<string>;
}

export function serviceAccountTokens(sa: ServiceAccount): TokenSource {
  let client: Promise<JWT> | undefined;
  return { token: () => fetchToken(async () => (await (client ??= serviceAccountClient(sa))).getAccessToken()) };
}

async function serviceAccountClient(sa: ServiceAccount): Promise<JWT> {
  const { JWT } = await import('google-auth-library');
  const client = new JWT({ email: sa.client_email, key: sa.private_key, keyId: sa.private_key_id, scopes: [SCOPE] });
  const tokenUri = sa.token_uri;
  if (tokenUri && tokenUri !== GOOGLE_TOKEN_URL) {
    // The library posts to Google's fixed token URL; a key file naming another token_uri is sent there.
    client.transporter.interceptors.request.add({
      resolved: async (opts) => {
        if (opts.url.href === GOOGLE_TOKEN_URL) opts.url = new URL(tokenUri);
        return opts;
      },
    });
  }
  return client;
}

export function applicationDefaultTokens(): TokenSource {
  let auth: Promise<GoogleAuth> | undefined;
  const create = async (): Promise<GoogleAuth> => new (await import('google-auth-library')).GoogleAuth({ scopes: [SCOPE] });
  return { token: () => fetchToken(async () => ({ token: await (await (auth ??= create())).getAccessToken() })) };
}

async function fetchToken(get: () => Promise<{ token?: string | null }>): Promise<string> {
  let token: string | null | undefined;
  try {
    token = (await get()).token;
  } catch (err) {
    throw tokenError(err);
  }
  if (!token) throw new GatewayError({ status: 401, kind: 'auth', code: 'vertex_token_failed', message: 'Vertex AI: no access token was issued' });
  return token;
}

/** A refused grant is an auth failure; anything else (DNS, refused connection) a connection failure. */
function tokenError(err: unknown): GatewayError {
  const status = (err as { response?: { status?: number } }).response?.status;
  const detail = (err as Error).message?.split('\n', 1)[0] ?? 'unknown error';
  if (status !== undefined && status >= 400 && status < 500) {
    return new GatewayError({ status: 401, kind: 'auth', code: 'vertex_token_failed', message: `Vertex AI: the token endpoint refused the service account (${detail})` });
  }
  return new GatewayError({ status: 502, kind: 'connection', code: 'vertex_token_unreachable', message: `Vertex AI: cannot get an access token (${detail})` });
}
