// What the host kernel must offer, checked once before the first sandbox:
// refuse below the minimum with a clear message, say what degrades above it.
import { release } from 'node:os';

export interface HostCheck {
  ok: boolean;
  /** Why tsvisor cannot run here (when !ok). */
  error?: string;
  /** What works less well on this kernel. */
  notes: string[];
}

function version(rel: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(rel);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

function atLeast(v: [number, number], major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

export function checkHost(rel = release()): HostCheck {
  const notes: string[] = [];
  if (process.platform !== 'linux') return { ok: false, error: 'tsvisor runs on Linux only', notes };
  if (process.arch !== 'x64') return { ok: false, error: `tsvisor supports x86_64 only (this is ${process.arch})`, notes };
  const v = version(rel);
  // SECCOMP_ADDFD_FLAG_SEND (install an fd and reply in one step) arrived in 5.14.
  if (!atLeast(v, 5, 14)) return { ok: false, error: `tsvisor needs Linux 5.14 or later (seccomp ADDFD with SEND); this kernel is ${rel}`, notes };
  if (!atLeast(v, 5, 19)) notes.push('Linux < 5.19: no SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV; a signal racing a reply can make a call restart after its effects');
  if (!atLeast(v, 6, 6)) notes.push('Linux < 6.6: no SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP; each trap costs a cross-CPU wake-up (about 5-10x slower)');
  return { ok: true, notes };
}
