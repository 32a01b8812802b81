// The body of `tsvisor run`, shared by the oclif command and the fast path.
import { existsSync, statSync } from 'node:fs';
import { isatty } from '../platform/host.js';
import { type MountSpec, MountSetupError, Sandbox, type SandboxLimits } from '../sandbox.js';
import { parseEnv, printStats, signalForwarding } from './common.js';
import { parseMountFlag, parseSize, parseTmpfs, parseVolume } from './mounts.js';
import type { RunFlags } from './run-spec.js';
import { writeDiag } from '../platform/diag.js';
import { hostTerminal } from '../platform/host-terminal.js';
import { parsePublish } from '../net/outbound.js';
import { parseRule } from '../net/policy.js';
import { sysctlRefusal } from '../kernel/sysctl.js';
import { parseDuration } from '../kernel/limits.js';

export class UsageError extends Error {}

function fail(msg: string): never {
  throw new UsageError(msg);
}

export { parseDuration };

/** The limit flags (--memory, --pids, ...) as SandboxLimits; `fail` names the flag on a bad value. */
export function parseLimits(flags: RunFlags): SandboxLimits {
  const l: SandboxLimits = {};
  const count = (flag: string, v: string, min: number): number => {
    const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min) fail(`--${flag}: expected a whole number of at least ${min}, got "${v}"`);
    return n;
  };
  const bytes = (flag: string, v: string): number => {
    const n = parseSize(v);
    if (n === null || n <= 0) fail(`--${flag}: expected a size such as 512m or 1g (b, k, m, g, t), got "${v}"`);
    return n;
  };
  const seconds = (flag: string, v: string): number => {
    const n = parseDuration(v);
    if (n === null) fail(`--${flag}: expected seconds or a duration such as 90s, 5m or 1h, got "${v}"`);
    return n;
  };
  if (flags.memory !== undefined) l.memory = bytes('memory', flags.memory);
  if (flags.pids !== undefined) l.processes = count('pids', flags.pids, 1);
  if (flags.cpus !== undefined) {
    const n = /^\d+(?:\.\d+)?$/.test(flags.cpus.trim()) ? Number(flags.cpus) : NaN;
    if (!(n > 0)) fail(`--cpus: expected a number of CPUs greater than 0, got "${flags.cpus}"`);
    l.cpus = n;
  }
  if (flags['cpu-time'] !== undefined) l.cpuTime = seconds('cpu-time', flags['cpu-time']);
  if (flags.timeout !== undefined) l.timeout = seconds('timeout', flags.timeout);
  if (flags['max-files'] !== undefined) l.files = count('max-files', flags['max-files'], 3);
  if (flags['upper-size'] !== undefined) l.upper = bytes('upper-size', flags['upper-size']);
  return l;
}

