// The validated, frozen configuration igw runs on. Field names keep LiteLLM's snake_case spelling so that
// docs/configuration.md, config.yaml and the code all use the same words.

/** `litellm_params` of one model_list entry, after os.environ/ references are resolved and strings coerced. */
export interface LitellmParams {
  /** `provider/upstream-model`, e.g. `openai/gpt-4o`, `azure/my-deployment`, `groq/llama-3.3-70b`, `mock/anything`. */
  model: string;
  api_key?: string;
  api_base?: string;
  api_version?: string;
  /** Seconds. */
  timeout?: number;
  /** Seconds to the first byte of a stream. */
  stream_timeout?: number;
  max_retries?: number;
  rpm?: number;
  tpm?: number;
  weight?: number;
  organization?: string;
  extra_headers?: Record<string, string>;
  drop_params?: boolean;
  /** Anthropic: the `anthropic-version` header sent upstream (default `2023-06-01`). */
  anthropic_version?: string;
  /** Output cap sent when the client gives none (Anthropic requires `max_tokens`). */
  max_tokens?: number;
  /** Vertex AI: project id (else VERTEXAI_PROJECT, else the key file's project_id). */
  vertex_project?: string;
  /** Vertex AI: region, e.g. `us-central1` or `global` (else VERTEXAI_LOCATION, else us-central1). */
  vertex_location?: string;
  /** Vertex AI: service-account key — a file path, its JSON text, or the key as a mapping. */
  vertex_credentials?: string | Record<string, unknown>;
  /** Bedrock: region (else AWS_REGION / AWS_DEFAULT_REGION). */
  aws_region_name?: string;
  /** Bedrock SigV4 credentials (else the AWS_* environment variables). */
  aws_access_key_id?: string;
  aws_secret_access_key?: string;
  aws_session_token?: string;
  /** Bedrock: runtime endpoint override (VPC endpoints, proxies). */
  aws_bedrock_runtime_endpoint?: string;
  /** Mock provider: fixed reply text (LiteLLM's `mock_response`). */
  mock_response?: string;
  /** Mock provider: delay before the first byte, in ms. */
  mock_latency_ms?: number;
  /** Mock provider: completion tokens to produce when no mock_response is given. */
  mock_tokens?: number;
  /** Mock provider: delay between stream chunks, in ms. */
  mock_chunk_delay_ms?: number;
  /** Prices in USD per token, overriding the catalogue's (also accepted in model_info). */
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  cache_read_input_token_cost?: number;
  cache_creation_input_token_cost?: number;
  output_cost_per_reasoning_token?: number;
  /** Any other key found under litellm_params (kept, not interpreted). */
  [other: string]: unknown;
}

export interface ModelInfo {
  id?: string;
  /** The catalogue model to price an Azure deployment (or any renamed model) as, e.g. `gpt-4o`. */
  base_model?: string;
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  cache_read_input_token_cost?: number;
  cache_creation_input_token_cost?: number;
  output_cost_per_reasoning_token?: number;
  [other: string]: unknown;
}

export interface DeploymentConfig {
  model_name: string;
  litellm_params: LitellmParams;
  model_info: ModelInfo;
  /** YAML path of this entry, e.g. `model_list[3]`, for messages. */
  path: string;
}

export interface GeneralSettings {
  master_key?: string;
  /** Request body cap in megabytes (LiteLLM's key). Default 20. */
  max_request_size_mb: number;
  /** PostgreSQL store (else `DATABASE_URL`; neither: the embedded store). */
  database_url?: string;
  /** Redis state backend (else `REDIS_URL`; neither: in-process memory). */
  redis_url?: string;
  /** Embedded store directory (else `IGW_DATA_DIR`, else `./.igw-data`); `:memory:` keeps it in memory. */
  igw_data_dir?: string;
  /** Probe every deployment in the background and feed the cooldowns (LiteLLM's key). */
  background_health_checks?: boolean;
  /** Seconds between background health checks. Default 300. */
  health_check_interval?: number;
  /** Seconds between spend-log batch writes (LiteLLM's key). Default 1. */
  proxy_batch_write_at?: number;
  /** Write no spend-log rows (LiteLLM's key); costs, budgets and limits still apply. */
  disable_spend_logs?: boolean;
  [other: string]: unknown;
}

/** `[{"gpt-4o": ["azure-gpt-4o", "claude-sonnet"]}]`: model name → ordered fallback model names. */
export type FallbackList = Record<string, string[]>[];

/** Routing keys LiteLLM accepts in router_settings and in litellm_settings (router_settings wins). */
export interface RoutingKeys {
  num_retries?: number;
  /** Seconds, per attempt. */
  timeout?: number;
  /** Seconds to a stream's first byte. */
  stream_timeout?: number;
  /** Failures per minute a deployment may have before it cools down. */
  allowed_fails?: number;
  /** Seconds a failing deployment sits out. */
  cooldown_time?: number;
  fallbacks?: FallbackList;
  context_window_fallbacks?: FallbackList;
  content_policy_fallbacks?: FallbackList;
  default_fallbacks?: string[];
  /** `{RateLimitErrorRetries: 3, TimeoutErrorRetries: 1, ...}`. */
  retry_policy?: Record<string, number | undefined>;
  /** Seconds: the least a retry waits (LiteLLM's `retry_after`). */
  retry_after?: number;
}

export interface LitellmSettings extends RoutingKeys {
  drop_params: boolean;
  /** Seconds; default upstream timeout when a deployment sets none. Default 600. */
  request_timeout: number;
  [other: string]: unknown;
}

export interface RouterSettings extends RoutingKeys {
  routing_strategy?: string;
  routing_strategy_args?: { lowest_latency_buffer?: number; ttl?: number; [other: string]: unknown };
  /** Seconds a stream may sit idle between two chunks (igw). */
  stream_idle_timeout?: number;
  /** Seconds: the longest `retry-after` igw will wait out itself (igw). Default 10. */
  max_retry_after?: number;
  /** Model name → ms before a hedged second attempt, or `p95` of the group's time to first byte (igw). */
  hedge_after_ms?: Record<string, number | 'p95'>;
  /** LiteLLM's router Redis; igw's state backend when `general_settings.redis_url` and `REDIS_URL` are unset. */
  redis_host?: string;
  /** Default 6379. */
  redis_port?: number;
  redis_password?: string;
  [other: string]: unknown;
}

export interface GatewayConfig {
  model_list: DeploymentConfig[];
  general_settings: GeneralSettings;
  litellm_settings: LitellmSettings;
  router_settings: RouterSettings;
  environment_variables: Record<string, string>;
}

/** A config problem with the YAML path at fault (`model_list[2].litellm_params.rpm`) and, when known, the line. */
export interface ConfigIssue {
  /** Empty for problems that belong to no key (YAML syntax errors, the "not supported yet" summary). */
  path: string;
  message: string;
  line?: number;
  column?: number;
  /** Set when the problem is in an included file rather than the main config file. */
  file?: string;
}

export interface LoadedConfig {
  config: GatewayConfig;
  /** Non-fatal: LiteLLM keys igw does not implement yet, unset environment variables, unsupported providers. */
  warnings: ConfigIssue[];
}
