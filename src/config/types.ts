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
  /** Mock provider: fixed reply text (LiteLLM's `mock_response`). */
  mock_response?: string;
  /** Mock provider: delay before the first byte, in ms. */
  mock_latency_ms?: number;
  /** Mock provider: completion tokens to produce when no mock_response is given. */
  mock_tokens?: number;
  /** Mock provider: delay between stream chunks, in ms. */
  mock_chunk_delay_ms?: number;
  /** Any other key found under litellm_params (kept, not interpreted). */
  [other: string]: unknown;
}

export interface ModelInfo {
  id?: string;
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
  database_url?: string;
  [other: string]: unknown;
}

export interface LitellmSettings {
  drop_params: boolean;
  /** Seconds; default upstream timeout when a deployment sets none. Default 600. */
  request_timeout: number;
  num_retries?: number;
  [other: string]: unknown;
}

export interface RouterSettings {
  routing_strategy?: string;
  num_retries?: number;
  timeout?: number;
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
