// Helpers shared by the benchmark scripts (run.ts, side-by-side.ts).
import { createServer } from 'node:net';

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
