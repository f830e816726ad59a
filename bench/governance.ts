// Governance overhead: the same chat request through one igw process with the master key and with a virtual
// key that has a budget (with a reset period) and an rpm limit, so every request does the full pre-call
// checks (model access, budget accumulators, rate window) and post-call bookkeeping (cost, counters, a
// spend-log row). The provider simulator answers; autocannon drives. Rounds alternate the two keys, and the
// ratio of the medians is printed.
//
//   node bench/governance.ts [--seconds 10] [--rounds 3] [--connections 50] [--redis redis://127.0.0.1:6379]
//                            [--no-spend-logs]   (general_settings.disable_spend_logs: the cost of the log itself)
//
// Each of the three programs runs in its own process: simulator, gateway (the `igw` command, embedded store
// opened at start-up, spend logs on for both keys), and this load generator.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    redis: { type: 'string' },
    'no-spend-logs': { type: 'boolean', default: false },
  },
});

const root = new URL('../', import.meta.url);
const MASTER = 'sk-bench-master';

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function start(cmd: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, cmd, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve({ child, match: m });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${cmd.join(' ')} exited (${code}):\n${out}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The gateway logs at `warn` (no line per request), so readiness is polled rather than read from its log. */
async function startGateway(config: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [new URL('bin/igw.js', root).pathname, '--config', config, '--port', String(port), '--log-level', 'warn'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`igw exited (${child.exitCode})`);
    const ok = await fetch(`${url}/health/liveliness`).then((r) => r.ok, () => false);
    if (ok) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('igw did not start within 60 s');
}

async function load(url: string, key: string, seconds: number, connections: number): Promise<Result> {
  const r = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello to the benchmark.' }] }),
    connections,
    duration: seconds,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const dir = mkdtempSync(join(tmpdir(), 'igw-bench-gov-'));
const children: ChildProcess[] = [];
try {
  const sim = await start([new URL('test/simulator/cli.ts', root).pathname, '--port', '0'], {}, /simulator listening on (http:\/\/\S+)/);
  children.push(sim.child);
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    `model_list:
  - model_name: gpt-4o-mini
    litellm_params: { model: openai/gpt-4o-mini, api_base: "${sim.match[1]}/v1", api_key: sk-sim }
general_settings:
  master_key: ${MASTER}
  disable_spend_logs: ${values['no-spend-logs']}
`,
  );
  const env: NodeJS.ProcessEnv = { IGW_DATA_DIR: join(dir, 'data') };
  if (values.redis) env.REDIS_URL = values.redis;
  const gw = await startGateway(config, env);
  children.push(gw.child);
  const url = gw.url;
  const generated = await fetch(`${url}/key/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
    // Limits far above what the run reaches: every check runs, none refuses.
    body: JSON.stringify({ key_alias: 'bench', max_budget: 1_000_000, budget_duration: '30d', rpm_limit: 100_000_000 }),
  });
  const { key } = (await generated.json()) as { key: string };
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  await load(url, MASTER, 3, connections); // warm-up: JIT, connection pools, the key's cache entry
  await load(url, key, 3, connections);
  const runs: Record<'master' | 'virtual', Result[]> = { master: [], virtual: [] };
  for (let i = 0; i < Number(values.rounds); i++) {
    for (const [name, k] of [['master', MASTER], ['virtual', key]] as const) {
      const r = await load(url, k, seconds, connections);
      runs[name].push(r);
      console.log(`round ${i + 1} ${name.padEnd(7)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}`);
    }
  }
  const m = median(runs.master.map((r) => r.rps));
  const v = median(runs.virtual.map((r) => r.rps));
  console.log(`\nmedian: master key ${m.toFixed(0)} req/s, virtual key (budget + rpm) ${v.toFixed(0)} req/s, ratio ${(v / m).toFixed(3)}`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
