// The syscall fuzzer's harness: builds the guest (test/fuzz/fuzz.c) into a
// small rootfs of its own, runs it under tsvisor in a child Node process that
// uses the Sandbox API in-process (test/fuzz/inner.ts), and judges the run:
//
//   - liveness: the guest's supervisor prints "alive" twice a second after a
//     trapped getppid() was answered; no such line for `stallSeconds` is a hang
//     of the sentry (the inner process is killed);
//   - no crash: the inner process exits normally, the sentry logged no
//     internal error and no trap from a live task it does not know, the
//     guest's supervisor finished ("fuzz done") with status 0;
//   - no leaks: the inner process holds the same host fds after the run as
//     before it, and its memory grew less than `rssBoundMb`;
//   - no escape: the rootfs (the lower layer) is byte-for-byte unchanged and no
//     guest process outlives the sandbox.
//
// The rootfs is a private directory, not the host's /: whatever the fuzzer
// does, the host's own files are not the lower layer.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGuest, ROOT } from '../lib/guest.js';
import { treeHash } from '../lib/tree.js';

export const FUZZ_DIR = join(ROOT, 'test', 'fuzz');
export const INNER = join(ROOT, 'dist', 'test', 'fuzz', 'inner.js');

export type Isolation = 'balanced' | 'strict';

export interface FuzzOptions {
  seed: number;
  seconds: number;
  isolation: Isolation;
  workers?: number;
  threads?: number;
  /** No "alive" line for this long is a hang (default 20 s). */
  stallSeconds?: number;
  /** Allowed growth of the inner process's resident memory (default 300 MB). */
  rssBoundMb?: number;
  /** Extra environment for the guest (FUZZ_VERBOSE=1 prints stuck and dead workers' calls). */
  guestEnv?: Record<string, string>;
  /** Called with each line the guest's supervisor prints. */
  onLine?: (line: string) => void;
}

/** What the inner process reports (test/fuzz/inner.ts). */
export interface InnerReport {
  code: number;
  signal: number;
  error?: string;
  fdsBefore: string[];
  fdsAfter: string[];
  rssBeforeMb: number;
  rssMaxMb: number;
  rssAfterMb: number;
  heapAfterMb: number;
  log: string[];
  /** Syscall numbers the sentry let the host run (CONTINUE), with counts. */
  continued: Record<string, number>;
}

export interface FuzzResult {
  options: FuzzOptions;
  problems: string[];
  iterations: number;
  workersSpawned: number;
  workersStuck: number;
  deaths: string;
  durationMs: number;
  report: InnerReport | null;
}

/** Compiles the fuzzer (static, so the rootfs needs no libc). */
export function buildFuzzer(): string {
  return compileGuest('fuzz', FUZZ_DIR);
}

export interface Rootfs {
  dir: string;
  /** Digest of every file, link and directory in it. */
  digest: () => string;
  cleanup: () => void;
}

/** A tiny rootfs: busybox, a few links, /etc files, the fuzzer at /fuzz. */
export function makeRootfs(fuzzBin: string): Rootfs {
  const base = mkdtempSync(join(tmpdir(), 'tsv-fuzz-'));
  const dir = join(base, 'rootfs');
  for (const d of ['bin', 'etc', 'tmp', 'proc', 'dev', 'sys', 'usr/bin']) mkdirSync(join(dir, d), { recursive: true });
  const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => spawnSync('test', ['-x', p]).status === 0);
  if (busybox) {
    copyFileSync(busybox, join(dir, 'bin', 'busybox'));
    for (const l of ['sh', 'true', 'cat', 'ls', 'env']) symlinkSync('busybox', join(dir, 'bin', l));
  }
  writeFileSync(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(dir, 'etc', 'shadow'), 'root:LOWER-LAYER-SECRET:19000::::::\n', { mode: 0o600 });
  copyFileSync(fuzzBin, join(dir, 'fuzz'));
  spawnSync('chmod', ['755', join(dir, 'fuzz')]);
  return { dir, digest: () => treeHash(dir), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}


/** Host processes still running the rootfs's fuzzer binary. */
function survivors(rootfs: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readlinkSync(`/proc/${e}/exe`).startsWith(rootfs)) out.push(Number(e));
    } catch {
      // gone, or not ours to look at
    }
  }
  return out;
}

