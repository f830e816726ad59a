// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function (functionName + url:line),
// time per area (igw src/, undici, pino, Node core, GC, ...) and the src/ functions with the most
// inclusive time. Frames in the compiled dist/ are mapped back to src/*.ts through the .js.map files.
// Used by `bench/run.ts --cpu-prof`; also runs standalone:
//
//   node bench/profile-summary.ts FILE.cpuprofile [--top 15]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface FunctionTime {
  key: string;
  functionName: string;
  location: string;
  area: string;
  /** Milliseconds. */
  ms: number;
}

export interface ProfileSummary {
  /** Profiled wall time (of the windows, when given), ms. */
  totalMs: number;
  /** Time in samples that were not `(idle)`, ms. */
  busyMs: number;
  samples: number;
  /** Mean sampling interval, µs. */
  intervalUs: number;
  selfTop: FunctionTime[];
  areas: { area: string; ms: number }[];
  srcInclusive: FunctionTime[];
  /**
   * Self time charged to the innermost igw src/ function on the stack: its own time plus the Node, undici
   * and V8 work it called synchronously (`calleesMs`). Samples without an igw frame are one entry.
   */
  srcAttributed: (FunctionTime & { calleesMs: number })[];
}

const ROOT_URL = pathToFileURL(resolve(fileURLToPath(new URL('..', import.meta.url)))).href + '/';

const DIST_URL = `${ROOT_URL}dist/`;
const sourceMaps = new Map<string, SourceMap | null>();

/** A dist/*.js frame's place in src/*.ts, via its source map; the frame itself otherwise. */
function original(cf: CallFrame): { url: string; line: number } {
  if (!cf.url.startsWith(DIST_URL)) return { url: cf.url, line: cf.lineNumber };
  let map = sourceMaps.get(cf.url);
  if (map === undefined) {
    const file = fileURLToPath(`${cf.url}.map`);
    map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload) : null;
    sourceMaps.set(cf.url, map);
  }
  const entry = map?.findEntry(cf.lineNumber, cf.columnNumber);
  if (!entry || !('originalSource' in entry) || !entry.originalSource) return { url: cf.url, line: cf.lineNumber };
  return { url: new URL(entry.originalSource, cf.url).href, line: entry.originalLine };
}

function location(cf: CallFrame): string {
  const o = original(cf);
  let url = o.url;
  if (url.startsWith(ROOT_URL)) url = url.slice(ROOT_URL.length);
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) url = url.slice(nm);
  return url ? `${url}:${o.line + 1}` : '';
}

const WASM = 'WebAssembly';

function areaOf(cf: CallFrame): string {
  const { url, functionName } = cf;
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(program)') return '(program): V8/native not attributed to JS';
    if (functionName === 'runMicrotasks' || functionName === '(root)') return 'V8 (microtasks, builtins)';
    return 'native code, V8 builtins (socket writev, JSON.parse, ...)';
  }
  if (url.startsWith('wasm://')) return WASM;
  if (url.startsWith(ROOT_URL)) {
    const rel = url.slice(ROOT_URL.length);
    if (rel.startsWith('src/') || rel.startsWith('dist/') || rel.startsWith('bin/')) return 'igw src/';
    if (rel.startsWith('bench/')) return 'bare proxy (bench/)';
  }
  if (url.includes('node_modules/undici/') || url.startsWith('node:internal/deps/undici')) return 'undici';
  if (/node_modules\/(pino|sonic-boom|thread-stream|fast-redact|@pinojs|quick-format|atomic-sleep|on-exit-leak-free|safe-stable-stringify)/.test(url)) {
    return 'pino (logging)';
  }
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (url.startsWith('node:')) return 'Node core (http, net, streams, ...)';
  return 'other';
}

function keyOf(cf: CallFrame): string {
  return `${cf.functionName || '(anonymous)'} ${location(cf)}`;
}

export interface SummaryOptions {
  top?: number;
  /**
   * Only samples in these windows, given as milliseconds before the profile's end: `[[20_000, 500]]` keeps
   * the samples from 20 s to 0.5 s before the process exited. Needs sample timestamps (any recent Node).
   */
  windowsBeforeEndMs?: [number, number][];
}

