import type { Deployment } from '../../src/router/index.ts';

/** A deployment as the router sees it, without an upstream (these tests never send). */
export function fakeDeployment(id: string, extra: Partial<Deployment> = {}): Deployment {
  return {
    id,
    modelName: 'g',
    providerModel: `openai/${id}`,
    weight: 1,
    timeoutMs: 1000,
    streamTimeoutMs: 1000,
    idleTimeoutMs: 1000,
    upstream: undefined as unknown as Deployment['upstream'],
    config: { model_name: 'g', litellm_params: { model: `openai/${id}` }, model_info: {}, path: 'model_list[0]' },
    ...extra,
  };
}
