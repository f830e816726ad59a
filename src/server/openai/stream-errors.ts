import { GatewayError } from '../../canonical/index.ts';

/** A failure while reading an upstream stream: idle timeout, reset, or a framing limit. */
export function toTransportErrorForStream(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new GatewayError({ status: 504, kind: 'timeout', code: 'upstream_timeout', message: 'Upstream stream went idle past the timeout' });
  }
  if (code === 'sse_event_too_large') {
    return new GatewayError({ status: 502, kind: 'server', code: 'upstream_event_too_large', message: 'Upstream sent an oversized stream event' });
  }
  return new GatewayError({
    status: 502,
    kind: 'connection',
    code: 'upstream_stream_interrupted',
    message: `Upstream stream was interrupted (${code || 'connection closed'})`,
  });
}