/** Runs the command; resolves with the exit code tsvisor should exit with. */
export async function runMain(flags: RunFlags, argv: string[]): Promise<number> {
  let cmd = argv;
  if (!cmd.length && flags.image === undefined) fail('missing command: tsvisor run [FLAGS] -- COMMAND [ARGS...]');
  if (flags.image !== undefined) {
    if (flags.rootfs !== undefined) fail('--image: give either --image or --rootfs, not both');
    if (flags.layer?.length) fail('--image: give either --image or --layer, not both');
    if (flags.image === '') fail('--image: expected DIR[:TAG]');
  } else if (flags['image-cache'] !== undefined) fail('--image-cache needs --image');
  if (flags.isolation !== 'balanced' && flags.isolation !== 'strict') fail(`--isolation: expected balanced or strict, got "${flags.isolation}"`);
  if (flags.rootfs !== undefined && (!existsSync(flags.rootfs) || !statSync(flags.rootfs).isDirectory())) fail(`--rootfs: ${flags.rootfs} is not a directory`);
  if (flags.upper !== undefined && (!existsSync(flags.upper) || !statSync(flags.upper).isDirectory())) fail(`--upper: ${flags.upper} is not a directory`);
  if (flags.layer?.length && flags.rootfs !== undefined) fail('--layer: give either --rootfs or --layer, not both');
  for (const l of flags.layer ?? []) if (!existsSync(l) || !statSync(l).isDirectory()) fail(`--layer: ${l} is not a directory`);
  const mounts: MountSpec[] = [];
  /** Which flag asked for each mount: errors name it. */
  const flagOf = new Map<MountSpec, string>();
  const add = (flag: string, m: MountSpec) => {
    if (m.type === 'bind' && !existsSync(m.source)) fail(`${flag}: ${m.source}: no such file or directory on the host`);
    mounts.push(m);
    flagOf.set(m, flag);
  };
  for (const v of flags.volume ?? []) add('--volume', parseVolume(v, fail));
  for (const v of flags.mount ?? []) add('--mount', parseMountFlag(v, fail));
  for (const v of flags.tmpfs ?? []) add('--tmpfs', parseTmpfs(v, fail));
  if (flags.network !== 'none' && flags.network !== 'host') fail(`--network: expected none or host, got "${flags.network}"`);
  for (const r of flags['allow-net'] ?? []) {
    const p = parseRule(r);
    if (typeof p === 'string') fail(p);
  }
  if (flags['allow-net']?.length && flags.network !== 'host') fail('--allow-net needs --network host');
  for (const x of flags.publish ?? []) {
    const p = parsePublish(x);
    if (typeof p === 'string') fail(p);
  }
  const limits = parseLimits(flags);
  const sysctl: Record<string, string> = {};
  for (const kv of flags.sysctl ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) fail(`--sysctl: expected NAME=VALUE, got "${kv}"`);
    const name = kv.slice(0, eq);
    const why = sysctlRefusal(name);
    if (why) fail(`--sysctl ${name}: ${why}`);
    sysctl[name] = kv.slice(eq + 1);
  }
  let env = parseEnv(flags.env ?? [], fail);
  let uid: number | undefined;
  let gid: number | undefined;
  let cwd = flags.cwd ?? '/';
  let layers = flags.layer?.length ? flags.layer : undefined;
  if (flags.image !== undefined) {
    // The image decides what the flags leave open; bad images are user input: one line, 125.
    // Loaded here, not at start-up: it brings zlib, crypto and streams (docs/performance.md, W6).
    const { ImageError, imageProcess, loadImage, parseImageRef } = await import('../image/index.js');
    const ref = parseImageRef(flags.image);
    try {
      const img = await loadImage(ref.dir, {
        tag: ref.tag,
        cacheDir: flags['image-cache'],
        warn: (l) => writeDiag(`tsvisor: ${l}\n`),
      });
      const p = imageProcess(img, { command: cmd, env, cwd: flags.cwd, user: flags.user });
      layers = img.layers;
      cmd = p.argv;
      env = p.env;
      cwd = p.cwd;
      uid = p.uid;
      gid = p.gid;
    } catch (e) {
      if (e instanceof ImageError || (e as NodeJS.ErrnoException).code) fail(`--image: ${(e as Error).message}`);
      throw e;
    }
  } else if (flags.user !== undefined) {
    const m = /^(\d+)(?::(\d+))?$/.exec(flags.user);
    if (!m) fail(`--user: expected UID[:GID], got "${flags.user}"`);
    uid = Number(m[1]);
    gid = m[2] !== undefined ? Number(m[2]) : uid;
  }
  const term = flags.tty ? hostTerminal(!!flags.interactive) : null;
  if (term && env.TERM === undefined) env.TERM = process.env.TERM || 'xterm';
  let sb: Sandbox;
  try {
    sb = new Sandbox({
      rootfs: flags.rootfs,
      layers,
      upper: flags.upper,
      mounts,
      isolation: flags.isolation,
      strace: flags.strace,
      stats: flags.stats,
      env,
      cwd,
      hostname: flags.hostname,
      uid,
      gid,
      network: flags.network as 'none' | 'host',
      allowNet: flags['allow-net'],
      publish: flags.publish,
      limits,
      sysctl,
      tty: term ? { output: (b) => term.output(b), rows: term.rows, cols: term.cols } : undefined,
      // A terminal in raw mode does not return the carriage at a newline.
      log: term && isatty(2) ? (l) => writeDiag(l + '\r\n') : undefined,
    });
  } catch (e) {
    term?.detach();
    // Setting up the sandbox failed (a mount point it could not make...): one line, exit 125.
    const msg = (e as Error).message.replace(/^tsvisor: /, '');
    const flag = e instanceof MountSetupError ? flagOf.get(e.spec) : undefined;
    writeDiag(flag ? ` ›   Error: ${flag}: ${msg}\n` : `tsvisor: ${msg}\n`);
    return 125;
  }
  const stop = signalForwarding(sb, !!term);
  let r;
  try {
    // run() sets up the console before its first await: attach to it at once.
    const running = sb.run(cmd);
    if (term && sb.console) term.attach(sb.console);
    r = await running;
  } finally {
    term?.detach();
    stop();
  }
  if (r.error) writeDiag(r.error + '\n');
  if (flags.stats) printStats(sb);
  if (flags.strace) {
    const u = sb.unsupported();
    if (u.length) writeDiag(`tsvisor: unsupported system calls (ENOSYS): ${u.map((x) => `${x.name}×${x.count}`).join(', ')}\n`);
  }
  return r.code;
}
