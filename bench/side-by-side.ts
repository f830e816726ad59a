// Two builds of igw (or igw and the bare proxy) under the same load at the same moment: what a change costs or saves in CPU per request.
// On a shared VM whose speed moves by a third from one minute to the next, runs one after the other cannot
// tell a 1 µs change; two processes loaded together at a fixed rate see the same machine.
//
//   node bench/side-by-side.ts [--base HEAD|REV|bare] [--rate 4000] [--seconds 20] [--warmup 4] [--rounds 3]
//                              [--key master|virtual] [--connections 32] [--first-warmup 15] [--stream]
//
// "base" is a git revision, built into a temporary worktree; "this" is the working tree's dist/ (the npm
// script `bench:side-by-side` builds it first). Both run the `igw` command with the same generated config
// (one OpenAI deployment on the provider simulator, embedded store, spend logs on), each with its own data
// directory. `--base bare` puts the bare pass-through proxy (bench/bare-proxy.ts) in the base's place: what
// igw costs per request beyond the practical limit, at one load, on one machine at one moment.
//
// Both are warmed for --first-warmup seconds (the JIT settles), then each round warms both, then loads both
// at --rate req/s each for --seconds and reads every thread's CPU time from /proc/<pid>/task/*/stat (Linux
// only). `--key virtual`: each gateway generates a key with a budget (30-day period) and an rpm limit, so
// every request runs the full governance path (the bare proxy has no keys: it is called with the simulator's).
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SIM_KEY, chatBody, children, freePort, median, oneDeploymentConfig, responds, startServer, virtualKey } from './common.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MASTER_KEY = 'sk-side-by-side';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD' },
    rate: { type: 'string', default: '4000' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '4' },
    'first-warmup': { type: 'string', default: '15' },
    rounds: { type: 'string', default: '3' },
    key: { type: 'string', default: 'master' },
    connections: { type: 'string', default: '32' },
    stream: { type: 'boolean', default: false },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const ROUNDS = Number(args.rounds);
const FIRST_WARMUP = Number(args['first-warmup']);
const CONNECTIONS = Number(args.connections);
if (!(RATE > 0 && SECONDS > 0 && WARMUP >= 0 && FIRST_WARMUP >= 0 && Number.isInteger(ROUNDS) && ROUNDS > 0 && CONNECTIONS > 0)) {
  throw new Error('--rate, --seconds, --rounds and --connections must be positive, --warmup >= 0');
}
if (args.key !== 'master' && args.key !== 'virtual') throw new Error("--key is 'master' or 'virtual'");

/** Starts `node script argv` and resolves once `ready` answers true. */
function start(script: string, argv: string[], env: NodeJS.ProcessEnv, ready: () => Promise<boolean>): Promise<ChildProcess> {
  return startServer(process.execPath, [script, ...argv], env, ready);
}

type Result = Awaited<ReturnType<typeof autocannon>>;

/** The base revision, built in a temporary worktree that shares this checkout's node_modules. */
function buildBase(dir: string): string {
  const tree = join(dir, 'base');
  execFileSync('git', ['worktree', 'add', '--detach', tree, args.base!], { cwd: ROOT, stdio: 'ignore' });
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: tree, stdio: 'inherit' });
  return tree;
}

interface Side {
  label: string;
  pid: number;
  url: string;
  key: string;
}

/** The bare proxy forwards the client's key to the simulator, so it is called with the simulator's. */
async function startBare(simUrl: string): Promise<Side> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await start(join(ROOT, 'bench/bare-proxy.ts'), ['--upstream', simUrl, '--port', String(port)], {}, responds(url));
  return { label: 'bare', pid: child.pid!, url, key: SIM_KEY };
}

async function startIgw(label: string, tree: string, config: string, dir: string): Promise<Side> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const argv = ['--config', config, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'warn'];
  const child = await start(join(tree, 'bin/igw.js'), argv, { IGW_DATA_DIR: join(dir, `data-${label}`) }, responds(`${url}/health/liveliness`));
  return { label, pid: child.pid!, url, key: args.key === 'virtual' ? await virtualKey(url, MASTER_KEY, 'side-by-side') : MASTER_KEY };
}

