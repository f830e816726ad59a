// A simulator and a gateway in front of it, with one deployment per provider style.
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { MASTER_KEY, openaiClient, startTestGateway } from '../helpers/gateway.ts';
import type { RunningGateway } from '../../src/start.ts';
import type OpenAI from 'openai';

export const SIM_KEY = 'sk-sim-upstream-secret-42';

export interface Stack {
  sim: Simulator;
  gw: RunningGateway;
  client: OpenAI;
  close(): Promise<void>;
}

export function stackConfig(sim: Simulator): string {
  return `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${sim.url}/v1", api_key: ${SIM_KEY} }
  - model_name: azure-gpt
    litellm_params: { model: azure/dep1, api_base: "${sim.url}", api_version: "2024-10-21", api_key: ${SIM_KEY} }
  - model_name: azure-v1
    litellm_params: { model: azure/dep2, api_base: "${sim.url}/openai/v1", api_key: ${SIM_KEY} }
  - model_name: groq-llama
    litellm_params: { model: groq/llama-3.3-70b, api_base: "${sim.url}/v1", api_key: ${SIM_KEY} }
  - model_name: embed
    litellm_params: { model: openai/text-embedding-3-small, api_base: "${sim.url}/v1", api_key: ${SIM_KEY} }
  - model_name: vllm-embed
    litellm_params: { model: hosted_vllm/bge, api_base: "${sim.url}/v1", api_key: ${SIM_KEY} }
  - model_name: slow
    litellm_params: { model: openai/slow, api_base: "${sim.url}/v1", api_key: ${SIM_KEY}, timeout: 0.5 }
  - model_name: dead
    litellm_params: { model: openai/dead, api_base: "http://127.0.0.1:9", api_key: ${SIM_KEY} }
  - model_name: command
    litellm_params: { model: cohere/command-r-plus, api_key: ${SIM_KEY} }
  - model_name: "openai/*"
    litellm_params: { model: "openai/*", api_base: "${sim.url}/v1", api_key: ${SIM_KEY} }
general_settings:
  master_key: ${MASTER_KEY}
  max_request_size_mb: 1
# These suites check how single upstream answers are passed on: no retries, no cooldowns.
router_settings:
  num_retries: 0
  cooldown_time: 0
`;
}

export async function startStack(): Promise<Stack> {
  const sim = await startSimulator({ apiKey: SIM_KEY });
  const gw = await startTestGateway(stackConfig(sim));
  return {
    sim,
    gw,
    client: openaiClient(gw),
    close: async () => {
      await gw.close();
      await sim.close();
    },
  };
}

export const user = (content: string): OpenAI.ChatCompletionMessageParam[] => [{ role: 'user', content }];
