// Instructions per request, igw against the bare proxy, counted by valgrind's callgrind. Unlike req/s or CPU
// time, the count of instructions a request executes does not move with the host's speed or with other load
// on the machine: windows of one run agree within ~1-2%, but for those a major GC lands in. What it cannot see
// is what the instructions cost (cache misses, the kernel, waiting for a core): req/s and CPU time (run.ts,
// side-by-side.ts) do. See docs/benchmarks.md "Counting instructions per request" for its other limits.
//
//   node bench/instructions.ts [--warmup 40000] [--requests 3000] [--windows 5] [--connections 16] [--key master|virtual] [--keep]
//
// Each proxy runs under `valgrind --tool=callgrind`, uninstrumented while --warmup requests let the JIT
// settle, then instrumented for --windows windows of --requests requests, its counts dumped per thread after
// each; the medians of the windows are compared. The simulator and the load generator run natively. Takes
// ~6 minutes; needs valgrind (Debian package).
// `--keep` keeps the dumps (`<proxy>.<pid>.<window + 1>-<thread>`) for `callgrind_annotate`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SIM_KEY, chatBody, children, freePort, median, oneDeploymentConfig, responds, startServer, virtualKey } from './common.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MASTER_KEY = 'sk-instructions';

const { values: args } = parseArgs({
  options: {
    warmup: { type: 'string', default: '40000' },
    requests: { type: 'string', default: '3000' },
    windows: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    key: { type: 'string', default: 'master' },
    keep: { type: 'boolean', default: false },
  },
});
const WARMUP = Number(args.warmup);
const REQUESTS = Number(args.requests);
const WINDOWS = Number(args.windows);
const CONNECTIONS = Number(args.connections);
if (![WARMUP, REQUESTS, WINDOWS, CONNECTIONS].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('--warmup, --requests, --windows and --connections are positive integers');
}
if (args.key !== 'master' && args.key !== 'virtual') throw new Error("--key is 'master' or 'virtual'");

const CALLGRIND = ['--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', '--smc-check=all-non-file'];
/** Under valgrind a server starts ~50x slower than natively. */
const START_TIMEOUT_MS = 300_000;

interface Target {
  label: string;
  pid: number;
  url: string;
  key: string;
}

/** Instructions of one window, per request: the event loop (thread 1), the spend-log worker, the rest. */
interface Window {
  loop: number;
  spendWorker: number;
  others: number;
}

function requireValgrind(): void {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['--version'], { stdio: 'ignore' });
  } catch {
    process.stderr.write('bench/instructions.ts needs valgrind and callgrind_control (Debian: apt-get install valgrind)\n');
    process.exit(2);
  }
}

async function startUnderCallgrind(label: string, script: string, argv: string[], env: NodeJS.ProcessEnv, ready: string, dir: string): Promise<number> {
  const out = join(dir, `${label}.%p`);
  const child = await startServer('valgrind', [...CALLGRIND, `--callgrind-out-file=${out}`, process.execPath, script, ...argv], env, responds(ready), START_TIMEOUT_MS);
  return child.pid!;
}

async function startProxies(simUrl: string, dir: string): Promise<Target[]> {
  const barePort = await freePort();
  const bareUrl = `http://127.0.0.1:${barePort}`;
  const bare = await startUnderCallgrind('bare', join(ROOT, 'bench/bare-proxy.ts'), ['--upstream', simUrl, '--port', String(barePort)], {}, bareUrl, dir);
  const config = join(dir, 'config.yaml');
  writeFileSync(config, oneDeploymentConfig(simUrl, MASTER_KEY));
  const igwPort = await freePort();
  const igwUrl = `http://127.0.0.1:${igwPort}`;
  const igwArgs = ['--config', config, '--port', String(igwPort), '--host', '127.0.0.1', '--log-level', 'warn'];
  const igw = await startUnderCallgrind('igw', join(ROOT, 'bin/igw.js'), igwArgs, { IGW_DATA_DIR: join(dir, 'igw-data') }, `${igwUrl}/health/liveliness`, dir);
  const igwKey = args.key === 'virtual' ? await virtualKey(igwUrl, MASTER_KEY, 'instructions') : MASTER_KEY;
  return [
    { label: 'bare', pid: bare, url: bareUrl, key: SIM_KEY },
    { label: 'igw', pid: igw, url: igwUrl, key: igwKey },
  ];
}

