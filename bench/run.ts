// `npm run bench`: igw against the bare pass-through proxy and against the provider simulator directly, in
// one run, each server in its own process. See docs/benchmarks.md for what is measured and the results.
//
//   node bench/run.ts [--duration 10] [--warmup 10] [--slices 5] [--quick] [--only c1,c64,stream16]
//                     [--cpu-prof] [--cpu-prof-only] [--quiet-wait 20] [--strict]
//
// Process layout: the simulator, the bare proxy and igw are three child processes (`node ...`); autocannon,
// the load generator, runs in this process. Each target is warmed up, then measured in slices that run
// round-robin with the other targets of the scenario (see runScenario).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SIM_MODEL_INFO, freePort, median, virtualKey } from './common.ts';
import { formatSummary, summariseProfile, type ProfileSummary } from './profile-summary.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const SIM_KEY = 'sk-sim';
const MASTER_KEY = 'sk-bench';

// ---------------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'cpu-prof-only': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    slices: { type: 'string' },
    'quiet-wait': { type: 'string', default: '20' },
    'quiet-threshold': { type: 'string', default: '25' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  process.stdout.write(`node bench/run.ts [options]
  --duration S      measured seconds per target and scenario (default 10; 3 with --quick)
  --warmup S        warm-up seconds per target and scenario (default 10; 1 with --quick): long
                    enough for V8 to finish optimising the hot path (docs/benchmarks.md)
  --slices N        split each measured run into N slices run round-robin across the scenario's
                    targets (default 5; 1 with --quick), so that other load on the machine hits all alike
  --quick           short runs
  --only IDS        comma-separated scenario ids: c1, c64, stream16, xlate1, vkey64, spendlog64
  --cpu-prof        afterwards, profile igw (and the bare proxy, for comparison) with node --cpu-prof
                    under the concurrency-64 scenario
  --cpu-prof-only   only the profiled run
  --quiet-wait S    before each round of slices, wait up to S seconds (default 20; 0: don't) for other
                    processes on the machine to use less than --quiet-threshold % of one core (default 25)
  --strict          exit 1 when a target FAILs (or a response was not 2xx)
`);
  process.exit(0);
}

const DURATION = Number(args.duration ?? (args.quick ? 3 : 10));
// Under this load V8 takes ~3 s to move igw's hot functions to optimised code, and its compiler threads are
// still busy 15 s in; with 2 s the measured slices caught part of that (docs/benchmarks.md, fifth session).
const WARMUP = Number(args.warmup ?? (args.quick ? 1 : 10));
const SLICES = Number(args.slices ?? (args.quick ? 1 : 5));
const QUIET_WAIT = Number(args['quiet-wait']);
const QUIET_THRESHOLD = Number(args['quiet-threshold']);
const DISTURBED = 2 * QUIET_THRESHOLD;
if (!(DURATION > 0) || !(WARMUP >= 0)) throw new Error('--duration must be > 0 and --warmup >= 0');
if (!Number.isInteger(SLICES) || SLICES < 1) throw new Error('--slices must be a positive integer');
if (!(QUIET_WAIT >= 0) || !(QUIET_THRESHOLD > 0)) throw new Error('--quiet-wait must be >= 0 and --quiet-threshold > 0');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  throw new Error(`Node ${process.versions.node} cannot run igw's TypeScript; use ./node_modules/.bin/node (npm run bench does)`);
}

// ---------------------------------------------------------------------------------------------------------
// Targets and scenarios. To add a scenario or an igw variant (e.g. another routing strategy), add a target
// (and, when it needs one, a model group in igwConfig) and list it in a scenario.

type TargetId = 'direct' | 'bare' | 'igw' | 'igw5' | 'igwkey' | 'directAnth' | 'igwAnth' | 'igwNoLog';

interface Target {
  id: TargetId;
  label: string;
  /** Which child process serves it: its RSS and CPU are reported. `igwNoLog`: a second igw, spend logs off. */
  server: 'sim' | 'bare' | 'igw' | 'igwNoLog';
  /** The `model` the client sends. */
  model: string;
  key: string;
  /** The wire the client sends: OpenAI chat (default) or Anthropic Messages, straight to the simulator. */
  dialect?: 'anthropic';
}

const TARGETS: Record<TargetId, Target> = {
  direct: { id: 'direct', label: 'direct to simulator', server: 'sim', model: 'sim-model', key: SIM_KEY },
  bare: { id: 'bare', label: 'bare proxy', server: 'bare', model: 'sim-model', key: SIM_KEY },
  igw: { id: 'igw', label: 'igw', server: 'igw', model: 'bench-model', key: MASTER_KEY },
  igw5: { id: 'igw5', label: 'igw (5-deployment group)', server: 'igw', model: 'bench-model-5', key: MASTER_KEY },
  // Its key is generated once igw is up (virtualKey): budget with a reset period and an rpm limit, so every
  // request runs the pre-call checks and the post-call bookkeeping; the limits are never reached.
  igwkey: { id: 'igwkey', label: 'igw, virtual key (budget + rpm limit)', server: 'igw', model: 'bench-model', key: '' },
  // The translated path: an OpenAI client through igw to the simulator's Anthropic Messages API, against the
  // same Anthropic request sent to the simulator directly.
  directAnth: { id: 'directAnth', label: 'direct to simulator, Anthropic Messages', server: 'sim', model: 'claude-sim', key: SIM_KEY, dialect: 'anthropic' },
  igwAnth: { id: 'igwAnth', label: 'igw, OpenAI client → Anthropic upstream (translated)', server: 'igw', model: 'bench-claude', key: MASTER_KEY },
  // The same gateway and config with `disable_spend_logs: true`, in a process of its own: what the spend log
  // (a row per request, written by the embedded store) costs, measured in the same run.
  igwNoLog: { id: 'igwNoLog', label: 'igw, spend logs off (disable_spend_logs)', server: 'igwNoLog', model: 'bench-model', key: MASTER_KEY },
};

