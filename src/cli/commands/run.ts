import { Command, Flags, type Interfaces } from '@oclif/core';
import { runMain, UsageError } from '../run-main.js';
import { RUN_FLAGS, type RunFlags } from '../run-spec.js';

function oclifFlags(): Interfaces.FlagInput {
  const out: Interfaces.FlagInput = {};
  for (const f of RUN_FLAGS) {
    const common = { description: f.description, ...(f.char ? { char: f.char as 'e' } : {}) };
    out[f.name] =
      f.kind === 'boolean'
        ? Flags.boolean({ ...common, default: f.default as boolean | undefined })
        : f.multiple
          ? Flags.string({ ...common, multiple: true })
          : Flags.string({ ...common, options: f.options, default: f.default as string | undefined });
  }
  return out;
}

export default class Run extends Command {
  static override description = 'Run a command in a fresh sandbox and exit with its status';

  static override examples = [
    '<%= config.bin %> run -- uname -a',
    "<%= config.bin %> run --isolation strict --env GREETING=hi -- sh -c 'echo $GREETING'",
    '<%= config.bin %> run --rootfs ./rootfs --cwd /tmp --strace -- ls -la',
    '<%= config.bin %> run -it -- bash',
  ];

  static override strict = false;

  static override usage = 'run [FLAGS] -- COMMAND [ARGS...]';

  static override flags = oclifFlags();

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Run);
    try {
      process.exitCode = await runMain(flags as unknown as RunFlags, argv as string[]);
    } catch (e) {
      if (e instanceof UsageError) this.error(e.message, { exit: 125 });
      throw e;
    }
  }
}
