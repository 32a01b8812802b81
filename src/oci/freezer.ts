// pause/resume: the guest processes are moved into a host freezer cgroup of
// the container's own and frozen, as runc freezes a container's cgroup: the
// guests notice nothing (no SIGSTOP, no CLD_STOPPED to their parents). The
// sentry stays outside and keeps answering. cgroup v2 (cgroup.freeze) where
// the unified hierarchy is mounted writable, else the v1 freezer controller.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Freezer {
  /** Resolves once frozen (the sentry keeps serving its guests meanwhile: they may be waiting for it). */
  freeze(pids: () => number[]): Promise<string | null>;
  thaw(): string | null;
  /** Removes the cgroup once it is empty (at the end). */
  remove(): void;
}

function mounts(): { v2: string | null; v1: string | null } {
  let v2: string | null = null;
  let v1: string | null = null;
  try {
    for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
      const f = line.split(' ');
      if (f[2] === 'cgroup2' && !v2) v2 = f[1]!;
      if (f[2] === 'cgroup' && f[3]?.split(',').includes('freezer')) v1 = f[1]!;
    }
  } catch {
    // no /proc: no freezer
  }
  return { v2, v1 };
}

/** Writes, with the error as a message. */
function put(path: string, text: string): string | null {
  try {
    writeFileSync(path, text);
    return null;
  } catch (e) {
    return `${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}

/** The freezer of container `id`, made on first use. */
export function freezerFor(id: string): Freezer {
  const m = mounts();
  let dir: string | null = null;
  let v2 = false;
  const ensure = (): string | null => {
    if (dir) return null;
    const tries: [string | null, boolean][] = [
      [m.v1, false],
      [m.v2, true],
    ];
    let last = 'no cgroup freezer is mounted';
    for (const [base, isV2] of tries) {
      if (!base) continue;
      const d = join(base, `tsvisor-${id}`);
      try {
        mkdirSync(d, { recursive: true });
      } catch (e) {
        last = `cannot create ${d}: ${(e as NodeJS.ErrnoException).code}`;
        continue;
      }
      if (!existsSync(join(d, isV2 ? 'cgroup.freeze' : 'freezer.state'))) {
        try {
          rmdirSync(d);
        } catch {
          // not ours to keep
        }
        last = `${d}: no freezer there`;
        continue;
      }
      dir = d;
      v2 = isV2;
      return null;
    }
    return `pause needs a cgroup freezer: ${last}`;
  };
  const frozen = (): boolean => {
    try {
      if (v2 ? /^frozen 1$/m.test(readFileSync(join(dir!, 'cgroup.events'), 'utf8')) : readFileSync(join(dir!, 'freezer.state'), 'utf8').trim() === 'FROZEN') {
        return true;
      }
      // A thread waiting for the sentry's answer (a wait4 the sentry holds)
      // sleeps killably, which the freezer cannot freeze; it cannot run
      // either, and freezes as soon as it is answered. Every other thread
      // must be frozen (uninterruptible, in the refrigerator).
      const tids = readFileSync(join(dir!, v2 ? 'cgroup.threads' : 'tasks'), 'utf8').split('\n').filter(Boolean);
      return tids.every((tid) => {
        try {
          const wchan = readFileSync(`/proc/${tid}/wchan`, 'utf8');
          if (wchan.startsWith('seccomp_do_user_notification')) return true;
          const st = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${tid}/status`, 'utf8'))?.[1];
          return st === 'D';
        } catch {
          return true; // gone
        }
      });
    } catch {
      return false;
    }
  };
  return {
    async freeze(pids) {
      const err = ensure();
      if (err) return err;
      // Move, freeze, and move again whatever was forked meanwhile (a frozen
      // process cannot fork, so this ends).
      for (let round = 0; round < 10; round++) {
        let moved = 0;
        const have = new Set(readFileSync(join(dir!, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
        for (const pid of pids()) {
          if (have.has(pid)) continue;
          if (put(join(dir!, 'cgroup.procs'), String(pid)) === null) moved++;
        }
        const e = put(join(dir!, v2 ? 'cgroup.freeze' : 'freezer.state'), v2 ? '1' : 'FROZEN');
        if (e) return e;
        if (round > 0 && moved === 0) break;
      }
      for (let i = 0; i < 1000 && !frozen(); i++) {
        await new Promise((r) => setTimeout(r, 10));
        // Forked while freezing: join the others.
        const have = new Set(readFileSync(join(dir!, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
        for (const pid of pids()) if (!have.has(pid)) put(join(dir!, 'cgroup.procs'), String(pid));
      }
      return frozen() ? null : 'the container did not freeze';
    },
    thaw() {
      if (!dir) return null;
      return put(join(dir, v2 ? 'cgroup.freeze' : 'freezer.state'), v2 ? '0' : 'THAWED');
    },
    remove() {
      if (!dir) return;
      try {
        rmdirSync(dir);
      } catch {
        // still has processes (they are ending): the kernel keeps it until then
      }
    },
  };
}
