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
  optionalString,
  requiredString,
  section,
} from './coerce.ts';

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
  mock_response: optionalString,
  mock_latency_ms: optionalNumber,
  mock_tokens: optionalCount,
  mock_chunk_delay_ms: optionalNumber,
});

export const deploymentSchema = z.object({
  model_name: requiredString,
  litellm_params: litellmParamsSchema,
  model_info: section(z.looseObject({ id: optionalString })),
  // LiteLLM's router also reads rpm/tpm next to litellm_params; build-config.ts moves them inside.
  rpm: optionalNumber,
  tpm: optionalNumber,
});

export const generalSettingsSchema = section(
  z.looseObject({
    master_key: optionalString,
    max_request_size_mb: numberWithDefault(20),
    database_url: optionalString,
  }),
);

export const litellmSettingsSchema = section(
  z.looseObject({
    drop_params: booleanWithDefault(false),
    request_timeout: numberWithDefault(600),
    num_retries: optionalCount,
  }),
);

export const routerSettingsSchema = section(
  z.looseObject({
    routing_strategy: optionalString,
    num_retries: optionalCount,
    timeout: optionalNumber,
  }),
);

/** Keys igw reads in each section; everything else is reported as "not supported yet". */
export const SUPPORTED_KEYS = {
  top: ['model_list', 'general_settings', 'litellm_settings', 'router_settings', 'environment_variables', 'include'],
  deployment: Object.keys(deploymentSchema.shape),
  litellm_params: Object.keys(litellmParamsSchema.shape),
  general_settings: ['master_key', 'max_request_size_mb', 'database_url'],
  litellm_settings: ['drop_params', 'request_timeout', 'num_retries'],
  router_settings: ['routing_strategy', 'num_retries', 'timeout'],
} as const;
