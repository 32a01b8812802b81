// The body of `tsvisor run`, shared by the oclif command and the fast path.
import { existsSync, statSync } from 'node:fs';
import { isatty } from '../platform/host.js';
import { Sandbox } from '../sandbox.js';
import { parseEnv, printStats, signalForwarding } from './common.js';
import type { RunFlags } from './run-spec.js';
import { hostTerminal } from './terminal.js';

export class UsageError extends Error {}

function fail(msg: string): never {
  throw new UsageError(msg);
}

/** Runs the command; resolves with the exit code tsvisor should exit with. */
export async function runMain(flags: RunFlags, cmd: string[]): Promise<number> {
  if (!cmd.length) fail('missing command: tsvisor run [FLAGS] -- COMMAND [ARGS...]');
  if (flags.isolation !== 'balanced' && flags.isolation !== 'strict') fail(`--isolation: expected balanced or strict, got "${flags.isolation}"`);
  if (flags.rootfs !== undefined && (!existsSync(flags.rootfs) || !statSync(flags.rootfs).isDirectory())) fail(`--rootfs: ${flags.rootfs} is not a directory`);
  const env = parseEnv(flags.env ?? [], fail);
  let uid: number | undefined;
  let gid: number | undefined;
  if (flags.user !== undefined) {
    const m = /^(\d+)(?::(\d+))?$/.exec(flags.user);
    if (!m) fail(`--user: expected UID[:GID], got "${flags.user}"`);
    uid = Number(m[1]);
    gid = m[2] !== undefined ? Number(m[2]) : uid;
  }
  const term = flags.tty ? hostTerminal(!!flags.interactive) : null;
  if (term && env.TERM === undefined) env.TERM = process.env.TERM || 'xterm';
  const sb = new Sandbox({
    rootfs: flags.rootfs,
    isolation: flags.isolation,
    strace: flags.strace,
    stats: flags.stats,
    env,
    cwd: flags.cwd,
    hostname: flags.hostname,
    uid,
    gid,
    tty: term ? { output: (b) => term.output(b), rows: term.rows, cols: term.cols } : undefined,
    // A terminal in raw mode does not return the carriage at a newline.
    log: term && isatty(2) ? (l) => process.stderr.write(l + '\r\n') : undefined,
  });
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
  if (r.error) process.stderr.write(r.error + '\n');
  if (flags.stats) printStats(sb);
  if (flags.strace) {
    const u = sb.unsupported();
    if (u.length) process.stderr.write(`tsvisor: unsupported system calls (ENOSYS): ${u.map((x) => `${x.name}×${x.count}`).join(', ')}\n`);
  }
  return r.code;
}
