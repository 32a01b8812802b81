// Test helpers: compile C guest programs, run them natively and under
// tsvisor (through the real CLI), and compare.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const GUEST_SRC = join(ROOT, 'test', 'guest');
export const GUEST_BIN = join(GUEST_SRC, 'bin');
export const CLI = join(ROOT, 'bin', 'run.cjs');

export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

function toOutput(r: SpawnSyncReturns<string>): RunOutput {
  if (r.error) throw r.error;
  const code = r.status ?? 128 + (r.signal ? signalNumber(r.signal) : 0);
  return { code, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function signalNumber(sig: NodeJS.Signals): number {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };
  return table[sig] ?? 0;
}

/**
 * Compiles test/guest/NAME.c (or SRCDIR/NAME.c, into SRCDIR/bin; cached by
 * mtime) and returns the binary path.
 * A first line `// cflags: ...` adds compiler flags (e.g. -pthread, -static).
 * Headers in test/guest/ are part of every program's sources.
 */
export function compileGuest(name: string, srcDir = GUEST_SRC): string {
  const src = join(srcDir, `${name}.c`);
  const binDir = join(srcDir, 'bin');
  const bin = join(binDir, name);
  mkdirSync(binDir, { recursive: true });
  // Shared headers (*.h next to it) count as sources of every program.
  const newest = Math.max(
    statSync(src).mtimeMs,
    ...readdirSync(srcDir)
      .filter((f) => f.endsWith('.h'))
      .map((f) => statSync(join(srcDir, f)).mtimeMs),
  );
  if (existsSync(bin) && statSync(bin).mtimeMs >= newest) return bin;
  const first = readFileSync(src, 'utf8').split('\n')[0] ?? '';
  const m = /^\/\/ cflags: (.*)$/.exec(first);
  const extra = m ? m[1]!.trim().split(/\s+/) : [];
  const r = spawnSync('gcc', ['-O1', '-Wall', '-o', bin, src, ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc ${name}.c failed:\n${r.stderr}`);
  return bin;
}

/**
 * Compiles a C program given as text (for tests that only run under tsvisor,
 * where the host cannot be the oracle) into test/guest/bin/NAME.
 */
export function compileSource(name: string, code: string, flags: string[] = []): string {
  mkdirSync(GUEST_BIN, { recursive: true });
  const src = join(GUEST_BIN, `${name}.c`);
  const bin = join(GUEST_BIN, name);
  if (!existsSync(src) || readFileSync(src, 'utf8') !== code || !existsSync(bin)) {
    writeFileSync(src, code);
    const r = spawnSync('gcc', ['-O1', '-Wall', '-o', bin, src, ...flags], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gcc ${name} failed:\n${r.stderr}`);
  }
  return bin;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  cwd?: string;
}

/**
 * Native runs get a private /tmp when we are root (a mount namespace with a
 * fresh tmpfs, as the sandbox has): a buggy test cannot damage the host's
 * /tmp, and /tmp is its own mount on both sides.
 */
const privateTmp = process.getuid?.() === 0 && spawnSync('unshare', ['--mount', 'true']).status === 0;

export function runNative(argv: string[], o: RunOptions = {}): RunOutput {
  const cmd = privateTmp
    ? ['unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', 'mount -t tmpfs -o mode=1777 tmpfs /tmp && exec "$@"', 'sh', ...argv]
    : argv;
  return toOutput(
    spawnSync(cmd[0]!, cmd.slice(1), {
      encoding: 'utf8',
      input: o.input ?? '',
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', ...o.env },
      timeout: o.timeoutMs ?? 60000,
      cwd: o.cwd ?? '/',
    }),
  );
}

/** Runs `tsvisor run [flags] -- argv` and captures its output. */
export function runTsvisor(argv: string[], flags: string[] = [], o: RunOptions = {}): RunOutput {
  const envFlags = Object.entries(o.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const cwdFlags = o.cwd ? ['--cwd', o.cwd] : [];
  return toOutput(
    spawnSync(process.execPath, [CLI, 'run', ...flags, ...envFlags, ...cwdFlags, '--', ...argv], {
      encoding: 'utf8',
      input: o.input ?? '',
      timeout: o.timeoutMs ?? 60000,
    }),
  );
}

export const ISOLATIONS = ['balanced', 'strict'] as const;