async function load(p: Target, amount: number): Promise<void> {
  const r = await autocannon({
    url: `${p.url}/v1/chat/completions`,
    method: 'POST',
    body: chatBody(false),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${p.key}` },
    connections: CONNECTIONS,
    amount,
  });
  if (r['2xx'] !== amount) throw new Error(`${p.label}: ${r['2xx']} of ${amount} answers were 2xx (${r.non2xx} non-2xx, ${r.errors} errors)`);
}

/** Dumps the counts since the last dump; resolves with this window's files (`<label>.<pid>.<dump>-<thread>`). */
async function dump(p: Target, dir: string, n: number): Promise<string[]> {
  execFileSync('callgrind_control', ['--dump', String(p.pid)], { stdio: 'ignore' });
  const prefix = `${p.label}.${p.pid}.${n}-`;
  for (let tries = 0; tries < 600; tries++, await sleep(100)) {
    const files = readdirSync(dir).filter((f) => f.startsWith(prefix));
    if (files.length > 0 && files.every((f) => /^totals: \d+$/m.test(readFileSync(join(dir, f), 'utf8')))) return files.map((f) => join(dir, f));
  }
  throw new Error(`callgrind wrote no complete dump ${n} for ${p.label}`);
}

/** Thread 1 is the event loop; the thread that inserted into SQLite is the spend-log worker; the rest are V8's helpers. */
function perRequest(files: string[]): Window {
  const w: Window = { loop: 0, spendWorker: 0, others: 0 };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const count = Number(/^totals: (\d+)$/m.exec(text)![1]) / REQUESTS;
    if (file.endsWith('-01')) w.loop += count;
    else if (text.includes('sqlite3BtreeInsert')) w.spendWorker += count;
    else w.others += count;
  }
  return w;
}

const k = (n: number): string => (n / 1000).toFixed(1);
const pct = (a: number, b: number): string => `${((a / b) * 100).toFixed(1)}%`;
const total = (w: Window): number => w.loop + w.spendWorker + w.others;
/** Each column's median over the windows (a window a major GC landed in stands out). */
const medianWindow = (ws: Window[]): Window => ({
  loop: median(ws.map((w) => w.loop)),
  spendWorker: median(ws.map((w) => w.spendWorker)),
  others: median(ws.map((w) => w.others)),
});

async function main(): Promise<void> {
  requireValgrind();
  const dir = mkdtempSync(join(tmpdir(), 'igw-instructions-'));
  try {
    const simPort = await freePort();
    const simUrl = `http://127.0.0.1:${simPort}`;
    await startServer(process.execPath, [join(ROOT, 'test/simulator/cli.ts'), '--port', String(simPort), '--api-key', SIM_KEY], {}, responds(simUrl));
    process.stderr.write('starting the bare proxy and igw under callgrind (a minute or two)...\n');
    const proxies = await startProxies(simUrl, dir);
    const windows = new Map<string, Window[]>();
    for (const p of proxies) {
      process.stderr.write(`${p.label}: ${WARMUP} requests to warm up, uninstrumented...\n`);
      await load(p, WARMUP);
      execFileSync('callgrind_control', ['--instr=on', String(p.pid)], { stdio: 'ignore' });
      // A dump right away starts every window from zero: switching instrumentation on counts nothing yet.
      await dump(p, dir, 1);
      const ws: Window[] = [];
      for (let i = 0; i < WINDOWS; i++) {
        await load(p, REQUESTS);
        ws.push(perRequest(await dump(p, dir, i + 2)));
        process.stderr.write(`${p.label}: window ${i + 1}: ${k(total(ws[i]))}k instructions / request\n`);
      }
      windows.set(p.label, ws);
      execFileSync('callgrind_control', ['--instr=off', String(p.pid)], { stdio: 'ignore' });
    }
    const bare = medianWindow(windows.get('bare')!);
    const igw = medianWindow(windows.get('igw')!);
    const row = (label: string, window: string, w: Window): string =>
      `| ${label} | ${window} | ${k(w.loop)} | ${w.spendWorker ? k(w.spendWorker) : '-'} | ${k(w.others)} | ${k(total(w))} |`;
    const rows = proxies.flatMap((p) => {
      const ws = windows.get(p.label)!;
      return [...ws.map((w, i) => row(p.label, String(i + 1), w)), row(p.label, 'median', medianWindow(ws))];
    });
    const lines = [
      `${args.key} key; ${REQUESTS} non-streaming chat requests per window at ${CONNECTIONS} connections, after ${WARMUP} uninstrumented`,
      '',
      '| proxy | window | event loop (k instructions / request) | spend-log worker | V8 helper threads | all threads |',
      '|---|--:|--:|--:|--:|--:|',
      ...rows,
      '',
      `the bare proxy's count as a share of igw's (medians): event loop ${pct(bare.loop, igw.loop)}, all threads ${pct(total(bare), total(igw))}`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    children.clear();
    if (args.keep) process.stderr.write(`callgrind's dumps are in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
