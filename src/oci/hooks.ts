// OCI hooks: run with the container's state on stdin, as the runtime spec
// asks; a hook that fails or outlives its timeout is an error the caller
// handles as the spec says for that kind of hook.
import { spawnSync } from 'node:child_process';
import type { OciHook } from './config.js';

export interface HookState {
  ociVersion: string;
  id: string;
  status: string;
  pid?: number;
  bundle: string;
  annotations: Record<string, string>;
}

/** Runs `hooks` in order; the first failure's message, or null. */
export function runHooks(kind: string, hooks: OciHook[], state: HookState): string | null {
  for (const h of hooks) {
    const r = spawnSync(h.path, h.args.slice(1), {
      argv0: h.args[0] ?? h.path,
      input: JSON.stringify(state),
      env: Object.fromEntries(h.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
      timeout: h.timeout ? h.timeout * 1000 : undefined,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 1 << 20,
    });
    // A hook that does not read its stdin is no error (EPIPE writing the state).
    if (r.error && !((r.error as NodeJS.ErrnoException).code === 'EPIPE' && r.status !== null)) {
      const code = (r.error as NodeJS.ErrnoException).code;
      return `${kind} hook ${h.path}: ${code === 'ETIMEDOUT' ? `timed out after ${h.timeout} s` : r.error.message}`;
    }
    if (r.status !== 0) {
      const err = r.stderr?.toString('utf8').trim();
      return `${kind} hook ${h.path} failed (${r.signal ? `signal ${r.signal}` : `exit status ${r.status}`})${err ? `: ${err}` : ''}`;
    }
  }
  return null;
}
