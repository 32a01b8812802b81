// Sandbox-wide resource limits the sentry enforces by its own accounting
// (docs/security.md, "Resource limits"): the memory and CPU time of every
// guest process together, read from the host's /proc for their host pids on
// a timer. The process and fd counts are checked where tasks and fds are
// made (kernel.ts askClone, vfs/fdtable.ts), the CPU set at init's start.
import { readFileSync } from 'node:fs';
import { hostPid, schedAffinity } from '../platform/host.js';

/** Clock ticks per second of /proc/PID/stat (USER_HZ: 100 on every Linux ABI we run on). */
const CLK_TCK = 100;
const PAGE = 4096;
/** How often the memory and CPU time are read. */
export const WATCH_MS = 50;

/** Limits the kernel enforces (SandboxLimits in units the kernel counts; the task limit is KernelOptions.maxTasks). */
export interface KernelLimits {
  /** Open fds across every fd table; EMFILE at the limit. */
  maxFiles?: number;
  /** Resident memory of every guest process together, bytes; all are killed (SIGKILL) beyond it. */
  memory?: number;
  /** CPU seconds of the sandbox (live and exited processes): SIGXCPU at it, SIGKILL one second later. */
  cpuTime?: number;
  /** CPUs the guests may run on (the first N of the sentry's own). */
  cpus?: number;
}

/** Resident bytes of a host process (/proc/PID/statm), 0 when it is gone. */
export function residentBytes(hostTgid: number): number {
  try {
    const s = readFileSync(`/proc/${hostTgid}/statm`, 'latin1');
    const f = s.split(' ');
    return Number(f[1] ?? 0) * PAGE;
  } catch {
    return 0;
  }
}

/** CPU time (user + system, all threads, living and dead) of a host process, µs; 0 when it is gone. */
export function cpuMicros(hostTgid: number): number {
  let s: string;
  try {
    s = readFileSync(`/proc/${hostTgid}/stat`, 'latin1');
  } catch {
    return 0;
  }
  // Fields after the command (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11] ?? 0);
  const stime = Number(rest[12] ?? 0);
  return ((utime + stime) * 1e6) / CLK_TCK;
}

/** The CPUs the sentry itself may run on (what guests get back when a CPU limit is lifted); null when unknown. */
export function sentryCpuMask(): Uint8Array | null {
  const buf = new Uint8Array(1024);
  const len = schedAffinity(false, hostPid(), buf);
  return len > 0 ? buf.subarray(0, len) : null;
}

/**
 * The CPU mask of the first `n` CPUs the sentry itself may run on (a
 * fractional count rounded up), as bytes for sched_setaffinity; null when
 * `n` covers them all (nothing to restrict).
 */
export function cpuMaskFor(n: number): Uint8Array | null {
  const want = Math.ceil(n);
  const mine = sentryCpuMask();
  if (!mine) return null;
  const len = mine.length;
  const out = new Uint8Array(len);
  let taken = 0;
  let available = 0;
  for (let i = 0; i < len * 8; i++) {
    if (!(mine[i >> 3]! & (1 << (i & 7)))) continue;
    available++;
    if (taken < want) {
      out[i >> 3]! |= 1 << (i & 7);
      taken++;
    }
  }
  return taken >= available ? null : out;
}

/** `mask` ∩ `allowed` (bytes of a cpumask); null when empty. */
export function intersectMask(mask: Uint8Array, allowed: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(mask.length);
  let any = false;
  for (let i = 0; i < mask.length; i++) {
    out[i] = mask[i]! & (allowed[i] ?? 0);
    if (out[i]) any = true;
  }
  return any ? out : null;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * A byte count as users write one (flags, config files, pipelines): digits,
 * a fraction allowed, with an optional k, m, g or t (binary units, as tmpfs's
 * size=), then an optional "i" and "b" (512m, 1.5g, 2GiB); null when it is
 * not one or too large.
 */
export function parseSize(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)i?b?\s*$/i.exec(s);
  if (!m) return null;
  const n = Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!);
  return Number.isSafeInteger(n) ? n : null;
}

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 0.001, s: 1, m: 60, h: 3600 };

/** A duration: SECONDS, or a number with ms, s, m or h (90s, 5m); seconds, null when not a positive duration. */
export function parseDuration(v: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) return null;
  const n = Number(m[1]) * DURATION_UNITS[m[2] ?? '']!;
  return n > 0 && Number.isFinite(n) ? n : null;
}

/** Bytes in binary units, for the sandbox's messages. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