interface Scenario {
  id: string;
  title: string;
  connections: number;
  stream: boolean;
  targets: TargetId[];
}

const SCENARIOS: Scenario[] = [
  { id: 'c1', title: 'chat, non-streaming, concurrency 1', connections: 1, stream: false, targets: ['direct', 'bare', 'igw'] },
  { id: 'c64', title: 'chat, non-streaming, concurrency 64', connections: 64, stream: false, targets: ['direct', 'bare', 'igw', 'igw5'] },
  { id: 'stream16', title: 'chat, streaming, concurrency 16', connections: 16, stream: true, targets: ['direct', 'bare', 'igw'] },
  { id: 'xlate1', title: 'chat, non-streaming, concurrency 1, pass-through vs translated', connections: 1, stream: false, targets: ['direct', 'igw', 'directAnth', 'igwAnth'] },
  { id: 'vkey64', title: 'chat, non-streaming, concurrency 64, master key vs virtual key', connections: 64, stream: false, targets: ['igw', 'igwkey'] },
  { id: 'spendlog64', title: 'chat, non-streaming, concurrency 64, spend logs on vs off', connections: 64, stream: false, targets: ['bare', 'igw', 'igwNoLog'] },
];

/**
 * igw's config: one single-deployment group and one five-deployment group, all on the simulator. The model is
 * priced (gpt-4o's list prices), so that every answer is costed and a virtual key's budget is charged.
 */
function igwConfig(simUrl: string): string {
  const entry = (name: string): string =>
    `  - model_name: ${name}\n    litellm_params:\n      model: openai/sim-model\n      api_base: ${simUrl}/v1\n      api_key: ${SIM_KEY}\n${SIM_MODEL_INFO}`;
  const claude = `  - model_name: bench-claude\n    litellm_params:\n      model: anthropic/claude-sim\n      api_base: ${simUrl}\n      api_key: ${SIM_KEY}\n`;
  return `model_list:\n${entry('bench-model')}${[1, 2, 3, 4, 5].map(() => entry('bench-model-5')).join('')}${claude}general_settings:\n  master_key: ${MASTER_KEY}\n`;
}

/** A realistic small chat request: system + user message, ~300 bytes. */
function requestBody(model: string, stream: boolean, dialect?: 'anthropic'): string {
  if (dialect === 'anthropic') {
    return JSON.stringify({
      model,
      system: 'You are a helpful assistant for an online bookshop. Answer briefly and politely.',
      messages: [{ role: 'user', content: 'Do you have the second edition of "Designing Data-Intensive Applications" in stock, and how fast can you ship it?' }],
      temperature: 0.7,
      max_tokens: 256,
      ...(stream ? { stream: true } : {}),
    });
  }
  const body: Record<string, unknown> = {
    model,
    messages: [
      { role: 'system', content: 'You are a helpful assistant for an online bookshop. Answer briefly and politely.' },
      { role: 'user', content: 'Do you have the second edition of "Designing Data-Intensive Applications" in stock, and how fast can you ship it?' },
    ],
    temperature: 0.7,
    max_tokens: 256,
  };
  // igw always asks its upstream for the usage chunk; asking for it here too keeps the upstream work the
  // same for every target.
  if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return JSON.stringify(body);
}

function headersFor(t: Target): Record<string, string> {
  if (t.dialect === 'anthropic') return { 'content-type': 'application/json', 'x-api-key': t.key, 'anthropic-version': '2023-06-01' };
  return { 'content-type': 'application/json', authorization: `Bearer ${t.key}` };
}

function pathFor(t: Target): string {
  return t.dialect === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
}

// ---------------------------------------------------------------------------------------------------------
// Child processes

interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  url: string;
  /** The last few KB of its output, shown if it dies. */
  tail: () => string;
}

const children = new Set<ChildProcess>();
let shuttingDown = false;

function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    shuttingDown = true;
    killAll();
    process.exit(130);
  });
}

/** Starts `node [nodeFlags] script args`; resolves once `ready` yields the base URL. */
async function startChild(
  name: string,
  nodeFlags: string[],
  script: string,
  argv: string[],
  ready: (line: string) => string | undefined,
  poll?: () => Promise<string | undefined>,
): Promise<Child> {
  const proc = spawn(process.execPath, [...nodeFlags, script, ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8192);
  };
  let found: string | undefined;
  let buffered = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    keep(chunk);
    buffered += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      found ??= ready(line);
    }
  });
  proc.stderr!.on('data', keep);
  proc.on('exit', (code, signal) => {
    children.delete(proc);
    if (!shuttingDown && !stopping.has(proc)) {
      process.stderr.write(`\n!!! ${name} (pid ${proc.pid}) exited unexpectedly (code ${code}, signal ${signal}). Its output:\n${output}\n`);
      process.exit(1);
    }
  });
  const deadline = Date.now() + 20_000;
  while (found === undefined) {
    if (poll) found = await poll();
    if (found !== undefined) break;
    if (Date.now() > deadline) throw new Error(`${name} did not start within 20 s. Output:\n${output}`);
    await sleep(50);
  }
  return { name, proc, pid: proc.pid!, url: found, tail: () => output };
}