/** WebAssembly has no module names in a profile: it is named after the JS code that called into it. */
function wasmArea(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): string {
  for (let cur = parent.get(id); cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    if (!f.url || f.url.startsWith('wasm://')) continue;
    return `${areaOf(f)} (WebAssembly)`;
  }
  return `${WASM} (caller unknown)`;
}

export function summariseProfile(file: string, opts: SummaryOptions = {}): ProfileSummary {
  const top = opts.top ?? 15;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  let totalUs = profile.endTime - profile.startTime;
  // Self time per node: each sample lasts until the next one (DevTools' convention); without sample
  // timestamps, hitCount × mean interval.
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let intervalUs: number;
  let counted = 0;
  if (samples.length > 0 && deltas.length === samples.length) {
    let t = profile.startTime;
    const stamps = deltas.map((d) => (t += d));
    const windows = (opts.windowsBeforeEndMs ?? []).map(([a, b]) => [profile.endTime - a * 1000, profile.endTime - b * 1000] as const);
    if (windows.length) totalUs = windows.reduce((sum, [from, to]) => sum + Math.min(to, profile.endTime) - Math.max(from, profile.startTime), 0);
    const inWindow = (t: number): boolean => windows.length === 0 || windows.some(([from, to]) => t >= from && t < to);
    for (let i = 0; i < samples.length; i++) {
      if (!inWindow(stamps[i])) continue;
      const next = i + 1 < samples.length ? stamps[i + 1] : profile.endTime;
      const d = Math.max(0, next - stamps[i]);
      selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + d);
      counted++;
    }
    intervalUs = counted > 0 ? totalUs / counted : 0;
  } else {
    if (opts.windowsBeforeEndMs?.length) throw new Error('this profile has no sample timestamps; cannot cut a time window');
    const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
    intervalUs = hits > 0 ? totalUs / hits : 0;
    for (const n of profile.nodes) if (n.hitCount) selfUs.set(n.id, n.hitCount * intervalUs);
  }

  const self = new Map<string, FunctionTime>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, FunctionTime>();
  const attributed = new Map<string, FunctionTime & { calleesMs: number }>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)!.callFrame;
    const key = keyOf(cf);
    let area = areaOf(cf);
    if (area === WASM) area = wasmArea(id, byId, parent);
    if (area === '(idle)') idleUs += us;
    const entry = self.get(key) ?? { key, functionName: cf.functionName || '(anonymous)', location: location(cf), area, ms: 0 };
    entry.ms += us / 1000;
    self.set(key, entry);
    areas.set(area, (areas.get(area) ?? 0) + us / 1000);
    // Charged to the innermost igw frame on the stack.
    if (area !== '(idle)') {
      let owner: CallFrame | undefined;
      for (let cur: number | undefined = id; cur !== undefined && !owner; cur = parent.get(cur)) {
        const f = byId.get(cur)!.callFrame;
        if (areaOf(f) === 'igw src/') owner = f;
      }
      const k = owner ? keyOf(owner) : '(none)';
      const e = attributed.get(k) ?? {
        key: k,
        functionName: owner ? owner.functionName || '(anonymous)' : '(no igw function on the stack: event loop, socket and undici callbacks, GC)',
        location: owner ? location(owner) : '',
        area: owner ? 'igw src/' : '',
        ms: 0,
        calleesMs: 0,
      };
      e.ms += us / 1000;
      if (owner && owner !== cf) e.calleesMs += us / 1000;
      attributed.set(k, e);
    }
    // Inclusive time of igw's own functions: each distinct src/ function on the stack gets the sample once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (areaOf(f) !== 'igw src/') continue;
      const k = keyOf(f);
      if (seen.has(k)) continue;
      seen.add(k);
      const e = inclusive.get(k) ?? { key: k, functionName: f.functionName || '(anonymous)', location: location(f), area: 'igw src/', ms: 0 };
      e.ms += us / 1000;
      inclusive.set(k, e);
    }
  }
  const busyMs = (totalUs - idleUs) / 1000;
  const byMs = (a: { ms: number }, b: { ms: number }): number => b.ms - a.ms;
  return {
    totalMs: totalUs / 1000,
    busyMs,
    samples: counted || samples.length,
    intervalUs,
    selfTop: [...self.values()].filter((f) => f.area !== '(idle)').sort(byMs).slice(0, top),
    areas: [...areas].map(([area, ms]) => ({ area, ms })).filter((a) => a.area !== '(idle)').sort(byMs),
    srcInclusive: [...inclusive.values()].sort(byMs).slice(0, 10),
    srcAttributed: [...attributed.values()].sort(byMs).slice(0, top),
  };
}

