// Bedrock credentials and request signing — transport concerns, kept out of the pure translators.
// Order (reference §6.1): `litellm_params.api_key` (a Bedrock API key, sent as Bearer); explicit
// `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`), SigV4; then the environment:
// AWS_BEARER_TOKEN_BEDROCK, then AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
// SigV4 is @smithy/signature-v4 with the Node hash from @smithy/core, as the AWS SDK does it; both are
// imported with the first signed request, so a gateway with no Bedrock deployment does not load them.
import type { SignatureV4 } from '@smithy/signature-v4';
import { GatewayError } from '../../canonical/index.ts';
import { preparingTransport } from '../http-client.ts';
import type { ProviderSettings, Transport, UpstreamRequest } from '../types.ts';

export type BedrockAuth =
  | { kind: 'bearer'; token: string }
  | { kind: 'sigv4'; accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export function resolveBedrockAuth(settings: ProviderSettings): BedrockAuth {
  const p = settings.params ?? {};
  const env = settings.env ?? {};
  const key = str(p.api_key);
  if (key) return { kind: 'bearer', token: key };
  const id = str(p.aws_access_key_id);
  const secret = str(p.aws_secret_access_key);
  if (id && secret) return sigv4(id, secret, str(p.aws_session_token));
  if (env.AWS_BEARER_TOKEN_BEDROCK) return { kind: 'bearer', token: env.AWS_BEARER_TOKEN_BEDROCK };
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return sigv4(env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN);
  throw new GatewayError({
    status: 500,
    kind: 'auth',
    code: 'missing_aws_credentials',
    message: `Bedrock deployment '${settings.upstreamModel}' has no credentials: set aws_access_key_id/aws_secret_access_key or api_key in litellm_params, or the AWS_* environment variables`,
  });
}

function sigv4(accessKeyId: string, secretAccessKey: string, sessionToken: string | undefined): BedrockAuth {
  return sessionToken ? { kind: 'sigv4', accessKeyId, secretAccessKey, sessionToken } : { kind: 'sigv4', accessKeyId, secretAccessKey };
}

/** Wraps the HTTP transport: each request is signed (or given its bearer key) just before it is sent. */
export function bedrockAuthTransport(inner: Transport, auth: BedrockAuth, region: string): Transport {
  if (auth.kind === 'bearer') {
    const authorization = `Bearer ${auth.token}`;
    return preparingTransport(inner, (req) => ({ ...req, headers: { ...req.headers, authorization } }));
  }
  let signer: Promise<SignatureV4> | undefined;
  return preparingTransport(inner, async (req) => signRequest(await (signer ??= createSigner(auth, region)), req));
}

async function createSigner(auth: Extract<BedrockAuth, { kind: 'sigv4' }>, region: string): Promise<SignatureV4> {
  const [{ Hash }, { SignatureV4 }] = await Promise.all([import('@smithy/core/serde'), import('@smithy/signature-v4')]);
  return new SignatureV4({
    service: 'bedrock',
    region,
    sha256: Hash.bind(null, 'sha256'),
    credentials: auth.sessionToken
      ? { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey, sessionToken: auth.sessionToken }
      : { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey },
  });
}

/** SigV4 over method, escaped path, query, `host` and the other headers, and the body's SHA-256. */
export async function signRequest(signer: SignatureV4, req: UpstreamRequest, signingDate?: Date): Promise<UpstreamRequest> {
  const url = new URL(req.url);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: { ...req.headers, host: url.host },
      body: req.body,
    },
    signingDate ? { signingDate } : undefined,
  );
  return { ...req, headers: signed.headers as Record<string, string> };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