const stopping = new Set<ChildProcess>();

/** SIGTERM (SIGKILL after 15 s); resolves with performance.now() at its exit. */
async function stopChild(c: Child): Promise<number> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return performance.now();
  stopping.add(c.proc);
  const exited = new Promise<number>((done) => c.proc.once('exit', () => done(performance.now())));
  c.proc.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(15_000).then(() => true)]);
  if (timedOut) c.proc.kill('SIGKILL');
  return exited;
}

async function startSimulatorChild(): Promise<Child> {
  return startChild('simulator', [], 'test/simulator/cli.ts', ['--port', '0', '--api-key', SIM_KEY], (line) =>
    /simulator listening on (\S+)/.exec(line)?.[1],
  );
}

async function startBareProxy(simUrl: string, nodeFlags: string[] = []): Promise<Child> {
  return startChild(nodeFlags.length ? 'bare proxy (profiled)' : 'bare proxy', nodeFlags, 'bench/bare-proxy.ts', ['--upstream', simUrl, '--port', '0'], (line) =>
    /bare proxy listening on (\S+)/.exec(line)?.[1],
  );
}

/** The second igw of the spendlog64 scenario: the same config plus `disable_spend_logs: true`, its own store. */
async function startIgwWithoutSpendLogs(tmp: string, simUrl: string): Promise<Child> {
  const dir = join(tmp, 'no-spend-logs');
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, igwConfig(simUrl).replace(`  master_key: ${MASTER_KEY}\n`, `  master_key: ${MASTER_KEY}\n  disable_spend_logs: true\n`));
  const dataDir = process.env.IGW_DATA_DIR;
  process.env.IGW_DATA_DIR = join(dir, 'igw-data');
  try {
    return await startIgw(configFile);
  } finally {
    process.env.IGW_DATA_DIR = dataDir;
  }
}

async function startIgw(configFile: string, nodeFlags: string[] = []): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return startChild(
    nodeFlags.length ? 'igw (profiled)' : 'igw',
    nodeFlags,
    'bin/igw.js',
    ['--config', configFile, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'warn'],
    () => undefined,
    async () => {
      try {
        const res = await fetch(`${url}/health/liveliness`);
        await res.arrayBuffer();
        return res.ok ? url : undefined;
      } catch {
        return undefined;
      }
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// /proc readings

/** kB → MB from a `/proc/<pid>/status` field such as VmRSS or VmHWM. */
function procStatusMB(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) the process has used. */
function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14 and 15)
}

/** CPU seconds the whole machine has spent busy (all cores; interrupts and steal count as busy). */
function systemBusySeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return (user + nice + system + irq + softirq + (steal ?? 0)) / CLK_TCK;
}

/** CPU seconds used by this process and the benchmark's live children. */
function benchCpuSeconds(): number {
  let sum = selfCpuSeconds();
  for (const c of children) {
    try {
      if (c.pid) sum += procCpuSeconds(c.pid);
    } catch {
      // exited meanwhile
    }
  }
  return sum;
}

/** Waits (up to --quiet-wait s) until processes outside the benchmark use < --quiet-threshold % of a core. */
/** Resolves true when it paused (for at least the one-second check). */
async function waitForQuiet(): Promise<boolean> {
  if (QUIET_WAIT === 0) return false;
  const start = performance.now();
  let said = false;
  for (;;) {
    const sys0 = systemBusySeconds();
    const own0 = benchCpuSeconds();
    const t0 = performance.now();
    await sleep(1000);
    const wall = (performance.now() - t0) / 1000;
    const other = (100 * (systemBusySeconds() - sys0 - (benchCpuSeconds() - own0))) / wall;
    if (other < QUIET_THRESHOLD) {
      if (said) process.stderr.write(`quiet after ${((performance.now() - start) / 1000).toFixed(0)} s) `);
      return true;
    }
    if ((performance.now() - start) / 1000 > QUIET_WAIT) {
      process.stderr.write(`still ${other.toFixed(0)}% after ${QUIET_WAIT} s; measuring anyway) `);
      return true;
    }
    if (!said) process.stderr.write(`(waiting for other processes to go quiet: ${other.toFixed(0)}% of a core ... `);
    said = true;
  }
}

function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

// ---------------------------------------------------------------------------------------------------------
// Measuring. A target's measured run is split into --slices slices; the slices of a scenario's targets run
// round-robin (the order rotating every round), so load from other processes on the machine hits every
// target alike and the ratios stay fair even when the absolute numbers move.

interface Measurement {
  scenario: Scenario;
  target: Target;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Measured seconds (sum of the slices). */
  seconds: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** req/s of each slice. */
  sliceRps: number[];
  /** CPU use during the measured slices, % of one core; `other` is everything outside the benchmark. */
  cpu: { loadgen: number; sim: number; server?: number; other: number };
  /** CPU time per 2xx response, µs: of the proxy (bare or igw) and of the simulator. */
  cpuPerRequest: { sim: number; server?: number };
  /** performance.now() at the start and end of each slice. */
  windows: [number, number][];
}

/** Everything a target's slices add up to. */
class Accumulator {
  latencies = new Float64Array(1 << 16);
  n = 0;
  ok = 0;
  seconds = 0;
  non2xx = 0;
  errors = 0;
  timeouts = 0;
  statusCodes: Record<string, number> = {};
  sliceRps: number[] = [];
  cpuSeconds = { loadgen: 0, sim: 0, server: 0, other: 0 };
  wall = 0;
  /** performance.now() at the start and end of each slice. */
  windows: [number, number][] = [];

