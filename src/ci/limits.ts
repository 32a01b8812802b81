// Limits the runner enforces from outside a sandbox, by watching it: the
// resident memory of all its processes together, and the bytes its changes
// take on disk (the upper layer and the job's /tmp). Both are sampled; a job
// over a limit is killed and its step fails naming the limit.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PAGE = 4096;

/** Resident bytes of the given host processes (those already gone count 0). */
export function residentBytes(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ');
      total += Number(f[1]) * PAGE;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Bytes allocated under `dir` (st_blocks, not apparent sizes), not following symlinks. */
export function diskBytes(dir: string): number {
  let total = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) {
      const p = join(d, n);
      try {
        const st = lstatSync(p);
        total += st.blocks * 512;
        if (st.isDirectory()) stack.push(p);
      } catch {
        // gone meanwhile
      }
    }
  }
  return total;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(0)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}
