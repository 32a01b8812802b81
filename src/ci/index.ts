// The CI runner's public face (re-exported by src/index.ts): docs/ci.md, docs/api.md.
export { runPipeline, loadPipeline, DEFAULT_PIPELINE, type RunPipelineOptions } from './pipeline.js';
export type { CiReporter, JobInfo, RunInfo, PipelineResult } from './events.js';
export type { PipelineDef, JobDef, StepDef, JobResult, StepResult, JobStatus, StepStatus, JobLimits, MatrixDef, PipelineProblem } from './model.js';
export { PipelineError } from './model.js';
export { PlainReporter, LiveReporter, type Write } from './reporters.js';
export { parseReportSpec, summaryTable, junitReport, jsonReport, type ReportSpec, type ReportFormat } from './report.js';
export { parsePipeline, parseSize } from './parse.js';
export { expandMatrix } from './matrix.js';
export { evaluateCondition, interpolate, type ExprContext, type Value } from './expr.js';
export { schedule, type Outcome, type SchedNode, type ScheduleOptions } from './scheduler.js';