  record(ms: number): void {
    if (this.n === this.latencies.length) {
      const bigger = new Float64Array(this.latencies.length * 2);
      bigger.set(this.latencies);
      this.latencies = bigger;
    }
    this.latencies[this.n++] = ms;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length); // nearest rank
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function load(url: string, t: Target, s: Scenario, seconds: number, onLatency?: (ms: number) => void): ReturnType<typeof autocannon> {
  const instance = autocannon({
    url: `${url}${pathFor(t)}`,
    method: 'POST',
    headers: headersFor(t),
    body: requestBody(t.model, s.stream, t.dialect),
    connections: s.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
  });
  if (onLatency) {
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) onLatency(ms);
    });
  }
  return instance;
}

async function warmUp(url: string, t: Target, s: Scenario): Promise<void> {
  if (WARMUP <= 0) return;
  const w = await load(url, t, s, WARMUP);
  if (w.non2xx || w.errors) warn(`warm-up of ${t.label} / ${s.title}: ${w.non2xx} non-2xx, ${w.errors} errors`);
  await sleep(100);
}

interface Pids {
  sim: number;
  server?: number;
}

/** One measured slice into `acc`; autocannon's own percentiles are whole milliseconds, its per-response times are not. */
async function slice(url: string, t: Target, s: Scenario, seconds: number, pids: Pids, acc: Accumulator): Promise<number> {
  const cpu0 = {
    loadgen: selfCpuSeconds(),
    sim: procCpuSeconds(pids.sim),
    server: pids.server ? procCpuSeconds(pids.server) : 0,
    system: systemBusySeconds(),
    bench: benchCpuSeconds(),
  };
  const t0 = performance.now();
  const r = await load(url, t, s, seconds, (ms) => acc.record(ms));
  const t1 = performance.now();
  acc.cpuSeconds.loadgen += selfCpuSeconds() - cpu0.loadgen;
  acc.cpuSeconds.sim += procCpuSeconds(pids.sim) - cpu0.sim;
  if (pids.server) acc.cpuSeconds.server += procCpuSeconds(pids.server) - cpu0.server;
  acc.cpuSeconds.other += systemBusySeconds() - benchCpuSeconds() - (cpu0.system - cpu0.bench);
  acc.wall += (t1 - t0) / 1000;
  acc.windows.push([t0, t1]);
  acc.ok += r['2xx'];
  acc.seconds += r.duration;
  acc.non2xx += r.non2xx;
  acc.errors += r.errors;
  acc.timeouts += r.timeouts;
  for (const [code, { count }] of Object.entries(r.statusCodeStats)) acc.statusCodes[code] = (acc.statusCodes[code] ?? 0) + count;
  const rps = r['2xx'] / r.duration;
  acc.sliceRps.push(rps);
  if (r.non2xx || r.errors || r.timeouts) {
    warn(`${t.label} / ${s.title}: ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)}), ${r.errors} errors, ${r.timeouts} timeouts`);
  }
  return rps;
}

function result(s: Scenario, t: Target, acc: Accumulator): Measurement {
  const sorted = acc.latencies.subarray(0, acc.n).sort();
  const pct = (x: number): number => (100 * x) / acc.wall;
  const m: Measurement = {
    scenario: s,
    target: t,
    rps: acc.ok / acc.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: acc.ok,
    seconds: acc.seconds,
    non2xx: acc.non2xx,
    errors: acc.errors,
    timeouts: acc.timeouts,
    statusCodes: acc.statusCodes,
    sliceRps: acc.sliceRps,
    cpu: {
      loadgen: pct(acc.cpuSeconds.loadgen),
      sim: pct(acc.cpuSeconds.sim),
      server: t.server === 'sim' ? undefined : pct(acc.cpuSeconds.server),
      // Interrupt time charged to the benchmark's own processes can make the difference slightly negative.
      other: Math.max(0, pct(acc.cpuSeconds.other)),
    },
    cpuPerRequest: {
      sim: (1e6 * acc.cpuSeconds.sim) / acc.ok,
      server: t.server === 'sim' ? undefined : (1e6 * acc.cpuSeconds.server) / acc.ok,
    },
    windows: acc.windows,
  };
  return m;
}

/**
 * After an idle pause (waiting for a quiet machine), the first requests are slow again on this (virtual)
 * machine, most visibly at concurrency 1: one unmeasured second of load brings it back up to speed.
 */
async function rewarm(urls: Record<Target['server'], string>, t: Target, s: Scenario): Promise<void> {
  await load(urls[t.server], t, s, 1);
}

/** A scenario: every target warmed up, then the slices round-robin. */
async function runScenario(s: Scenario, urls: Record<Target['server'], string>, pids: Record<Target['server'], number>): Promise<Measurement[]> {
  const targets = s.targets.map((id) => TARGETS[id]);
  const accs = targets.map(() => new Accumulator());
  const pidsOf = (t: Target): Pids => ({ sim: pids.sim, server: t.server === 'sim' ? undefined : pids[t.server] });
  process.stderr.write(`\n[${s.id}] ${s.title}: ${targets.length} targets, ${WARMUP} s warm-up each, then ${SLICES} x ${f1(DURATION / SLICES)} s slices each\n`);
  await waitForQuiet();
  for (const t of targets) await warmUp(urls[t.server], t, s);
  for (let k = 0; k < SLICES; k++) {
    if (k > 0 && (await waitForQuiet())) await rewarm(urls, targets[k % targets.length], s);
    const line: string[] = [];
    for (let j = 0; j < targets.length; j++) {
      const i = (j + k) % targets.length; // rotate the order every round
      const rps = await slice(urls[targets[i].server], targets[i], s, DURATION / SLICES, pidsOf(targets[i]), accs[i]);
      line.push(`${targets[i].id} ${f1(rps)}`);
    }
    process.stderr.write(`  slice ${k + 1}/${SLICES} req/s: ${line.join(', ')}\n`);
  }
  const ms = targets.map((t, i) => result(s, t, accs[i]));
  for (const m of ms) {
    process.stderr.write(`  ${m.target.label}: ${f1(m.rps)} req/s, p50 ${f3(m.p50)} ms, p99 ${f3(m.p99)} ms (other processes: ${f1(m.cpu.other)}% of a core)\n`);
  }
  return ms;
}

