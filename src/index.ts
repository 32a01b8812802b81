// The public API: `import { Sandbox } from 'tsvisor'` (docs/api.md).
export { Sandbox, DEFAULT_PATH } from './sandbox.js';
export type { SandboxOptions, RunResult, StatsRow, ExitInfo, Isolation, TerminalOptions, SandboxConsole } from './sandbox.js';
