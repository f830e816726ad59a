// A simulator (OpenAI + Anthropic routes) and a gateway with Anthropic deployments in several settings and an
// OpenAI one, for the end-to-end tests with both official SDKs.
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { RunningGateway } from '../../src/start.ts';
import { MASTER_KEY, openaiClient, startTestGateway } from '../helpers/gateway.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';

export const SIM_KEY = 'sk-ant-sim-upstream-secret-9';

export interface AnthropicStack {
  sim: Simulator;
  gw: RunningGateway;
  openai: OpenAI;
  anthropic: Anthropic;
  close(): Promise<void>;
}

export function anthropicStackConfig(sim: Simulator): string {
  const claude = (name: string, extra = '') =>
    `  - model_name: ${name}\n    litellm_params: { model: anthropic/claude-sonnet-4-5, api_base: "${sim.url}", api_key: ${SIM_KEY}${extra} }\n`;
  return `model_list:
${claude('claude')}${claude('claude-drop', ', drop_params: true')}${claude('claude-2026', ', anthropic_version: "2026-10-21"')}${claude('claude-2026-drop', ', anthropic_version: "2026-10-21", drop_params: true')}${claude('claude-short', ', max_tokens: 3')}${claude('claude-flaky')}  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${sim.url}/v1", api_key: ${SIM_KEY} }
  - model_name: gpt-flaky
    litellm_params: { model: openai/gpt-4o, api_base: "${sim.url}/v1", api_key: ${SIM_KEY} }
general_settings:
  master_key: ${MASTER_KEY}
# These suites check how single upstream answers are translated: no retries, no cooldowns.
# Fallbacks cross dialects: the plan is made per deployment.
router_settings:
  num_retries: 0
  cooldown_time: 0
  fallbacks: [{ gpt-flaky: [claude] }, { claude-flaky: [gpt-4o] }]
`;
}

export async function startAnthropicStack(): Promise<AnthropicStack> {
  const sim = await startSimulator({ apiKey: SIM_KEY });
  const gw = await startTestGateway(anthropicStackConfig(sim));
  return {
    sim,
    gw,
    openai: openaiClient(gw),
    anthropic: anthropicClient(gw),
    close: async () => {
      await gw.close();
      await sim.close();
    },
  };
}

/** The official Anthropic client pointed at igw (it sends `Authorization: Bearer` and version 2026-10-21). */
export function anthropicClient(gw: RunningGateway, apiKey: string = MASTER_KEY): Anthropic {
  return new Anthropic({ baseURL: gw.url, apiKey, maxRetries: 0 });
}

export const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

export const anthropicWeatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

/** 1×1 transparent PNG. */
export const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
