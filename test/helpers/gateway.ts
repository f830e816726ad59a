// Test helpers: write a config to a temp file, load it like the CLI does, start a gateway on a free port.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { startGateway, type RunningGateway, type StartOptions } from '../../src/start.ts';

export const MASTER_KEY = 'sk-test-master-0123456789';

export function writeTempConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'igw-test-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  return file;
}

export async function startTestGateway(yaml: string, env: NodeJS.ProcessEnv = process.env, extra: Partial<StartOptions> = {}): Promise<RunningGateway> {
  const loaded = await loadConfig(writeTempConfig(yaml), { mode: 'serve', env });
  return startGateway(loaded, { port: 0, host: '127.0.0.1', logger: createLogger('silent'), env, dataDir: ':memory:', ...extra });
}

/** The official client pointed at the gateway, with SDK retries off so each test sees igw's own answer. */
export function openaiClient(gw: RunningGateway, apiKey: string = MASTER_KEY): OpenAI {
  return new OpenAI({ baseURL: `${gw.url}/v1`, apiKey, maxRetries: 0 });
}
