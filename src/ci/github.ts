// What makes a job look like a GitHub Actions runner: the `github` and
// `runner` contexts, the GITHUB_* / RUNNER_* variables that make sense on
// this machine, and what `uses:` steps mean here — actions/checkout is built
// in (the workspace is the checkout), any other action is unsupported and
// says so (the job fails, or with --skip-unsupported the step is skipped).
import type { Value } from './expr.js';
import type { PipelineDef } from './model.js';
import type { GitInfo } from './workspace.js';

export interface RunnerIdentity {
  pipeline: PipelineDef;
  runId: string;
  workspace: string;
  git: GitInfo;
  jobId: string;
}

const ARCH = process.arch === 'arm64' ? 'ARM64' : 'X64';

/** The `github` context. */
export function githubContext(r: RunnerIdentity): Record<string, Value> {
  return {
    workspace: r.workspace, job: r.jobId, run_id: r.runId, run_number: '1', run_attempt: '1', sha: r.git.sha, ref: r.git.ref,
    ref_name: refName(r.git.ref), ref_type: r.git.ref.startsWith('refs/tags/') ? 'tag' : 'branch', repository: r.git.repository,
    repository_owner: r.git.repository.split('/')[0]!, event_name: 'push', event: {}, actor: actor(), server_url: 'https://github.com',
    api_url: 'https://api.github.com', workflow: r.pipeline.name, action: '',
  };
}

/** The `runner` context. */
export function runnerContext(): Record<string, Value> {
  return { os: 'Linux', arch: ARCH, name: 'tsvisor', temp: '/tmp', tool_cache: '/opt/hostedtoolcache', environment: 'self-hosted' };
}

/** Variables every step gets (under the file's, the job's and the step's own). */
export function runnerEnvironment(r: RunnerIdentity, files: Record<string, string>): Record<string, string> {
  return {
    CI: 'true',
    HOME: '/root',
    GITHUB_ACTIONS: r.pipeline.kind === 'github' ? 'true' : 'false',
    TSVISOR_CI: '1',
    GITHUB_WORKSPACE: r.workspace,
    GITHUB_JOB: r.jobId,
    GITHUB_RUN_ID: r.runId,
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: r.git.sha,
    GITHUB_REF: r.git.ref,
    GITHUB_REF_NAME: refName(r.git.ref),
    GITHUB_REPOSITORY: r.git.repository,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKFLOW: r.pipeline.name,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_ACTOR: actor(),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: ARCH,
    RUNNER_NAME: 'tsvisor',
    RUNNER_TEMP: '/tmp',
    ...files,
  };
}

/** The step's files: name of the variable → file name under /__tsvisor/files. */
export const STEP_FILES = { GITHUB_ENV: 'env', GITHUB_PATH: 'path', GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_STATE: 'state' } as const;

export type ActionVerdict = { kind: 'builtin'; message: string } | { kind: 'unsupported'; message: string };

/** What a `uses:` step means here. */
export function action(uses: string, stepName: string, workspace: string): ActionVerdict {
  if (/^actions\/checkout@/.test(uses)) return { kind: 'builtin', message: `${uses}: built in — the workspace is the checkout at ${workspace} (copy-on-write)` };
  return { kind: 'unsupported', message: `unsupported action "${uses}" in step "${stepName}"` };
}

function refName(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

function actor(): string {
  return process.env.USER ?? 'tsvisor';
}
