// npm run bench [-- --filter W1,W3 --reps N --json FILE]
//
// Workloads × runners, interleaved (A B C A B C ...) after a warm-up, so drift on
// a noisy machine hits every runner alike. Ratios are computed round by round
// (runner / native in the same round) and their median reported. Runners that
// are not installed are reported as skipped, never faked.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = join(ROOT, 'test', 'bench');
const BIN = join(SRC, 'bin');
const CLI = join(ROOT, 'bin', 'run.cjs');

type Metric = 'seconds' | 'stdout-lower' | 'stdout-higher';

interface Workload {
  id: string;
  title: string;
  argv: string[];
  /** seconds: wall time; stdout-*: the program prints its own number (first field). */
  metric: Metric;
  unit: string;
}

interface Runner {
  id: string;
  wrap(argv: string[]): string[];
  /** Why it cannot run here, or null. */
  unavailable(): string | null;
}

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function compile(name: string, extra: string[] = []): string {
  mkdirSync(BIN, { recursive: true });
  const src = join(SRC, `${name}.c`);
  const out = join(BIN, name);
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    const r = spawnSync('gcc', ['-O2', '-o', out, src, ...extra], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gcc ${name}.c: ${r.stderr}`);
  }
  return out;
}

const isRoot = process.getuid?.() === 0;

const RUNNERS: Runner[] = [
  { id: 'native', wrap: (a) => a, unavailable: () => null },
  { id: 'tsvisor', wrap: (a) => [process.execPath, CLI, 'run', '--', ...a], unavailable: () => (existsSync(CLI) ? null : 'not built') },
  { id: 'tsvisor-strict', wrap: (a) => [process.execPath, CLI, 'run', '--isolation', 'strict', '--', ...a], unavailable: () => (existsSync(CLI) ? null : 'not built') },
  {
    id: 'gvisor',
    wrap: (a) => ['runsc', ...(isRoot ? [] : ['--rootless']), '--platform=ptrace', '--network=none', 'do', ...a],
    unavailable: () => (which('runsc') ? null : 'runsc not installed (apt-get install runsc)'),
  },
  { id: 'proot', wrap: (a) => ['proot', '-r', '/', ...a], unavailable: () => (which('proot') ? null : 'proot not installed') },
  {
    id: 'bwrap',
    wrap: (a) => ['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', ...a],
    unavailable: () => (which('bwrap') ? null : 'bwrap not installed'),
  },
];

function workloads(): Workload[] {
  const getppid = compile('getppid');
  const tcp = compile('tcp');
  return [
    { id: 'W1', title: 'dd bs=1 count=200000 (syscall-bound I/O)', argv: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=200000', 'status=none'], metric: 'seconds', unit: 's' },
    { id: 'W2', title: 'find /usr/share | wc -l (metadata)', argv: ['sh', '-c', 'find /usr/share | wc -l'], metric: 'seconds', unit: 's' },
    { id: 'W3', title: '200 × fork+exec /bin/true from sh', argv: ['sh', '-c', 'i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i+1)); done'], metric: 'seconds', unit: 's' },
    { id: 'W4', title: 'head -c 200000000 /dev/zero | wc -c (pipe)', argv: ['sh', '-c', 'head -c 200000000 /dev/zero | wc -c'], metric: 'seconds', unit: 's' },
    { id: 'W5', title: 'gcc -O2 -c of a 2400-line C file', argv: ['gcc', '-O2', '-c', join(SRC, 'w5.c'), '-o', '/tmp/w5.o'], metric: 'seconds', unit: 's' },
    { id: 'W6', title: 'start-up: run true', argv: ['true'], metric: 'seconds', unit: 's' },
    { id: 'W7', title: 'loopback TCP, 64 MiB (MB/s, higher is better)', argv: [tcp], metric: 'stdout-higher', unit: 'MB/s' },
    { id: 'W8', title: 'python3: a dozen stdlib imports, small file I/O', argv: ['python3', join(SRC, 'w8.py')], metric: 'seconds', unit: 's' },
    { id: 'W9', title: 'trapped getppid in a loop (µs per call; native = C supervisor floor)', argv: [getppid, '20000'], metric: 'stdout-lower', unit: 'µs' },
  ];
}

interface Sample {
  ok: boolean;
  value: number;
  error?: string;
}

function runOnce(w: Workload, r: Runner): Sample {
  let argv = r.wrap(w.argv);
  if (w.id === 'W9' && r.id === 'native') argv = [compile('cfloor'), '20000'];
  const t0 = process.hrtime.bigint();
  const p = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', cwd: '/', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (p.error || p.status !== 0) {
    const why = p.error?.message ?? `exit ${p.status ?? p.signal}: ${(p.stderr ?? '').trim().split('\n').slice(-1)[0] ?? ''}`;
    return { ok: false, value: NaN, error: why };
  }
  if (w.metric === 'seconds') return { ok: true, value: secs };
  const v = Number((p.stdout ?? '').trim().split(/\s+/)[0]);
  return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, value: NaN, error: `no number in output: ${p.stdout}` };
}

function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function parseArgs(argv: string[]): { filter: Set<string> | null; reps: number; json: string | null } {
  let filter: Set<string> | null = null;
  let reps = 5;
  let json: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--filter') filter = new Set(next().split(',').map((s) => s.trim().toUpperCase()));
    else if (a === '--reps') {
      reps = Number(next());
      if (!Number.isInteger(reps) || reps < 1) fail('--reps: expected a positive integer');
    } else if (a === '--json') json = next();
    else fail(`unknown argument ${a} (use --filter W1,W3 --reps N --json FILE)`);
  }
  return { filter, reps, json };
}

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const ws = workloads().filter((w) => !opts.filter || opts.filter.has(w.id));
  if (!ws.length) fail('no workload matches --filter');
  const runners = RUNNERS.filter((r) => {
    const why = r.unavailable();
    if (why) process.stdout.write(`skipped runner ${r.id}: ${why}\n`);
    return !why;
  });
  const results: Record<string, Record<string, { samples: Sample[]; ratios: number[]; vsGvisor: number[] }>> = {};
  for (const w of ws) {
    results[w.id] = {};
    for (const r of runners) results[w.id]![r.id] = { samples: [], ratios: [], vsGvisor: [] };
    process.stdout.write(`${w.id} ${w.title}: warm-up`);
    for (const r of runners) runOnce(w, r);
    for (let rep = 0; rep < opts.reps; rep++) {
      process.stdout.write(` ${rep + 1}`);
      const round: Record<string, Sample> = {};
      for (const r of runners) round[r.id] = runOnce(w, r);
      for (const r of runners) {
        const s = round[r.id]!;
        const cell = results[w.id]![r.id]!;
        cell.samples.push(s);
        const base = round.native!;
        const gv = round.gvisor;
        // Higher-is-better metrics invert, so a ratio above 1 always means slower than the reference.
        const ratio = (a: Sample, b: Sample | undefined) =>
          a.ok && b?.ok ? (w.metric === 'stdout-higher' ? b.value / a.value : a.value / b.value) : NaN;
        cell.ratios.push(ratio(s, base));
        cell.vsGvisor.push(ratio(s, gv));
      }
    }
    process.stdout.write('\n');
  }
  const head = `${'workload'.padEnd(6)}${'runner'.padEnd(16)}${'median'.padStart(10)}${'min'.padStart(10)}${'max'.padStart(10)}  ${'÷native'.padStart(8)}${'÷gVisor'.padStart(9)}  unit`;
  const lines = [head, '-'.repeat(head.length + 4)];
  for (const w of ws) {
    for (const r of runners) {
      const c = results[w.id]![r.id]!;
      const vals = c.samples.filter((s) => s.ok).map((s) => s.value);
      const failed = c.samples.find((s) => !s.ok);
      const min = vals.length ? Math.min(...vals) : NaN;
      const max = vals.length ? Math.max(...vals) : NaN;
      lines.push(
        `${w.id.padEnd(6)}${r.id.padEnd(16)}${fmt(median(vals)).padStart(10)}${fmt(min).padStart(10)}${fmt(max).padStart(10)}  ${fmt(median(c.ratios), 2).padStart(8)}${fmt(median(c.vsGvisor), 2).padStart(9)}  ${w.unit}${failed ? `  FAILED ${c.samples.filter((s) => !s.ok).length}/${c.samples.length}: ${failed.error}` : ''}`,
      );
    }
  }
  process.stdout.write('\n' + lines.join('\n') + '\n');
  process.stdout.write(`\nratios are medians of per-round ratios; ${opts.reps} rounds after a warm-up; W7 and W9 print their own metric (W9 native = C supervisor floor)\n`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ date: new Date().toISOString(), reps: opts.reps, workloads: ws, results }, null, 2));
}

main();
