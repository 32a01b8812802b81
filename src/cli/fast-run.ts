// `tsvisor run` without loading oclif: the same flags (run-spec.ts) parsed by
// node:util. Anything it does not understand falls back to the oclif command,
// which owns help and error messages.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runMain, UsageError } from './run-main.js';
import { RUN_FLAGS, type RunFlags } from './run-spec.js';
import { writeDiag } from '../platform/diag.js';

/** Exit code, or null to let oclif handle these arguments. */
export async function fastRun(args: string[]): Promise<number | null> {
  if (args.includes('--help') || args.includes('-h')) return null;
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const f of RUN_FLAGS) {
    options[f.name] = { type: f.kind, ...(f.char ? { short: f.char } : {}), ...(f.multiple ? { multiple: true } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch {
    return null;
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const flags: RunFlags = {
    rootfs: v.rootfs as string | undefined,
    isolation: (v.isolation as string | undefined) ?? 'balanced',
    strace: (v.strace as boolean | undefined) ?? false,
    stats: (v.stats as boolean | undefined) ?? false,
    env: v.env as string[] | undefined,
    cwd: v.cwd as string | undefined,
    hostname: (v.hostname as string | undefined) ?? 'tsvisor',
    user: v.user as string | undefined,
    volume: v.volume as string[] | undefined,
    mount: v.mount as string[] | undefined,
    tmpfs: v.tmpfs as string[] | undefined,
    layer: v.layer as string[] | undefined,
    image: v.image as string | undefined,
    'image-cache': v['image-cache'] as string | undefined,
    upper: v.upper as string | undefined,
    tty: (v.tty as boolean | undefined) ?? false,
    interactive: (v.interactive as boolean | undefined) ?? false,
    network: (v.network as string | undefined) ?? 'none',
    'allow-net': v['allow-net'] as string[] | undefined,
    publish: v.publish as string[] | undefined,
    memory: v.memory as string | undefined,
    pids: v.pids as string | undefined,
    cpus: v.cpus as string | undefined,
    'cpu-time': v['cpu-time'] as string | undefined,
    timeout: v.timeout as string | undefined,
    'max-files': v['max-files'] as string | undefined,
    'upper-size': v['upper-size'] as string | undefined,
    sysctl: v.sysctl as string[] | undefined,
  };
  try {
    return await runMain(flags, parsed.positionals);
  } catch (e) {
    if (e instanceof UsageError) {
      writeDiag(` ›   Error: ${e.message}\n`);
      return 125;
    }
    throw e;
  }
}
