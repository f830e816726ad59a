// Auth is a transport concern: this wrapper adds `Authorization: Bearer <token>` to each request the pure
// Gemini-dialect target built, then hands it to the shared HTTP transport.
import { preparingTransport } from '../http-client.ts';
import type { Transport } from '../types.ts';
import type { TokenSource } from './vertex-token.ts';

export function bearerTransport(inner: Transport, tokens: TokenSource): Transport {
  return preparingTransport(inner, async (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${await tokens.token()}` } }));
}