const warnings: string[] = [];
function warn(msg: string): void {
  warnings.push(msg);
  process.stderr.write(`\n!!!!!!!! WARNING: ${msg} !!!!!!!!\n\n`);
}

/** One request per target before measuring: a 200 with the expected shape, or stop. */
async function preflight(url: string, t: Target, stream: boolean): Promise<void> {
  const res = await fetch(`${url}${pathFor(t)}`, { method: 'POST', headers: headersFor(t), body: requestBody(t.model, stream, t.dialect) });
  const text = await res.text();
  const ok =
    res.status === 200 &&
    (t.dialect === 'anthropic'
      ? text.includes(stream ? 'event: message_stop' : '"type":"message"')
      : stream
        ? text.includes('"chat.completion.chunk"') && text.trimEnd().endsWith('data: [DONE]')
        : text.includes('"chat.completion"'));
  if (!ok) throw new Error(`preflight ${t.label} (${stream ? 'stream' : 'non-stream'}) failed: HTTP ${res.status}\n${text.slice(0, 1000)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Report

const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(3)}` : '-');
const signedInt = (x: number): string => {
  const r = Math.round(x);
  return r > 0 ? `+${r}` : String(r === 0 ? 0 : r);
};
const ratio = (a: number, b: number): string => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '-');
const isIgw = (t: Target): boolean => t.server === 'igw' || t.server === 'igwNoLog';

/** What bin/igw.js runs: the compiled dist/ when it exists (`npm run bench` builds it first), else src/. */
function igwBuild(): string {
  let rev = 'unknown commit';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    rev = `commit ${head}${dirty ? ' + uncommitted changes in src/' : ''}`;
  } catch {
    // not a git checkout
  }
  const dist = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(dist)) return `src/*.ts through Node type stripping (no dist/ build), ${rev}`;
  const newestSrc = Math.max(
    ...readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => statSync(join(ROOT, 'src', f)).mtimeMs),
  );
  if (newestSrc > statSync(dist).mtimeMs) warn('dist/ is older than src/: igw ran a stale build (npm run bench rebuilds it)');
  return `dist/*.js compiled by \`npm run build\`, ${rev}`;
}

function machineLines(): string[] {
  const cpu = cpus()[0]?.model ?? 'unknown';
  return [
    `- CPU: ${availableParallelism()} cores (nproc), ${cpu}`,
    `- RAM: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node ${process.version}, Linux ${release()}`,
  ];
}

function resultsTable(ms: Measurement[]): string {
  const out = [
    '| Scenario | Target | req/s | p50 ms | p99 ms | p50 added vs direct | p99 added vs direct | igw/bare req/s | igw/direct req/s | non-2xx / errors |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const m of ms) {
    const same = ms.filter((x) => x.scenario === m.scenario);
    const direct = same.find((x) => x.target.id === 'direct');
    const bare = same.find((x) => x.target.id === 'bare');
    const added = (k: 'p50' | 'p99'): string => (direct && m.target.id !== 'direct' ? signed(m[k] - direct[k]) : '');
    out.push(
      `| ${m.scenario.title} | ${m.target.label} | ${f1(m.rps)} | ${f3(m.p50)} | ${f3(m.p99)} | ${added('p50')} | ${added('p99')} | ` +
        `${isIgw(m.target) && bare ? ratio(m.rps, bare.rps) : ''} | ${isIgw(m.target) && direct ? ratio(m.rps, direct.rps) : ''} | ` +
        `${m.non2xx + m.timeouts} / ${m.errors}${m.non2xx + m.errors + m.timeouts ? ' **!!**' : ''} |`,
    );
  }
  return out.join('\n');
}

function cpuTable(ms: Measurement[]): string {
  const out = [
    `| Scenario | Target | load generator | simulator | proxy (bare or igw) | benchmark total | other processes | proxy CPU µs / request | simulator CPU µs / request |`,
    '|---|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const m of ms) {
    const total = m.cpu.loadgen + m.cpu.sim + (m.cpu.server ?? 0);
    out.push(`| ${m.scenario.title} | ${m.target.label} | ${f1(m.cpu.loadgen)}% | ${f1(m.cpu.sim)}% | ${m.cpu.server === undefined ? '-' : `${f1(m.cpu.server)}%`} | ${f1(total)}% | ${f1(m.cpu.other)}% | ` +
        `${m.cpuPerRequest.server === undefined ? '-' : f1(m.cpuPerRequest.server)} | ${f1(m.cpuPerRequest.sim)} |`);
  }
  return out.join('\n');
}

interface Memory {
  idleRss: number;
  /** Of idleRss: anonymous memory (heap, ...) and file-backed pages (mostly the node binary's code). */
  idleAnon: number;
  idleFile: number;
  endRss: number;
  peak: number;
  barePeak: number;
}

