// Placeholder translation functions for targets whose canonical converters are not written yet: every call
// is a 501 naming the provider. Replaced adapter by adapter; kept so the UpstreamTarget interface can land first.
import { GatewayError } from '../canonical/index.ts';
import type { UpstreamTarget } from './types.ts';

type Translation = Pick<UpstreamTarget, 'supportedParams' | 'buildFromCanonical' | 'responseToCanonical' | 'createStreamDecoder'>;

export function untranslated(provider: string): Translation {
  const fail = (): never => {
    throw new GatewayError({
      status: 501,
      kind: 'not_implemented',
      code: 'translation_not_supported',
      message: `Translation to provider '${provider}' is not implemented yet`,
    });
  };
  return { supportedParams: new Set(), buildFromCanonical: fail, responseToCanonical: fail, createStreamDecoder: fail };
}