/** Runs one fuzz session and judges it. */
export async function runFuzz(o: FuzzOptions, bin = buildFuzzer()): Promise<FuzzResult> {
  const rootfs = makeRootfs(bin);
  const before = rootfs.digest();
  const stall = (o.stallSeconds ?? 20) * 1000;
  const problems: string[] = [];
  const t0 = Date.now();
  const args = {
    rootfs: rootfs.dir,
    isolation: o.isolation,
    argv: ['/fuzz', String(o.seed), String(o.seconds), String(o.workers ?? 3), String(o.threads ?? 3)],
    env: o.guestEnv ?? {},
  };
  const child = spawn(process.execPath, ['--expose-gc', INNER, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let lastAlive = Date.now();
  let lastLine = '';
  let done = '';
  let deaths = '';
  let report: InnerReport | null = null;
  let stderr = '';
  let buf = '';
  child.stdout.setEncoding('latin1');
  child.stderr.setEncoding('latin1');
  child.stderr.on('data', (d: string) => {
    stderr += d;
    if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
  });
  child.stdout.on('data', (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith('REPORT ')) {
        report = JSON.parse(line.slice(7)) as InnerReport;
        continue;
      }
      // The guest's stdout is its own: workers may write anything into it
      // through /proc/1/fd/1. Only well-formed lines count.
      const m = /(alive t=\d+ iters=\d+ .*ppid=-?\d+|fuzz done .*|fuzz deaths by signal:.*)$/.exec(line);
      if (!m) continue;
      const l = m[1]!;
      if (l.startsWith('alive')) lastAlive = Date.now();
      if (l.startsWith('fuzz done')) done = l;
      if (l.startsWith('fuzz deaths')) deaths = l.slice('fuzz deaths by signal:'.length).trim();
      lastLine = l;
      o.onLine?.(l);
    }
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const watchdog = setInterval(() => {
      const quiet = Date.now() - lastAlive;
      const overtime = Date.now() - t0 > (o.seconds + 90) * 1000;
      if ((quiet > stall && !done) || overtime) {
        problems.push(
          overtime
            ? `hang: the run did not end within ${o.seconds + 90} s (last line: ${lastLine || 'none'})`
            : `hang: no sign of life from the sentry for ${Math.round(quiet / 1000)} s (last line: ${lastLine || 'none'})`,
        );
        child.kill('SIGKILL');
      }
    }, 500);
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      resolve({ code, signal });
    });
  });
  const durationMs = Date.now() - t0;
  if (exit.signal) problems.push(`the sentry's process died of ${exit.signal}`);
  else if (exit.code !== 0) problems.push(`the sentry's process exited with ${exit.code}`);
  for (const l of stderr.split('\n')) {
    if (/internal error|unknown host task|Segmentation|Abort|FATAL|uncaught/i.test(l)) problems.push(`sentry: ${l.slice(0, 300)}`);
  }
  const r = report as InnerReport | null;
  if (r) {
    if (r.error) problems.push(`sandbox error: ${r.error}`);
    if (r.code !== 0) problems.push(`the guest's supervisor ended with status ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}`);
    const leaked = r.fdsAfter.filter((f) => !r.fdsBefore.includes(f));
    if (leaked.length) problems.push(`host fds leaked by the sentry: ${leaked.slice(0, 10).join(', ')}${leaked.length > 10 ? ` (+${leaked.length - 10})` : ''}`);
    const bound = o.rssBoundMb ?? 300;
    if (r.rssMaxMb - r.rssBeforeMb > bound) problems.push(`sentry memory grew by ${Math.round(r.rssMaxMb - r.rssBeforeMb)} MB (bound ${bound} MB)`);
  } else if (!problems.length) {
    problems.push('no report from the sentry process');
  }
  if (r && !done && !problems.some((p) => p.startsWith('hang'))) problems.push(`the guest's supervisor did not finish (last line: ${lastLine || 'none'})`);
  if (rootfs.digest() !== before) problems.push('the lower layer (rootfs) changed');
  const alive = survivors(rootfs.dir);
  if (alive.length) {
    problems.push(`guest processes outlived the sandbox: ${alive.join(' ')}`);
    for (const pid of alive) spawnSync('kill', ['-9', String(pid)]);
  }
  rootfs.cleanup();
  const num = (k: string) => Number(new RegExp(`${k}=(\\d+)`).exec(done || lastLine)?.[1] ?? 0);
  return { options: o, problems, iterations: num('iters'), workersSpawned: num('spawned'), workersStuck: num('stuck'), deaths, durationMs, report: r };
}

export function summary(r: FuzzResult): string {
  const o = r.options;
  return (
    `${o.isolation}: seed ${o.seed}, ${o.seconds} s, ${r.iterations} calls, ${r.workersSpawned} workers (${r.workersStuck} stuck), ` +
    `${(r.durationMs / 1000).toFixed(1)} s wall` +
    (r.report ? `, sentry rss ${Math.round(r.report.rssBeforeMb)} -> max ${Math.round(r.report.rssMaxMb)} MB, fds ${r.report.fdsBefore.length} -> ${r.report.fdsAfter.length}` : '') +
    (r.problems.length ? `\n  PROBLEMS:\n  - ${r.problems.join('\n  - ')}` : ', no problems')
  );
}