function verdicts(ms: Measurement[], mem: Memory | undefined): { lines: string[]; failed: boolean } {
  const find = (s: string, t: TargetId): Measurement | undefined => ms.find((m) => m.scenario.id === s && m.target.id === t);
  const lines: string[] = [];
  let failed = false;
  const verdict = (ok: boolean | undefined, text: string): void => {
    if (ok === undefined) lines.push(`SKIP  ${text} (not measured in this run)`);
    else {
      lines.push(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
      if (!ok) failed = true;
    }
  };
  const c1d = find('c1', 'direct');
  const c1i = find('c1', 'igw');
  const addedP50 = c1d && c1i ? c1i.p50 - c1d.p50 : NaN;
  verdict(c1d && c1i ? addedP50 < 1 : undefined, `concurrency 1: igw adds < 1 ms at p50 vs direct (added ${f3(addedP50)} ms)`);
  const c64b = find('c64', 'bare');
  const c64i = find('c64', 'igw');
  verdict(
    c64b && c64i ? c64i.rps >= 0.8 * c64b.rps : undefined,
    `concurrency 64: igw req/s >= 80% of the bare proxy's (${c64i && c64b ? `${f1(c64i.rps)} / ${f1(c64b.rps)} = ${ratio(c64i.rps, c64b.rps)}` : '-'})`,
  );
  if (c64b && c64i) lines.push(`INFO  concurrency 64, igw / bare proxy round by round: ${roundRatios(c64i, c64b)}`);
  const vkm = find('vkey64', 'igw');
  const vkv = find('vkey64', 'igwkey');
  verdict(
    vkm && vkv ? vkv.rps >= 0.9 * vkm.rps : undefined,
    `virtual key with budget + rpm limit: req/s >= 90% of the master key's (${vkm && vkv ? `${f1(vkv.rps)} / ${f1(vkm.rps)} = ${ratio(vkv.rps, vkm.rps)}` : '-'})`,
  );
  if (vkm && vkv) lines.push(`INFO  virtual / master key round by round: ${roundRatios(vkv, vkm)}`);
  const xd = find('xlate1', 'direct');
  const xi = find('xlate1', 'igw');
  const xad = find('xlate1', 'directAnth');
  const xai = find('xlate1', 'igwAnth');
  const passAdded = xd && xi ? xi.p50 - xd.p50 : NaN;
  const xlateAdded = xad && xai ? xai.p50 - xad.p50 : NaN;
  verdict(
    xd && xi && xad && xai ? xlateAdded < 2 * passAdded : undefined,
    `translated path (OpenAI client → Anthropic) adds < 2x the pass-through's p50 overhead (${f3(xlateAdded)} ms vs ${f3(passAdded)} ms = ${f1(xlateAdded / passAdded)}x)`,
  );
  verdict(mem ? mem.idleRss < 100 : undefined, `igw idle RSS < 100 MB (${mem ? f1(mem.idleRss) : '-'} MB)`);
  if (c64b?.cpuPerRequest.server && c64i?.cpuPerRequest.server) {
    const b = c64b.cpuPerRequest.server;
    const i = c64i.cpuPerRequest.server;
    lines.push(`INFO  concurrency 64: CPU per request igw ${f1(i)} µs vs bare proxy ${f1(b)} µs (the bare proxy's cost is ${ratio(b, i)} of igw's)`);
  }
  const slOn = find('spendlog64', 'igw');
  const slOff = find('spendlog64', 'igwNoLog');
  const slBare = find('spendlog64', 'bare');
  if (slOn && slOff && slBare) {
    lines.push(
      `INFO  spend logs on vs off, concurrency 64: ${ratio(slOn.rps, slBare.rps)} vs ${ratio(slOff.rps, slBare.rps)} of the bare proxy's req/s` +
        (slOn.cpuPerRequest.server && slOff.cpuPerRequest.server ? `; CPU per request ${f1(slOn.cpuPerRequest.server)} vs ${f1(slOff.cpuPerRequest.server)} µs` : ''),
    );
  }
  const bad = ms.filter((m) => m.non2xx || m.errors || m.timeouts);
  verdict(ms.length ? bad.length === 0 : undefined, `sanity: every response 2xx, no errors or timeouts${bad.length ? ` (${bad.length} runs had failures)` : ''}`);
  return { lines, failed };
}

/**
 * The ratio of two targets' req/s in each round of slices (the k-th slices of a scenario run one after the
 * other), and their median: how far one run's overall ratio could have landed on another minute.
 */
function roundRatios(a: Measurement, b: Measurement): string {
  const rs = a.sliceRps.map((x, k) => x / b.sliceRps[k]).filter((r) => Number.isFinite(r));
  if (rs.length === 0) return '-';
  const pct = (r: number): string => `${f1(100 * r)}%`;
  return `${rs.map(pct).join(', ')} (median ${pct(median(rs))}, range ${pct(Math.min(...rs))}–${pct(Math.max(...rs))})`;
}

// ---------------------------------------------------------------------------------------------------------
// Main

interface Profiled {
  m: Measurement;
  summary: ProfileSummary;
  /** The .cpuprofile, relative to the repository. */
  file: string;
}

/**
 * igw under the profiler in the concurrency-64 scenario, and the bare proxy the same way for comparison:
 * both in fresh processes under `node --cpu-prof`, measured in alternating slices like the table.
 */
async function profileIgw(configFile: string, sim: Child): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(RESULTS_DIR, `cpu-prof-${stamp}`);
  const scenario = SCENARIOS.find((s) => s.id === 'c64')!;
  process.stderr.write(`\n[cpu-prof] igw and the bare proxy under node --cpu-prof: ${scenario.title}, ${WARMUP} s warm-up + ${SLICES} x ${f1(DURATION / SLICES)} s each\n`);
  const targets = [TARGETS.igw, TARGETS.bare];
  const dirs = [join(dir, 'igw'), join(dir, 'bare-proxy')];
  for (const d of dirs) mkdirSync(d, { recursive: true });
  const flags = (d: string): string[] => ['--cpu-prof', `--cpu-prof-dir=${d}`];
  const procs = [await startIgw(configFile, flags(dirs[0])), await startBareProxy(sim.url, flags(dirs[1]))];
  const urls = { sim: sim.url, igw: procs[0].url, bare: procs[1].url, igwNoLog: '' };
  for (const [i, t] of targets.entries()) await preflight(procs[i].url, t, scenario.stream);
  await waitForQuiet();
  for (const [i, t] of targets.entries()) await warmUp(procs[i].url, t, scenario);
  const accs = targets.map(() => new Accumulator());
  for (let k = 0; k < SLICES; k++) {
    if (k > 0 && (await waitForQuiet())) await rewarm(urls, targets[k % 2], scenario);
    for (let j = 0; j < 2; j++) {
      const i = (j + k) % 2;
      await slice(procs[i].url, targets[i], scenario, DURATION / SLICES, { sim: sim.pid, server: procs[i].pid }, accs[i]);
    }
  }
  const [igw, bare] = await Promise.all(
    targets.map(async (t, i): Promise<Profiled> => {
      const m = result(scenario, t, accs[i]);
      const exitAt = await stopChild(procs[i]);
      const name = readdirSync(dirs[i]).find((f) => f.endsWith('.cpuprofile'));
      if (!name) throw new Error(`${procs[i].name} wrote no .cpuprofile into ${dirs[i]}`);
      const file = join(dirs[i], name);
      process.stderr.write(`[cpu-prof] ${t.label}: ${f1(m.rps)} req/s under the profiler; profile written to ${relative(ROOT, file)}\n`);
      // Only the measured slices: the profile ends when the process exits, so the windows are cut from the end.
      const windows = m.windows.map(([a, b]): [number, number] => [exitAt - a, exitAt - b]);
      writeFileSync(`${file}.windows.json`, JSON.stringify(windows));
      return { m, summary: summariseProfile(file, { top: 15, windowsBeforeEndMs: windows }), file: relative(ROOT, file) };
    }),
  );
  const perReq = (p: Profiled, ms: number): number => (1000 * ms) / p.m.requests;
  const areas = [...new Set([...igw.summary.areas, ...bare.summary.areas].map((a) => a.area))];
  const areaMs = (p: Profiled, area: string): number => p.summary.areas.find((a) => a.area === area)?.ms ?? 0;
  areas.sort((a, b) => perReq(igw, areaMs(igw, b)) - perReq(igw, areaMs(igw, a)));
  const row = (a: string, i: number, b: number): string => `| ${a} | ${f1(i)} | ${f1(b)} | ${signedInt(i - b)} |`;
  const big = areas.filter((a) => Math.max(perReq(igw, areaMs(igw, a)), perReq(bare, areaMs(bare, a))) >= 1);
  const small = areas.filter((a) => !big.includes(a));
  const sumOf = (p: Profiled): number => small.reduce((sum, a) => sum + perReq(p, areaMs(p, a)), 0);
  const compare = [
    '| area | igw µs / request | bare proxy µs / request | igw extra |',
    '|---|--:|--:|--:|',
    ...big.map((a) => row(a, perReq(igw, areaMs(igw, a)), perReq(bare, areaMs(bare, a)))),
    ...(small.length ? [row(`${small.length} more, each < 1 µs`, sumOf(igw), sumOf(bare))] : []),
    `| **all (busy time)** | **${f1(perReq(igw, igw.summary.busyMs))}** | **${f1(perReq(bare, bare.summary.busyMs))}** | ` +
      `**${signedInt(perReq(igw, igw.summary.busyMs) - perReq(bare, bare.summary.busyMs))}** |`,
  ];
  return [
    `## CPU profile: igw, ${scenario.title}`,
    '',
    `Profiles: \`${igw.file}\` and, for comparison, \`${bare.file}\` (open in Chrome DevTools > Performance, ` +
      'or summarise with `node bench/profile-summary.ts FILE`). Both ran in fresh processes under `node --cpu-prof`: ' +
      `${WARMUP} s warm-up each, then ${SLICES} alternating slices, ${DURATION} s each in all; the summaries cover the measured slices only (cut from the profiles by time).`,
    `Under the profiler igw served ${f1(igw.m.rps)} req/s (p50 ${f3(igw.m.p50)} ms) and the bare proxy ${f1(bare.m.rps)} req/s ` +
      `(p50 ${f3(bare.m.p50)} ms); other processes on the machine used ${f1(igw.m.cpu.other)}% and ${f1(bare.m.cpu.other)}% of a core meanwhile.`,
    '',
    `### igw`,
    '',
    formatSummary(igw.summary, 15),
    '',
    '### CPU time per request by area, igw vs the bare proxy (both profiled)',
    '',
    ...compare,
  ].join('\n');
}

