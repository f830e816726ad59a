// A deployment as the router sees it: the config entry resolved into an upstream, once, at start-up.
import { GatewayError } from '../canonical/index.ts';
import type { DeploymentConfig } from '../config/types.ts';
import { createUpstream, findPreset, splitProviderModel, type ProviderSettings, type Upstream } from '../providers/index.ts';

export interface Deployment {
  /** `model_info.id`, else `<model_name>.<n>`; shown in `x-igw-deployment`. */
  id: string;
  modelName: string;
  /** `litellm_params.model` with any wildcard filled in, e.g. `openai/gpt-4o`. */
  providerModel: string;
  weight: number;
  /** ms to response headers / between body chunks for non-streaming calls. */
  timeoutMs: number;
  /** ms to the first byte of a stream. */
  streamTimeoutMs: number;
  /** ms a stream may sit idle between two chunks. */
  idleTimeoutMs: number;
  /** Requests / tokens per minute this deployment may take (`litellm_params.rpm` / `tpm`). */
  rpmLimit?: number;
  tpmLimit?: number;
  /** USD per input + output token from model_info / litellm_params, for cost-based routing. */
  costPerToken?: number;
  /** `model_info.mode` (`chat`, `embedding`…): what a health probe sends. */
  mode?: string;
  upstream: Upstream;
  /** The model_list entry it was built from (prices, model_info). */
  config: DeploymentConfig;
}

export interface DeploymentDefaults {
  timeoutSeconds: number;
  streamTimeoutSeconds?: number;
  idleTimeoutSeconds?: number;
  env: NodeJS.ProcessEnv;
  /** `litellm_settings.drop_params`; a deployment's own `drop_params` wins. */
  dropParams?: boolean;
}

/** The deployment, or why it cannot be called (unsupported provider, missing api_base): raised per request. */
export function buildDeployment(cfg: DeploymentConfig, id: string, providerModel: string, defaults: DeploymentDefaults): Deployment | GatewayError {
  const p = cfg.litellm_params;
  const timeoutMs = (p.timeout ?? defaults.timeoutSeconds) * 1000;
  const streamTimeout = p.stream_timeout ?? defaults.streamTimeoutSeconds;
  const base = {
    id,
    config: cfg,
    modelName: cfg.model_name,
    providerModel,
    weight: selectionWeight(cfg),
    timeoutMs,
    streamTimeoutMs: streamTimeout !== undefined ? streamTimeout * 1000 : timeoutMs,
    idleTimeoutMs: defaults.idleTimeoutSeconds !== undefined ? defaults.idleTimeoutSeconds * 1000 : timeoutMs,
    rpmLimit: p.rpm,
    tpmLimit: p.tpm,
    costPerToken: costPerToken(cfg),
    mode: typeof cfg.model_info.mode === 'string' ? cfg.model_info.mode : undefined,
  };
  try {
    return { ...base, upstream: createUpstream(providerSettings(cfg, providerModel, defaults)) };
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
}

function costPerToken(cfg: DeploymentConfig): number | undefined {
  const read = (key: string): number | undefined => {
    const v = cfg.model_info[key] ?? cfg.litellm_params[key];
    return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
  };
  const input = read('input_cost_per_token');
  const output = read('output_cost_per_token');
  return input === undefined && output === undefined ? undefined : (input ?? 0) + (output ?? 0);
}

/** LiteLLM's simple-shuffle weight: `weight`, else `rpm`, else `tpm`, else equal. */
function selectionWeight(cfg: DeploymentConfig): number {
  const p = cfg.litellm_params;
  return p.weight ?? p.rpm ?? p.tpm ?? 1;
}

function providerSettings(cfg: DeploymentConfig, providerModel: string, defaults: DeploymentDefaults): ProviderSettings {
  const p = cfg.litellm_params;
  const env = defaults.env;
  const { prefix, upstreamModel } = splitProviderModel(providerModel);
  const preset = findPreset(prefix);
  const isAzure = preset?.kind === 'azure';
  return {
    prefix,
    upstreamModel,
    apiKey: p.api_key ?? (preset?.keyEnv ? env[preset.keyEnv] : undefined),
    apiBase: p.api_base ?? (preset?.baseEnv ? env[preset.baseEnv] : undefined),
    apiVersion: p.api_version ?? (isAzure ? env.AZURE_API_VERSION : undefined),
    organization: p.organization,
    extraHeaders: p.extra_headers,
    dropParams: p.drop_params ?? defaults.dropParams ?? false,
    anthropicVersion: p.anthropic_version,
    defaultMaxTokens: p.max_tokens,
    params: p,
    env,
    mock: {
      response: p.mock_response,
      latencyMs: p.mock_latency_ms ?? 0,
      tokens: p.mock_tokens ?? 20,
      chunkDelayMs: p.mock_chunk_delay_ms ?? 0,
    },
  };
}
