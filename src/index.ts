// The public API: `import { Sandbox } from 'tsvisor'` (docs/api.md).
export { Sandbox, DEFAULT_PATH, MountSetupError, checkLimits } from './sandbox.js';
export type {
  SandboxOptions, SandboxLimits, RunResult, StatsRow, ExitInfo, Isolation, MountSpec, BindMountSpec, TmpfsMountSpec, TerminalOptions, SandboxConsole,
  ExecOptions, ExecHandle,
} from './sandbox.js';
// The CI runner (docs/ci.md): `import { runPipeline } from 'tsvisor'`.
export {
  runPipeline, loadPipeline, PipelineError, PlainReporter, LiveReporter, parsePipeline, DEFAULT_PIPELINE,
} from './ci/index.js';
export type { RunPipelineOptions, CiReporter, PipelineResult, JobResult, StepResult, PipelineDef, ReportSpec } from './ci/index.js';
// OCI image layouts (docs/oci.md#images): `loadImage` unpacks the layers into the cache, `imageProcess` gives argv/env/cwd/uid/gid.
export { loadImage, imageProcess, parseImageRef, defaultLayerCache, ImageError } from './image/index.js';
export type { LoadImageOptions, LoadedImage, ImageConfig, ImageProcess, ImageProcessOptions } from './image/index.js';