const BODY = chatBody(args.stream);

function load(side: Side, seconds: number): PromiseLike<Result> {
  return autocannon({
    url: `${side.url}/v1/chat/completions`,
    method: 'POST',
    body: BODY,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${side.key}` },
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: seconds,
  });
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds per thread name (the event loop is `MainThread`), summed over threads of the same name. */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / CLK_TCK);
  }
  return out;
}

interface Reading {
  requests: number;
  non2xx: number;
  /** µs of CPU per request: the event loop, and every thread of the process. */
  loop: number;
  all: number;
}

function reading(before: Map<string, number>, after: Map<string, number>, r: Result): Reading {
  const n = r.requests.total;
  let all = 0;
  for (const [name, s] of after) all += s - (before.get(name) ?? 0);
  const loop = (after.get('MainThread') ?? 0) - (before.get('MainThread') ?? 0);
  return { requests: n, non2xx: r.non2xx + r.errors, loop: (loop * 1e6) / n, all: (all * 1e6) / n };
}

const f1 = (x: number): string => x.toFixed(1);
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'igw-side-by-side-'));
  let baseTree: string | undefined;
  try {
    const againstBare = args.base === 'bare';
    if (!againstBare) {
      process.stderr.write(`building ${args.base} in a temporary worktree...\n`);
      baseTree = buildBase(dir);
    }
    const simPort = await freePort();
    const simUrl = `http://127.0.0.1:${simPort}`;
    await start(join(ROOT, 'test/simulator/cli.ts'), ['--port', String(simPort), '--api-key', SIM_KEY], {}, responds(simUrl));
    const config = join(dir, 'config.yaml');
    writeFileSync(config, oneDeploymentConfig(simUrl, MASTER_KEY));
    const sides = [againstBare ? await startBare(simUrl) : await startIgw('base', baseTree!, config, dir), await startIgw('this', ROOT, config, dir)];
    process.stderr.write(`base = ${againstBare ? 'the bare proxy' : args.base}, this = the working tree; ${args.key} key; ${args.stream ? 'streamed' : 'JSON'} answers; ${RATE} req/s each, ${CONNECTIONS} connections\n`);
    await Promise.all(sides.map((s) => load(s, FIRST_WARMUP)));
    const rows: Reading[][] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Every other round starts the other side's load first, so neither is always first.
      const order = round % 2 === 1 ? [0, 1] : [1, 0];
      await Promise.all(order.map((i) => load(sides[i], WARMUP)));
      const before = sides.map((s) => threadCpu(s.pid));
      const started = order.map((i) => load(sides[i], SECONDS));
      const results = order[0] === 0 ? await Promise.all(started) : (await Promise.all(started)).reverse();
      const after = sides.map((s) => threadCpu(s.pid));
      const r = sides.map((_, i) => reading(before[i], after[i], results[i]));
      rows.push(r);
      process.stderr.write(`round ${round}: event loop ${f1(r[0].loop)} → ${f1(r[1].loop)} µs/request (${signed(r[1].loop - r[0].loop)})\n`);
    }
    const lines = [
      `| round | base: event loop µs / request | this: event loop | difference | base: all threads | this: all threads | requests (base, this) | non-2xx |`,
      `|--:|--:|--:|--:|--:|--:|--:|--:|`,
      ...rows.map(
        ([a, b], i) =>
          `| ${i + 1} | ${f1(a.loop)} | ${f1(b.loop)} | ${signed(b.loop - a.loop)} | ${f1(a.all)} | ${f1(b.all)} | ${a.requests}, ${b.requests} | ${a.non2xx + b.non2xx} |`,
      ),
      `| median | ${f1(median(rows.map((r) => r[0].loop)))} | ${f1(median(rows.map((r) => r[1].loop)))} | ${signed(median(rows.map((r) => r[1].loop - r[0].loop)))} | ${f1(median(rows.map((r) => r[0].all)))} | ${f1(median(rows.map((r) => r[1].all)))} | | |`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    children.clear();
    if (baseTree) execFileSync('git', ['worktree', 'remove', '--force', baseTree], { cwd: ROOT, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
