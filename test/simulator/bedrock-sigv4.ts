// SigV4 verification for the Bedrock routes (reference §6.1): the `authorization` header must have the
// AWS4-HMAC-SHA256 shape for service `bedrock`, name a known access key, be fresh, and match the signature
// that @smithy/signature-v4 (the library the AWS SDK uses) computes over the request as received.
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingMessage } from 'node:http';

export interface AwsKey { accessKeyId: string; secretAccessKey: string }

export type SigV4Result = { ok: true } | { ok: false; status: number; type: string; message: string };

const AUTH = /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/bedrock\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export async function verifySigV4(req: IncomingMessage, rawPath: string, rawQuery: string, body: string, keys: AwsKey[]): Promise<SigV4Result> {
  const header = req.headers.authorization ?? '';
  if (!header) return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m = AUTH.exec(header);
  if (!m) return fail(403, 'IncompleteSignatureException', `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters for service bedrock.`);
  const [, keyId, day, region, signedList] = m;
  const key = keys.find((k) => k.accessKeyId === keyId);
  if (!key) return fail(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!when || !amzDate.startsWith(day)) return fail(403, 'IncompleteSignatureException', 'Date must be in ISO-8601 basic format and match the credential scope.');
  const signingDate = new Date(Date.UTC(+when[1], +when[2] - 1, +when[3], +when[4], +when[5], +when[6]));
  if (Math.abs(Date.now() - signingDate.getTime()) > 15 * 60_000) return fail(403, 'InvalidSignatureException', 'Signature expired.');
  const headers: Record<string, string> = {};
  for (const name of signedList.split(';')) {
    const v = req.headers[name];
    if (v === undefined) return fail(403, 'InvalidSignatureException', `Signed header ${name} is missing.`);
    headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  const token = headers['x-amz-security-token'];
  const signer = new SignatureV4({
    service: 'bedrock',
    region,
    sha256: Hash.bind(null, 'sha256'),
    credentials: token ? { ...key, sessionToken: token } : key,
  });
  const host = headers.host ?? '';
  const colon = host.lastIndexOf(':');
  const signed = await signer.sign({
    method: req.method ?? 'POST',
    protocol: 'http:',
    hostname: colon > 0 ? host.slice(0, colon) : host,
    path: rawPath,
    query: Object.fromEntries(new URLSearchParams(rawQuery)),
    headers,
    body,
  }, { signingDate });
  if (signed.headers.authorization !== header) {
    return fail(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  return { ok: true };
}

function fail(status: number, type: string, message: string): SigV4Result {
  return { ok: false, status, type, message };
}
