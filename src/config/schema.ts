// The shape of config.yaml (LiteLLM's spelling). Keys not listed here are kept (sections are loose objects)
// and reported once by unsupported-keys.ts.
import { z } from 'zod';
import {
  booleanWithDefault,
  numberWithDefault,
  optionalBoolean,
  optionalCount,
  optionalHeaders,
  optionalHttpUrl,
  optionalNumber,
  optionalPort,
  optionalString,
  requiredString,
  section,
} from './coerce.ts';

/** Vertex `vertex_credentials`: a key-file path, the key JSON as text, or the key as a YAML mapping. */
const optionalCredentials = z.preprocess((v) => (v === null ? undefined : v), z.union([z.string(), z.record(z.string(), z.unknown())]).optional());
/** Per-deployment prices, USD per token (LiteLLM's names; accepted in model_info and in litellm_params). */
function priceKeys() {
  return {
    input_cost_per_token: optionalNumber,
    output_cost_per_token: optionalNumber,
    cache_read_input_token_cost: optionalNumber,
    cache_creation_input_token_cost: optionalNumber,
    output_cost_per_reasoning_token: optionalNumber,
  };
}

export const litellmParamsSchema = z.looseObject({
  model: requiredString,
  api_key: optionalString,
  api_base: optionalHttpUrl,
  api_version: optionalString,
  organization: optionalString,
  timeout: optionalNumber,
  stream_timeout: optionalNumber,
  max_retries: optionalCount,
  rpm: optionalNumber,
  tpm: optionalNumber,
  weight: optionalNumber,
  extra_headers: optionalHeaders,
  drop_params: optionalBoolean,
  anthropic_version: optionalString,
  max_tokens: optionalCount,
  vertex_project: optionalString,
  vertex_location: optionalString,
  vertex_credentials: optionalCredentials,
  aws_region_name: optionalString,
  aws_access_key_id: optionalString,
  aws_secret_access_key: optionalString,
  aws_session_token: optionalString,
  aws_bedrock_runtime_endpoint: optionalHttpUrl,
  mock_response: optionalString,
  mock_latency_ms: optionalNumber,
  mock_tokens: optionalCount,
  mock_chunk_delay_ms: optionalNumber,
  ...priceKeys(),
});

export const deploymentSchema = z.object({
  model_name: requiredString,
  litellm_params: litellmParamsSchema,
  model_info: section(z.looseObject({ id: optionalString, base_model: optionalString, ...priceKeys() })),
  // LiteLLM's router also reads rpm/tpm next to litellm_params; build-config.ts moves them inside.
  rpm: optionalNumber,
  tpm: optionalNumber,
});

/** Strategy names as LiteLLM spells them (`usage-based-routing-v2` is its Redis variant: same behaviour here). */
export const ROUTING_STRATEGIES = [
  'simple-shuffle',
  'least-busy',
  'latency-based-routing',
  'usage-based-routing',
  'usage-based-routing-v2',
  'cost-based-routing',
] as const;

const modelNameList = z.preprocess((v) => (v === null ? undefined : v), z.array(requiredString).optional());
/** `[{"gpt-4o": ["azure-gpt-4o", "claude-sonnet"]}, ...]`, as LiteLLM writes fallbacks. */
const fallbackList = z.preprocess((v) => (v === null ? undefined : v), z.array(z.record(z.string(), z.array(requiredString))).optional());
const hedgeAfter = z.union([z.literal('p95'), z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.number().positive())]);

/** Keys LiteLLM accepts in router_settings and (most of them) in litellm_settings too. */
const routingKeys = {
  num_retries: optionalCount,
  timeout: optionalNumber,
  stream_timeout: optionalNumber,
  allowed_fails: optionalCount,
  cooldown_time: optionalNumber,
  fallbacks: fallbackList,
  context_window_fallbacks: fallbackList,
  content_policy_fallbacks: fallbackList,
  default_fallbacks: modelNameList,
  retry_policy: z.preprocess((v) => (v === null ? undefined : v), z.record(z.string(), optionalCount).optional()),
  retry_after: optionalNumber,
};

export const generalSettingsSchema = section(
  z.looseObject({
    master_key: optionalString,
    max_request_size_mb: numberWithDefault(20),
    database_url: optionalString,
    redis_url: optionalString,
    igw_data_dir: optionalString,
    background_health_checks: optionalBoolean,
    health_check_interval: optionalNumber,
    proxy_batch_write_at: optionalNumber,
    disable_spend_logs: optionalBoolean,
  }),
);

export const litellmSettingsSchema = section(
  z.looseObject({
    drop_params: booleanWithDefault(false),
    request_timeout: numberWithDefault(600),
    ...routingKeys,
  }),
);

const routerSettingsObject = z.looseObject({
    // Unknown strategies (LiteLLM has a few more) load with a warning and use simple-shuffle: see build-config.ts.
    routing_strategy: optionalString,
    routing_strategy_args: section(z.looseObject({ lowest_latency_buffer: optionalNumber, ttl: optionalNumber })).optional(),
    ...routingKeys,
    stream_idle_timeout: optionalNumber,
    max_retry_after: optionalNumber,
    hedge_after_ms: z.preprocess((v) => (v === null ? undefined : v), z.record(z.string(), hedgeAfter).optional()),
    // LiteLLM's router Redis: igw's state backend when general_settings.redis_url and REDIS_URL are unset.
    redis_host: optionalString,
    redis_port: optionalPort,
    redis_password: optionalString,
});
export const routerSettingsSchema = section(routerSettingsObject);

/** Keys igw reads in each section; everything else is reported as "not supported yet". */
export const SUPPORTED_KEYS = {
  top: ['model_list', 'general_settings', 'litellm_settings', 'router_settings', 'environment_variables', 'include'],
  deployment: Object.keys(deploymentSchema.shape),
  litellm_params: Object.keys(litellmParamsSchema.shape),
  general_settings: ['master_key', 'max_request_size_mb', 'database_url', 'redis_url', 'igw_data_dir', 'background_health_checks', 'health_check_interval', 'proxy_batch_write_at', 'disable_spend_logs'],
  litellm_settings: ['drop_params', 'request_timeout', ...Object.keys(routingKeys)],
  router_settings: Object.keys(routerSettingsObject.shape),
} as const;
