// A simulator and a gateway with Gemini (AI Studio), Vertex AI (service account + fake token endpoint) and
// Bedrock (SigV4 and API-key) deployments, for the end-to-end tests with the official SDK clients.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { RunningGateway } from '../../src/start.ts';
import { MASTER_KEY, openaiClient, startTestGateway } from '../helpers/gateway.ts';
import { SIM_AWS_KEY } from '../simulator/bedrock.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';

export const SIM_KEY = 'sim-cloud-upstream-key-7';
export const CLAUDE_ON_BEDROCK = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

export interface CloudStack {
  sim: Simulator;
  gw: RunningGateway;
  client: OpenAI;
  anthropic: Anthropic;
  close(): Promise<void>;
}

export async function startCloudStack(): Promise<CloudStack> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sim = await startSimulator({ apiKey: SIM_KEY, googlePublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  const dir = mkdtempSync(join(tmpdir(), 'igw-cloud-'));
  const keyFile = join(dir, 'service-account.json');
  writeFileSync(keyFile, JSON.stringify({
    type: 'service_account', project_id: 'sim-project', private_key_id: 'k1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'igw-test@sim-project.iam.gserviceaccount.com', token_uri: `${sim.url}/token`,
  }));
  const gemini = (name: string, model: string) =>
    `  - model_name: ${name}\n    litellm_params: { model: gemini/${model}, api_base: "${sim.url}/v1beta", api_key: ${SIM_KEY} }\n`;
  const vertex = (name: string, model: string) =>
    `  - model_name: ${name}\n    litellm_params: { model: vertex_ai/${model}, api_base: "${sim.url}/v1", vertex_project: sim-project, vertex_location: europe-west4, vertex_credentials: "${keyFile}" }\n`;
  const sigv4 = `aws_region_name: us-east-1, aws_access_key_id: ${SIM_AWS_KEY.accessKeyId}, aws_secret_access_key: "${SIM_AWS_KEY.secretAccessKey}"`;
  const bedrock = (name: string, model: string, auth = sigv4) =>
    `  - model_name: ${name}\n    litellm_params: { model: "bedrock/${model}", api_base: "${sim.url}", ${auth} }\n`;
  const yaml = `model_list:
${gemini('gemini-flash', 'gemini-2.5-flash')}${gemini('gemini-3', 'gemini-3-pro-preview')}${gemini('gemini-embed', 'gemini-embedding-001')}\
${vertex('vertex-pro', 'gemini-2.5-pro')}${vertex('vertex-embed', 'text-embedding-005')}\
${bedrock('bedrock-claude', CLAUDE_ON_BEDROCK)}${bedrock('bedrock-nova-key', 'amazon.nova-pro-v1:0', `aws_region_name: us-west-2, api_key: ${SIM_KEY}`)}\
${bedrock('bedrock-bad-secret', CLAUDE_ON_BEDROCK, `aws_region_name: us-east-1, aws_access_key_id: ${SIM_AWS_KEY.accessKeyId}, aws_secret_access_key: wrong`)}\
${bedrock('bedrock-titan', 'amazon.titan-embed-text-v2:0')}    model_info: { mode: embedding }
${bedrock('bedrock-cohere', 'cohere.embed-english-v3')}\
general_settings:
  master_key: ${MASTER_KEY}
# These suites check how single upstream answers are translated: no retries, no cooldowns.
router_settings:
  num_retries: 0
  cooldown_time: 0
`;
  const gw = await startTestGateway(yaml);
  return {
    sim,
    gw,
    client: openaiClient(gw),
    anthropic: new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0 }),
    close: async () => {
      await gw.close();
      await sim.close();
    },
  };
}

export const user = (content: string): OpenAI.ChatCompletionMessageParam[] => [{ role: 'user', content }];

export const weatherTool: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

/** A 1×1 PNG as a data URL. */
export const PNG_DATA_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
