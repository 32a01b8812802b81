import { Command, Flags } from '@oclif/core';
import { Sandbox } from '../../sandbox.js';
import { parseEnv, printStats, signalForwarding } from '../common.js';

export default class Run extends Command {
  static override description = 'Run a command in a fresh sandbox and exit with its status';

  static override examples = [
    '<%= config.bin %> run -- uname -a',
    "<%= config.bin %> run --isolation strict --env GREETING=hi -- sh -c 'echo $GREETING'",
    '<%= config.bin %> run --rootfs ./rootfs --cwd /tmp --strace -- ls -la',
  ];

  static override strict = false;

  static override usage = 'run [FLAGS] -- COMMAND [ARGS...]';

  static override flags = {
    rootfs: Flags.directory({ description: 'host directory used as the read-only lower layer of / (default: the host\'s /)', exists: true }),
    isolation: Flags.string({ description: 'filter policy: balanced (data transfer runs natively) or strict', options: ['balanced', 'strict'], default: 'balanced' }),
    strace: Flags.boolean({ description: 'print every trapped system call to stderr', default: false }),
    stats: Flags.boolean({ description: 'print trap counts and sentry time per system call at exit', default: false }),
    env: Flags.string({ char: 'e', description: 'set an environment variable (K=V); repeatable', multiple: true }),
    cwd: Flags.string({ char: 'w', description: 'working directory inside the sandbox', default: '/' }),
    hostname: Flags.string({ description: 'host name inside the sandbox', default: 'tsvisor' }),
    user: Flags.string({ char: 'u', description: 'UID[:GID] to run as inside the sandbox (default 0:0)' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Run);
    const cmd = argv as string[];
    if (!cmd.length) this.error('missing command: tsvisor run [FLAGS] -- COMMAND [ARGS...]', { exit: 125 });
    const env = parseEnv(flags.env ?? [], (m) => this.error(m, { exit: 125 }));
    let uid: number | undefined;
    let gid: number | undefined;
    if (flags.user !== undefined) {
      const m = /^(\d+)(?::(\d+))?$/.exec(flags.user);
      if (!m) this.error(`--user: expected UID[:GID], got "${flags.user}"`, { exit: 125 });
      uid = Number(m[1]);
      gid = m[2] !== undefined ? Number(m[2]) : uid;
    }
    const sb = new Sandbox({
      rootfs: flags.rootfs,
      isolation: flags.isolation as 'balanced' | 'strict',
      strace: flags.strace,
      stats: flags.stats,
      env,
      cwd: flags.cwd,
      hostname: flags.hostname,
      uid,
      gid,
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
    process.exitCode = r.code;
  }
}
