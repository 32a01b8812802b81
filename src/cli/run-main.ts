// The body of `tsvisor run`, shared by the oclif command and the fast path.
import { existsSync, statSync } from 'node:fs';
import { Sandbox } from '../sandbox.js';
import { parseEnv, printStats, signalForwarding } from './common.js';
import type { RunFlags } from './run-spec.js';
import { parsePublish } from '../net/outbound.js';
import { parseRule } from '../net/policy.js';

export class UsageError extends Error {}

function fail(msg: string): never {
  throw new UsageError(msg);
}

/** Runs the command; resolves with the exit code tsvisor should exit with. */
export async function runMain(flags: RunFlags, cmd: string[]): Promise<number> {
  if (!cmd.length) fail('missing command: tsvisor run [FLAGS] -- COMMAND [ARGS...]');
  if (flags.isolation !== 'balanced' && flags.isolation !== 'strict') fail(`--isolation: expected balanced or strict, got "${flags.isolation}"`);
  if (flags.rootfs !== undefined && (!existsSync(flags.rootfs) || !statSync(flags.rootfs).isDirectory())) fail(`--rootfs: ${flags.rootfs} is not a directory`);
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
  const env = parseEnv(flags.env ?? [], fail);
  let uid: number | undefined;
  let gid: number | undefined;
  if (flags.user !== undefined) {
    const m = /^(\d+)(?::(\d+))?$/.exec(flags.user);
    if (!m) fail(`--user: expected UID[:GID], got "${flags.user}"`);
    uid = Number(m[1]);
    gid = m[2] !== undefined ? Number(m[2]) : uid;
  }
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
    network: flags.network as 'none' | 'host',
    allowNet: flags['allow-net'],
    publish: flags.publish,
  });
  const stop = signalForwarding(sb);
  const r = await sb.run(cmd);
  stop();
  if (r.error) process.stderr.write(r.error + '\n');
  if (flags.stats) printStats(sb);
  if (flags.strace) {
    const u = sb.unsupported();
    if (u.length) process.stderr.write(`tsvisor: unsupported system calls (ENOSYS): ${u.map((x) => `${x.name}×${x.count}`).join(', ')}\n`);
  }
  return r.code;
}
