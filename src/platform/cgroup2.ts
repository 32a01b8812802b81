// A cgroup v2 of the sandbox's own, where the host delegates one: the
// kernel then holds the memory and process limits exactly (memory.max with
// memory.oom.group: the OOM killer ends every guest at once; pids.max:
// fork fails with EAGAIN in the kernel), instead of the sentry's sampled
// accounting (src/kernel/limits.ts), which stays the fallback on cgroup v1
// and where no v2 subtree is writable. Plain file operations on cgroupfs,
// so the whole protocol runs against any directory in the unit tests.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a sandbox asks of its cgroup. */
export interface CgroupLimits {
  /** memory.max in bytes (swap: memory.swap.max 0, so the limit is on memory, as `--memory` says). */
  memory?: number;
  /** pids.max: tasks (processes and threads). */
  pids?: number;
}

/** Where to look: the defaults read the host; tests point them at a directory. */
export interface CgroupHost {
  /** The mount point of the unified (v2) hierarchy, or null when there is none. */
  mount: string | null;
  /** This process's cgroup path in it (the `0::/path` line of /proc/self/cgroup). */
  self: string | null;
}

/** The cgroup2 mount and our place in it, as this host has them. */
export function hostCgroup(): CgroupHost {
  let mount: string | null = null;
  try {
    for (const line of readFileSync('/proc/self/mountinfo', 'latin1').split('\n')) {
      const sep = line.indexOf(' - ');
      if (sep < 0 || !line.slice(sep + 3).startsWith('cgroup2 ')) continue;
      // Field 5 is the mount point (octal escapes for spaces and the like).
      const point = line.split(' ')[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
      mount = point;
      break;
    }
  } catch {
    mount = null;
  }
  let self: string | null = null;
  try {
    const m = /^0::(\/.*)$/m.exec(readFileSync('/proc/self/cgroup', 'latin1'));
    self = m ? m[1]! : null;
  } catch {
    self = null;
  }
  return { mount, self };
}

const words = (path: string): Set<string> => {
  try {
    return new Set(readFileSync(path, 'latin1').split(/\s+/).filter(Boolean));
  } catch {
    return new Set();
  }
};

let serial = 0;

/** A cgroup the sandbox made; every guest process goes in it. */
export class SandboxCgroup {
  private constructor(
    readonly path: string,
    readonly limits: CgroupLimits,
  ) {}

  /**
   * Makes the sandbox's cgroup under our own, with the controllers `limits`
   * needs; a string saying why not where the host does not delegate them
   * (no cgroup2 mount, the controller bound to a v1 hierarchy, a parent that
   * is not ours to write). Nothing is left behind on failure.
   */
  static create(limits: CgroupLimits, host: CgroupHost = hostCgroup(), name = `tsvisor-${process.pid}-${++serial}`): SandboxCgroup | string {
    if (!host.mount || !host.self) return 'no cgroup v2 hierarchy';
    const parent = join(host.mount, host.self);
    const need = [...(limits.memory !== undefined ? ['memory'] : []), ...(limits.pids !== undefined ? ['pids'] : [])];
    if (!need.length) return 'no limit a cgroup holds';
    const available = words(join(parent, 'cgroup.controllers'));
    const missing = need.filter((c) => !available.has(c));
    if (missing.length) return `cgroup v2 has no ${missing.join(', ')} controller here (bound to cgroup v1, or not delegated)`;
    const enabled = words(join(parent, 'cgroup.subtree_control'));
    const toEnable = need.filter((c) => !enabled.has(c));
    if (toEnable.length) {
      // Fails with EBUSY when our cgroup holds processes (cgroup v2's "no
      // internal processes" rule) unless it is the root: a delegated empty
      // parent (systemd's Delegate=yes scope with us in a leaf) has them on.
      try {
        writeFileSync(join(parent, 'cgroup.subtree_control'), toEnable.map((c) => `+${c}`).join(' '));
      } catch (e) {
        return `cannot enable ${toEnable.join(', ')} in ${parent}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
      }
    }
    const path = join(parent, name);
    try {
      mkdirSync(path);
    } catch (e) {
      return `cannot make ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    }
    const cg = new SandboxCgroup(path, limits);
    const err = cg.apply(limits);
    if (err) {
      cg.remove();
      return err;
    }
    return cg;
  }

  /** Writes the limits (Infinity: none); an error message, or null. */
  apply(limits: CgroupLimits): string | null {
    const w = (file: string, v: string, optional = false): string | null => {
      try {
        writeFileSync(join(this.path, file), v);
        return null;
      } catch (e) {
        return optional ? null : `cannot write ${file} of ${this.path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
      }
    };
    // Infinity lifts a limit ("max"): the cgroup then holds none (a running sandbox's update).
    const value = (v: number): string => (v === Infinity ? 'max' : String(v));
    const held = (v: number): number | undefined => (v === Infinity ? undefined : v);
    if (limits.memory !== undefined) {
      const e = w('memory.max', value(limits.memory)) ?? w('memory.oom.group', '1');
      if (e) return e;
      // Without swap accounting (no memory.swap.max) the limit is memory alone anyway.
      w('memory.swap.max', '0', true);
      this.limits.memory = held(limits.memory);
    }
    if (limits.pids !== undefined) {
      const e = w('pids.max', value(limits.pids));
      if (e) return e;
      this.limits.pids = held(limits.pids);
    }
    return null;
  }

  /** Moves a host process (and its future children) in: 0, or an error message. */
  add(hostPid: number): string | null {
    try {
      appendFileSync(join(this.path, 'cgroup.procs'), String(hostPid));
      return null;
    } catch (e) {
      return `cannot move process ${hostPid} into ${this.path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    }
  }

  /** How many times the kernel's OOM killer acted in the cgroup (memory.events oom_kill). */
  oomKills(): number {
    try {
      const m = /^oom_kill (\d+)$/m.exec(readFileSync(join(this.path, 'memory.events'), 'latin1'));
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  }

  /** The memory charged now (memory.current), bytes; 0 when unreadable. */
  memoryCurrent(): number {
    try {
      return Number(readFileSync(join(this.path, 'memory.current'), 'latin1').trim()) || 0;
    } catch {
      return 0;
    }
  }

  /** Removes the cgroup (it must be empty: after the last guest is gone); idempotent. */
  remove(): void {
    if (!existsSync(this.path)) return;
    try {
      rmdirSync(this.path);
    } catch {
      // cgroupfs refuses while a process is still in it (a zombie being
      // reaped): one retry later is enough, the kernel empties it at exit.
      setTimeout(() => {
        try {
          rmdirSync(this.path);
        } catch {
          // left for the host; it holds no process
        }
      }, 200).unref();
    }
  }
}
