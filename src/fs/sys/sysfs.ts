// /sys: the few files runtimes read to size themselves (CPUs, transparent
// huge pages), and /sys/fs/cgroup: a cgroup v2 hierarchy whose root is the
// sandbox, its limits read-only reflections of the limits the sandbox runs
// under (the host cgroup of the sentry, which every guest process shares).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

import type { Kernel } from '../../kernel/kernel.js';
import { pwrite } from '../../platform/host.js';
import { Creds } from '../../vfs/creds.js';
import { type Entries, ProcFile, ProcFs, StaticDir } from '../proc/procfs.js';
import { TmpDir, TmpFile, Tmpfs } from '../tmpfs/tmpfs.js';

function hostFile(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

function fileWith(dir: TmpDir, name: string, content: string): void {
  const f = dir.create(name, 0o444, Creds.root());
  if (f instanceof TmpFile) pwrite(f.fd(), Buffer.from(content, 'latin1'), 0, Buffer.byteLength(content, 'latin1'), 0);
}

/** A fresh /sys for one sandbox: static files, read-only. /sys/fs/cgroup is a mount point (makeCgroupFs). */
export function makeSysfs(): Tmpfs {
  const fs = new Tmpfs({ mode: 0o555, name: 'sysfs' });
  const root = Creds.root();
  const mk = (d: TmpDir, name: string): TmpDir => d.mkdir(name, 0o755, root) as TmpDir;
  const cpu = mk(mk(mk(fs.root, 'devices'), 'system'), 'cpu');
  const n = cpus().length;
  const range = n > 1 ? `0-${n - 1}\n` : '0\n';
  for (const f of ['online', 'possible', 'present']) fileWith(cpu, f, range);
  mk(mk(fs.root, 'fs'), 'cgroup');
  // The host's policy: guest memory is host memory.
  const thp = mk(mk(mk(fs.root, 'kernel'), 'mm'), 'transparent_hugepage');
  fileWith(thp, 'enabled', hostFile('/sys/kernel/mm/transparent_hugepage/enabled') || 'always [madvise] never\n');
  fileWith(thp, 'defrag', hostFile('/sys/kernel/mm/transparent_hugepage/defrag') || 'always defer defer+madvise [madvise] never\n');
  fs.readOnly = true;
  return fs;
}

// ---- the host cgroup the sandbox lives in ----

const UNLIMITED = 9223372036854771712; // v1's "no limit" (PAGE_COUNTER_MAX pages)

interface HostCgroup {
  /** v2 directory of the sentry's cgroup, if the host has a unified hierarchy. */
  v2: string | null;
  /** v1 directories by controller. */
  v1: Map<string, string>;
}

function hostCgroup(): HostCgroup {
  const out: HostCgroup = { v2: null, v1: new Map() };
  const unified = hostFile('/sys/fs/cgroup/cgroup.controllers') !== '' ? '/sys/fs/cgroup' : hostFile('/sys/fs/cgroup/unified/cgroup.controllers') !== '' ? '/sys/fs/cgroup/unified' : null;
  for (const line of hostFile('/proc/self/cgroup').split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    const path = m[3] === '/' ? '' : m[3]!;
    if (m[1] === '0' && m[2] === '') {
      if (unified) out.v2 = unified + path;
    } else {
      for (const c of m[2]!.split(',')) out.v1.set(c, `/sys/fs/cgroup/${c}${path}`);
    }
  }
  return out;
}

/** The directories from `dir` up to the hierarchy's root (limits of ancestors bind too). */
function ancestors(dir: string, top: string): string[] {
  const out: string[] = [];
  for (let d = dir; d.length >= top.length; d = d.slice(0, d.lastIndexOf('/'))) {
    out.push(d);
    if (d === top) break;
  }
  return out;
}

/** The lowest limit on the way up; Infinity for none. */
function lowest(dirs: string[], file: string): number {
  let v = Infinity;
  for (const d of dirs) {
    const t = hostFile(`${d}/${file}`).trim();
    if (!t || t === 'max') continue;
    const n = Number(t);
    if (Number.isFinite(n) && n >= 0 && n < UNLIMITED) v = Math.min(v, n);
  }
  return v;
}

export interface SandboxLimits {
  memoryMax: number;
  pidsMax: number;
  /** CPU bandwidth: quota per period in microseconds (quota Infinity: none). */
  cpuQuota: number;
  cpuPeriod: number;
}

/** What the host enforces on the sentry's cgroup and its ancestors (v2, else v1). */
export function hostLimits(): SandboxLimits {
  const cg = hostCgroup();
  const lim: SandboxLimits = { memoryMax: Infinity, pidsMax: Infinity, cpuQuota: Infinity, cpuPeriod: 100000 };
  const v2 = cg.v2 ? ancestors(cg.v2, cg.v2.startsWith('/sys/fs/cgroup/unified') ? '/sys/fs/cgroup/unified' : '/sys/fs/cgroup') : [];
  const v1 = (c: string) => {
    const d = cg.v1.get(c);
    return d ? ancestors(d, `/sys/fs/cgroup/${c}`) : [];
  };
  lim.memoryMax = Math.min(lowest(v2, 'memory.max'), lowest(v1('memory'), 'memory.limit_in_bytes'));
  lim.pidsMax = Math.min(lowest(v2, 'pids.max'), lowest(v1('pids'), 'pids.max'));
  // cpu.max "QUOTA PERIOD" (v2) or cfs_quota_us / cfs_period_us (v1): the tightest share wins.
  let share = Infinity;
  for (const d of v2) {
    const m = /^(\d+) (\d+)/.exec(hostFile(`${d}/cpu.max`));
    if (m && Number(m[1]) / Number(m[2]) < share) (share = Number(m[1]) / Number(m[2])), (lim.cpuQuota = Number(m[1])), (lim.cpuPeriod = Number(m[2]));
  }
  for (const d of v1('cpu')) {
    const q = Number(hostFile(`${d}/cpu.cfs_quota_us`).trim());
    const p = Number(hostFile(`${d}/cpu.cfs_period_us`).trim());
    if (q > 0 && p > 0 && q / p < share) (share = q / p), (lim.cpuQuota = q), (lim.cpuPeriod = p);
  }
  return lim;
}

// ---- /sys/fs/cgroup ----

const max = (v: number) => (v === Infinity ? 'max' : String(v));

/** Host /proc/PID/stat utime and stime (fields 14, 15) in microseconds. */
function hostTimes(hostPid: number): [number, number] {
  const s = hostFile(`/proc/${hostPid}/stat`);
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return [Number(f[11] ?? 0) * 10000, Number(f[12] ?? 0) * 10000];
}

function rssBytes(hostPid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(hostFile(`/proc/${hostPid}/status`));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * The sandbox's cgroup v2 view (cgroupns-style: its root is the sandbox):
 * its processes and threads, their usage, and as limits what the host
 * enforces on the sandbox (`limits`, read at each open). Read-only: the
 * sandbox cannot change its own limits.
 */
export function makeCgroupFs(kernel: Kernel, limits: () => SandboxLimits = hostLimits): ProcFs {
  return new ProcFs(
    kernel,
    (pfs) =>
      new StaticDir(pfs, '/', () => {
        const k = pfs.kernel;
        const m: Entries = new Map();
        // Files a root may write on Linux are 0644; the mount is read-only.
        const file = (name: string, render: () => string, perm = 0o644) => m.set(name, () => new ProcFile(pfs, name, render, perm));
        const live = () => [...k.pids.groups.values()].filter((g) => g.alive && g.tasks.size > 0);
        file('cgroup.controllers', () => 'cpu memory pids\n', 0o444);
        file('cgroup.subtree_control', () => '\n');
        file('cgroup.type', () => 'domain\n');
        file('cgroup.procs', () => live().map((g) => g.tgid).sort((a, b) => a - b).map((p) => `${p}\n`).join(''));
        file('cgroup.threads', () => live().flatMap((g) => [...g.tasks].map((t) => t.tid)).sort((a, b) => a - b).map((p) => `${p}\n`).join(''));
        file('cgroup.events', () => `populated ${live().length ? 1 : 0}\nfrozen 0\n`, 0o444);
        file('cgroup.freeze', () => '0\n');
        file('cgroup.max.depth', () => 'max\n');
        file('cgroup.max.descendants', () => 'max\n');
        file('cgroup.stat', () => 'nr_descendants 0\nnr_dying_descendants 0\n', 0o444);
        file('cpu.max', () => {
          const l = limits();
          return `${max(l.cpuQuota)} ${l.cpuPeriod}\n`;
        });
        file('cpu.weight', () => '100\n');
        file('cpu.stat', () => {
          let user = k.init ? k.init.childUsage.utimeUs : 0;
          let sys = k.init ? k.init.childUsage.stimeUs : 0;
          for (const g of live()) {
            const [u, s] = hostTimes(g.hostTgid);
            user += u;
            sys += s;
          }
          return `usage_usec ${user + sys}\nuser_usec ${user}\nsystem_usec ${sys}\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n`;
        }, 0o444);
        file('memory.max', () => `${max(limits().memoryMax)}\n`);
        file('memory.high', () => 'max\n');
        file('memory.low', () => '0\n');
        file('memory.min', () => '0\n');
        file('memory.current', () => `${live().reduce((n, g) => n + rssBytes(g.hostTgid), 0)}\n`, 0o444);
        file('memory.swap.max', () => 'max\n');
        file('memory.swap.current', () => '0\n', 0o444);
        file('memory.events', () => 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n', 0o444);
        file('pids.max', () => `${max(limits().pidsMax)}\n`);
        file('pids.current', () => `${live().reduce((n, g) => n + g.tasks.size, 0)}\n`, 0o444);
        file('pids.events', () => 'max 0\n', 0o444);
        return m;
      }, 0o755),
    'cgroup2',
  );
}

