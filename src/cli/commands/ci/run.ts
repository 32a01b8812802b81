import { Args, Command, Flags } from '@oclif/core';
import { isatty } from 'node:tty';
import { LiveReporter, PipelineError, PlainReporter, runPipeline } from '../../../index.js';
import { writeDiag } from '../../../platform/diag.js';
import { getWinsize } from '../../../platform/host.js';

export default class CiRun extends Command {
  static override description = 'Run a pipeline or GitHub Actions workflow, each job in a fresh sandbox (docs/ci.md)';

  static override examples = [
    '<%= config.bin %> ci run',
    '<%= config.bin %> ci run .github/workflows/ci.yml --skip-unsupported',
    '<%= config.bin %> ci run --jobs 2 --fail-fast --report junit:ci.xml --report json:ci.json',
  ];

  static override args = {
    file: Args.string({ description: 'pipeline file or GitHub workflow (default: .tsvisor/ci.yml)', required: false }),
  };

  static override flags = {
    jobs: Flags.integer({ char: 'j', description: 'jobs run at once (default: number of CPUs)', min: 1 }),
    'fail-fast': Flags.boolean({ description: 'the first failed job cancels all others' }),
    'skip-unsupported': Flags.boolean({ description: 'skip `uses:` steps other than actions/checkout instead of failing their job' }),
    report: Flags.string({ description: 'write a report: junit:FILE or json:FILE (repeatable)', multiple: true }),
    job: Flags.string({ description: 'run only this job id and the jobs it needs (repeatable)', multiple: true }),
    env: Flags.string({ char: 'e', description: 'NAME=VALUE added to every step (repeatable)', multiple: true }),
    workspace: Flags.string({ description: 'the checkout jobs see (default: the git checkout holding FILE)' }),
    'log-dir': Flags.string({ description: 'root of the step logs (default: WORKSPACE/.tsvisor/logs)' }),
    'keep-work': Flags.boolean({ description: "keep each job's scratch directory (its upper layer)" }),
    plain: Flags.boolean({ description: 'plain prefixed lines even on a terminal' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CiRun);
    const write = (s: string): void => writeDiag(s, 1);
    const live = !flags.plain && isatty(1) && !process.env.CI;
    const reporter = live ? new LiveReporter(write, () => {
          const w = getWinsize(1);
          return typeof w === 'number' || !w.cols ? 100 : w.cols;
        }) : new PlainReporter(write);
    const env: Record<string, string> = {};
    for (const e of flags.env ?? []) {
      const i = e.indexOf('=');
      if (i <= 0) this.error(`--env ${e}: expected NAME=VALUE`, { exit: 2 });
      env[e.slice(0, i)] = e.slice(i + 1);
    }
    const ctl = new AbortController();
    let interrupts = 0;
    const onInt = (): void => {
      if (++interrupts > 1) process.exit(130);
      writeDiag('\ntsvisor ci: cancelling (Ctrl-C again to quit at once)\n');
      ctl.abort();
    };
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onInt);
    try {
      const r = await runPipeline({
        file: args.file, jobs: flags.jobs, failFast: flags['fail-fast'], skipUnsupported: flags['skip-unsupported'], reports: flags.report,
        only: flags.job, env, workspace: flags.workspace, logDir: flags['log-dir'], keepWork: flags['keep-work'], signal: ctl.signal, reporter,
      });
      process.exitCode = r.exitCode;
    } catch (e) {
      if (e instanceof PipelineError) this.error(e.message, { exit: 2 });
      this.error((e as Error).message.replace(/^tsvisor ci: /, ''), { exit: 2 });
    } finally {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onInt);
    }
  }
}