async function main(): Promise<void> {
  const only = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : undefined;
  const scenarios = args['cpu-prof-only'] ? [] : SCENARIOS.filter((s) => !only || only.has(s.id));
  if (only) for (const id of only) if (!SCENARIOS.some((s) => s.id === id)) throw new Error(`unknown scenario '${id}'`);

  const build = igwBuild();
  const tmp = mkdtempSync(join(tmpdir(), 'igw-bench-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const sim = await startSimulatorChild();
  const bare = await startBareProxy(sim.url);
  const configFile = join(tmp, 'config.yaml');
  writeFileSync(configFile, igwConfig(sim.url));
  // The embedded store (keys, spend logs) in the run's own directory, not ./.igw-data.
  process.env.IGW_DATA_DIR = join(tmp, 'igw-data');
  const igw = await startIgw(configFile);
  if (scenarios.some((s) => s.targets.includes('igwkey'))) TARGETS.igwkey.key = await virtualKey(igw.url, MASTER_KEY, 'bench');
  const noLog = scenarios.some((s) => s.targets.includes('igwNoLog')) ? await startIgwWithoutSpendLogs(tmp, sim.url) : undefined;
  const idleRss = procStatusMB(igw.pid, 'VmRSS');
  const idleAnon = procStatusMB(igw.pid, 'RssAnon');
  const idleFile = procStatusMB(igw.pid, 'RssFile');
  const urls: Record<Target['server'], string> = { sim: sim.url, bare: bare.url, igw: igw.url, igwNoLog: noLog?.url ?? '' };
  const pids: Record<Target['server'], number> = { sim: sim.pid, bare: bare.pid, igw: igw.pid, igwNoLog: noLog?.pid ?? 0 };
  process.stderr.write(`simulator ${sim.url} (pid ${sim.pid}), bare proxy ${bare.url} (pid ${bare.pid}), igw ${igw.url} (pid ${igw.pid}); igw idle RSS ${f1(idleRss)} MB\n`);

  for (const s of scenarios) for (const id of s.targets) await preflight(urls[TARGETS[id].server], TARGETS[id], s.stream);

  const results: Measurement[] = [];
  for (const s of scenarios) results.push(...(await runScenario(s, urls, pids)));

  const mem: Memory = { idleRss, idleAnon, idleFile, endRss: procStatusMB(igw.pid, 'VmRSS'), peak: procStatusMB(igw.pid, 'VmHWM'), barePeak: procStatusMB(bare.pid, 'VmHWM') };
  await stopChild(igw);
  if (noLog) await stopChild(noLog);
  const profile = args['cpu-prof'] || args['cpu-prof-only'] ? await profileIgw(configFile, sim) : undefined;
  await stopChild(bare);
  await stopChild(sim);

  const disturbed = results.filter((m) => m.cpu.other > DISTURBED);
  if (disturbed.length) {
    const worst = Math.max(...disturbed.map((m) => m.cpu.other));
    warn(
      `other processes on the machine used more than ${DISTURBED}% of a core while ${disturbed.length} of ${results.length} rows were measured ` +
        `(up to ${f1(worst)}%; see the CPU table): absolute numbers are low, compare rows within a scenario`,
    );
  }
  const { lines, failed } = verdicts(results, mem);
  const report = [
    `# igw benchmark — ${new Date().toISOString()}`,
    '',
    `Command: \`node bench/run.ts${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}\``,
    '',
    ...machineLines(),
    `- igw runs ${build} (bin/igw.js), log level warn`,
    `- Per row: ${WARMUP} s warm-up, then ${DURATION} s measured in ${SLICES} slice(s) run round-robin with the other rows of the scenario; ` +
      'autocannon (pipelining 1) in the parent process; simulator, bare proxy and igw each in their own child process. All on the same machine.',
    '',
    results.length ? resultsTable(results) : '(no scenarios measured)',
    '',
    ...(SLICES > 1 && results.length
      ? ['req/s of each slice:', '', ...results.map((m) => `- ${m.scenario.title} / ${m.target.label}: ${m.sliceRps.map(f1).join(', ')}`), '']
      : []),
    'Latencies are per-response times from autocannon (sub-millisecond, nearest-rank percentiles); for streams, ' +
      'time to the end of the stream. req/s counts 2xx responses only.',
    '',
    `igw memory: idle RSS right after start ${f1(mem.idleRss)} MB (${f1(mem.idleAnon)} MB anonymous + ${f1(mem.idleFile)} MB file-backed), RSS at the end ${f1(mem.endRss)} MB, peak RSS (VmHWM) ${f1(mem.peak)} MB` +
      ` (bare proxy peak ${f1(mem.barePeak)} MB).`,
    '',
    ...(results.length
      ? [
          'CPU use during the measured runs (100% = one core), and CPU time per response, which other load on the machine disturbs less than req/s:',
          '',
          cpuTable(results),
          '',
        ]
      : []),
    '```',
    ...lines,
    '```',
    ...(warnings.length ? ['', '**WARNINGS:**', '', ...warnings.map((w) => `- ${w}`)] : []),
    ...(profile ? ['', profile] : []),
    '',
  ].join('\n');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const latest = join(RESULTS_DIR, 'latest.md');
  writeFileSync(latest, report);
  process.stdout.write(`\n${report}\nWritten to ${relative(ROOT, latest)}\n`);
  if (warnings.length) process.stderr.write(`\n!!!!!!!! ${warnings.length} WARNING(S) — see the report above !!!!!!!!\n`);
  if (args.strict && failed) process.exitCode = 1;
}

main().catch((err: Error) => {
  process.stderr.write(`\nbench failed: ${err.stack ?? err.message}\n`);
  shuttingDown = true;
  killAll();
  process.exit(1);
});
