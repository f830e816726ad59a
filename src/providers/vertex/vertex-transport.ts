// Auth is a transport concern: this wrapper adds `Authorization: Bearer <token>` to each request the pure
// Gemini-dialect target built, then hands it to the shared HTTP transport.
import type { SendOptions, Transport, UpstreamReply, UpstreamRequest } from '../types.ts';
import type { TokenSource } from './vertex-token.ts';

export function bearerTransport(inner: Transport, tokens: TokenSource): Transport {
  return {
    async send(req: UpstreamRequest, opts: SendOptions): Promise<UpstreamReply> {
      const token = await tokens.token();
      return inner.send({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } }, opts);
    },
  };
}
