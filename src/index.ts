// The public API: `import { Sandbox } from 'tsvisor'` (docs/api.md).
export { Sandbox, DEFAULT_PATH, MountSetupError, checkLimits } from './sandbox.js';
export type {
  SandboxOptions, SandboxLimits, RunResult, StatsRow, ExitInfo, Isolation, MountSpec, BindMountSpec, TmpfsMountSpec, TerminalOptions, SandboxConsole,
  ExecOptions, ExecHandle,
} from './sandbox.js';
