// Helpers shared by the benchmark scripts (run.ts, side-by-side.ts, instructions.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * The `model_info` of a config entry on the simulator's model, as YAML under `  - model_name: …`: gpt-4o's list
 * prices, so that every answer is costed and a virtual key's budget is charged (an unpriced model costs 0,
 * and a budget is then checked but never added to).
 */
export const SIM_MODEL_INFO = '    model_info:\n      input_cost_per_token: 0.0000025\n      output_cost_per_token: 0.00001\n';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A virtual key with a budget (resetting every 30 days) and an rpm limit, far above what a run reaches. */
export async function virtualKey(igwUrl: string, masterKey: string, alias: string): Promise<string> {
  const res = await fetch(`${igwUrl}/key/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key_alias: alias, max_budget: 1_000_000, budget_duration: '30d', rpm_limit: 100_000_000 }),
  });
  const body = (await res.json()) as { key?: string };
  if (!res.ok || !body.key) throw new Error(`/key/generate answered ${res.status}: ${JSON.stringify(body)}`);
  return body.key;
}

/** The simulator's API key: the bare proxy forwards the client's key, so it is called with this one. */
export const SIM_KEY = 'sk-sim';

/** A config with one priced OpenAI deployment, `bench-model`, on the simulator at `simUrl`. */
export function oneDeploymentConfig(simUrl: string, masterKey: string): string {
  return `model_list:\n  - model_name: bench-model\n    litellm_params:\n      model: openai/sim-model\n      api_base: ${simUrl}/v1\n      api_key: ${SIM_KEY}\n${SIM_MODEL_INFO}general_settings:\n  master_key: ${masterKey}\n`;
}

/** The side-by-side and instruction-count request: system + user message, ~300 bytes. */
export function chatBody(stream: boolean): string {
  return JSON.stringify({
    model: 'bench-model',
    messages: [
      { role: 'system', content: 'You are a helpful assistant for an online bookshop. Answer briefly and politely.' },
      { role: 'user', content: 'Do you have the second edition of "Designing Data-Intensive Applications" in stock, and how fast can you ship it?' },
    ],
    temperature: 0.7,
    max_tokens: 256,
    // Streamed answers ask for the usage chunk, as igw itself does upstream (bench/run.ts does the same).
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

/** Whether anything answers HTTP at `url` (a server listens once it is ready). */
export const responds = (url: string) => async (): Promise<boolean> => {
  try {
    await (await fetch(url)).arrayBuffer();
    return true;
  } catch {
    return false;
  }
};

/** The servers startServer started; killed when the script exits, however it exits. */
export const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/**
 * Starts `command args` and resolves once `ready` answers true. A server that exits while it is in `children`
 * (it was not stopped on purpose) ends the script with its last stderr.
 */
export async function startServer(command: string, args: string[], env: NodeJS.ProcessEnv, ready: () => Promise<boolean>, timeoutMs = 20_000): Promise<ChildProcess> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  const name = args.find((a) => a.endsWith('.ts') || a.endsWith('.js')) ?? command;
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-4096)));
  child.once('exit', (code) => {
    if (children.has(child)) {
      process.stderr.write(`${name} exited (code ${code}):\n${errors}\n`);
      process.exit(1);
    }
  });
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    if (await ready()) return child;
  }
  throw new Error(`${name} did not start within ${timeoutMs / 1000} s:\n${errors}`);
}
