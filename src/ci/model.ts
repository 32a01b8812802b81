// The CI runner's model of a pipeline, after parsing and validation: the
// same for tsvisor's own pipeline files and for GitHub Actions workflows
// (src/ci/parse.ts builds it from either; docs/ci.md describes both).

/** Where something was written: 1-based line and column of the pipeline file. */
export interface Loc {
  line: number;
  col: number;
}

/** One problem of a pipeline file: the field (a dotted path) and where it is. */
export interface PipelineProblem extends Loc {
  field: string;
  message: string;
}

/** The pipeline file is not valid: every problem found, each naming line and field. */
export class PipelineError extends Error {
  constructor(
    readonly file: string,
    readonly problems: PipelineProblem[],
  ) {
    super(problems.map((p) => `${file}:${p.line}:${p.col}: ${p.field}: ${p.message}`).join('\n'));
  }
}

export type Shell = 'sh' | 'bash' | 'python';

export interface StepDef {
  /** 0-based position in the job. */
  index: number;
  /** `id:` (to name its outputs in `steps.<id>`); absent when none was given. */
  id?: string;
  /** The given name, or one derived from `run:`/`uses:` (may hold `${{ }}`). */
  name: string;
  run?: string;
  uses?: string;
  with: Record<string, string>;
  /** Given here; otherwise the job's, then the file's `defaults.run.shell`, then bash (GitHub) or sh. */
  shell?: Shell;
  env: Record<string, string>;
  workingDirectory?: string;
  timeoutMinutes?: number;
  /** A boolean, or an expression to evaluate (`${{ matrix.experimental }}`). */
  continueOnError: boolean | string;
  if?: string;
  loc: Loc;
}

/** What the job's root is: the host's `/`, a directory, or image layers (directories, bottom first); always read-only below the job's own layer. */
export type RunsIn = { kind: 'host' } | { kind: 'rootfs'; path: string } | { kind: 'layers'; paths: string[] };

export interface JobLimits {
  /** Bytes of resident memory, all processes together. */
  memory?: number;
  /** Tasks alive at once. */
  processes?: number;
  /** Bytes the job may add to its upper layer (its changes to the filesystem). */
  disk?: number;
}

/** `strategy.matrix`: axes of values, `include` and `exclude` entries (docs/ci.md). */
export interface MatrixDef {
  axes: Record<string, unknown[]>;
  include: Record<string, unknown>[];
  exclude: Record<string, unknown>[];
}

export interface CacheDef {
  /** Directories (relative to the workspace) kept between runs. */
  paths: string[];
  /** Key prefix; the hash of `hashFiles` is appended. */
  key: string;
  /** Files (relative to the workspace) whose contents make the key. */
  hashFiles: string[];
}

export interface JobDef {
  id: string;
  /** Given name (may hold `${{ matrix.* }}`). */
  name?: string;
  needs: string[];
  runsIn: RunsIn;
  env: Record<string, string>;
  steps: StepDef[];
  if?: string;
  timeoutMinutes: number;
  continueOnError: boolean | string;
  matrix?: MatrixDef;
  /** `strategy.fail-fast` (default true, as on GitHub): a failed instance cancels its siblings. */
  failFast: boolean;
  maxParallel?: number;
  limits: JobLimits;
  /** `none` (default): the sandbox's own loopback only; `host`: outside, where `allowNet` permits. */
  network: 'none' | 'host';
  /** --allow-net rules (docs/network.md); need `network: host`. */
  allowNet: string[];
  artifacts: string[];
  cache?: CacheDef;
  /** `outputs:` — expressions evaluated at the end of the job, for `needs.<id>.outputs`. */
  outputs: Record<string, string>;
  defaults: { shell?: Shell; workingDirectory?: string };
  loc: Loc;
}

export interface PipelineDef {
  file: string;
  kind: 'pipeline' | 'github';
  name: string;
  env: Record<string, string>;
  defaults: { shell?: Shell; workingDirectory?: string };
  jobs: JobDef[];
}

export type StepStatus = 'success' | 'failure' | 'skipped' | 'cancelled';
export type JobStatus = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepResult {
  name: string;
  id?: string;
  /** Before continue-on-error. */
  outcome: StepStatus;
  /** After continue-on-error (what decides the job). */
  conclusion: StepStatus;
  exitCode: number | null;
  signal: number;
  /** Why it failed, was skipped or cancelled, when not just its exit status. */
  reason?: string;
  durationMs: number;
  /** Host path of the step's log, when it ran. */
  log?: string;
  outputs: Record<string, string>;
}

export interface JobResult {
  /** Job id, with the matrix values for a matrix instance: `test (20, linux)`. */
  name: string;
  /** The job id of the file. */
  jobId: string;
  /** A name fit for file names: logs/<run>/<key>/. */
  key: string;
  matrix?: Record<string, unknown>;
  status: JobStatus;
  reason?: string;
  steps: StepResult[];
  durationMs: number;
  outputs: Record<string, string>;
  /** Host directory the job's artifacts were copied to. */
  artifacts?: string;
}
