// What a run tells whoever shows it (src/ci/reporters.ts, or an API user).
import type { JobResult, PipelineDef, StepResult } from './model.js';

export interface JobInfo {
  /** Shown name: `test (20, linux)`. */
  name: string;
  /** Directory name under the run's log directory. */
  key: string;
}

export interface RunInfo {
  runId: string;
  pipeline: PipelineDef;
  jobs: JobInfo[];
  logDir: string;
}

export interface PipelineResult {
  runId: string;
  file: string;
  name: string;
  kind: PipelineDef['kind'];
  /** 0 when every job passed (or was skipped by its `if:`); 1 when one failed; 130 when cancelled. */
  exitCode: number;
  ok: boolean;
  cancelled: boolean;
  jobs: JobResult[];
  startedAt: string;
  durationMs: number;
  logDir: string;
  /** Files written by `reports`. */
  reports: string[];
}

/** Every callback is optional; they are called on the runner's thread, in order for each job. */
export interface CiReporter {
  runStarted?(run: RunInfo): void;
  jobStarted?(job: JobInfo, steps: number): void;
  stepStarted?(job: JobInfo, index: number, name: string): void;
  /** One line of a step's output (also in its log file). */
  output?(job: JobInfo, index: number, line: string): void;
  stepFinished?(job: JobInfo, index: number, result: StepResult): void;
  jobFinished?(job: JobInfo, result: JobResult): void;
  /** A message of the runner's own. */
  note?(text: string): void;
  runFinished?(result: PipelineResult): void;
}