const pct = (ms: number, of: number): string => (of > 0 ? `${((100 * ms) / of).toFixed(1)}%` : '-');
const fmt = (ms: number): string => ms.toFixed(0);

/** The summary as markdown: three tables. Percentages are of busy (non-idle) time. */
export function formatSummary(s: ProfileSummary, top = 15): string {
  const out: string[] = [];
  out.push(
    `Profiled ${(s.totalMs / 1000).toFixed(1)} s, ${s.samples} samples (~${s.intervalUs.toFixed(0)} µs apart); ` +
      `busy (non-idle) ${(s.busyMs / 1000).toFixed(2)} s. Percentages are of busy time.`,
    '',
    `Top ${top} functions by self time:`,
    '',
    '| # | self ms | % busy | function | location | area |',
    '|--:|--:|--:|---|---|---|',
  );
  s.selfTop.forEach((f, i) => out.push(`| ${i + 1} | ${fmt(f.ms)} | ${pct(f.ms, s.busyMs)} | \`${f.functionName}\` | ${f.location || '-'} | ${f.area} |`));
  out.push('', 'Self time by area:', '', '| area | ms | % busy |', '|---|--:|--:|');
  const small = s.areas.filter((a) => a.ms < s.busyMs * 0.005);
  for (const a of s.areas) if (!small.includes(a)) out.push(`| ${a.area} | ${fmt(a.ms)} | ${pct(a.ms, s.busyMs)} |`);
  if (small.length) {
    const ms = small.reduce((sum, a) => sum + a.ms, 0);
    out.push(`| ${small.length} more, each < 0.5% (${small.map((a) => a.area).join(', ')}) | ${fmt(ms)} | ${pct(ms, s.busyMs)} |`);
  }
  out.push('', 'igw src/ functions by inclusive time (self + callees, synchronous part of each tick):', '', '| ms | % busy | function | location |', '|--:|--:|---|---|');
  for (const f of s.srcInclusive) out.push(`| ${fmt(f.ms)} | ${pct(f.ms, s.busyMs)} | \`${f.functionName}\` | ${f.location} |`);
  out.push(
    '',
    'Busy time charged to the innermost igw function on the stack (its own code plus the Node, undici and V8 work it calls synchronously):',
    '',
    '| ms | % busy | of which in callees | function | location |',
    '|--:|--:|--:|---|---|',
  );
  for (const f of s.srcAttributed) {
    out.push(`| ${fmt(f.ms)} | ${pct(f.ms, s.busyMs)} | ${f.area ? fmt(f.calleesMs) : '-'} | ${f.area ? `\`${f.functionName}\`` : f.functionName} | ${f.location || '-'} |`);
  }
  return out.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });
  if (positionals.length === 0) {
    process.stderr.write('usage: node bench/profile-summary.ts FILE.cpuprofile [--top 15]\n');
    process.exit(2);
  }
  const top = Number(values.top);
  for (const file of positionals) {
    // bench/run.ts leaves the measured windows next to the profile, so a summary can be made again later.
    const windowsFile = `${file}.windows.json`;
    const windowsBeforeEndMs = existsSync(windowsFile) ? (JSON.parse(readFileSync(windowsFile, 'utf8')) as [number, number][]) : undefined;
    const note = windowsBeforeEndMs ? ` (measured windows from ${windowsFile})` : ' (whole profile: start-up and warm-up included)';
    process.stdout.write(`${file}${note}\n\n${formatSummary(summariseProfile(file, { top, windowsBeforeEndMs }), top)}\n`);
  }
}
