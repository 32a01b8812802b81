// /sys/fs/cgroup (src/fs/sys/sysfs.ts): the sandbox's cgroup v2 view shows
// the limits it is given and the sandbox's own processes.
import t from 'tap';
import { makeCgroupFs, type SandboxLimits } from '../../src/fs/sys/sysfs.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { readAll, close } from '../../src/platform/host.js';
import type { Inode } from '../../src/vfs/inode.js';

/** The text a generated file gives on open. */
function read(dir: Inode, name: string): string {
  const f = dir.lookup(name);
  if (!f || typeof f === 'number') throw new Error(`no ${name}`);
  const o = f.open(0);
  if (typeof o === 'number') throw new Error(`open ${name}: ${o}`);
  const b = readAll(o.hostFd);
  close(o.hostFd);
  if (typeof b === 'number') throw new Error(`read ${name}: ${b}`);
  return b.toString('latin1');
}

function fakeKernel(groups: { tgid: number; tids: number[] }[]): Kernel {
  const map = new Map(
    groups.map((g) => [g.tgid, { tgid: g.tgid, alive: true, hostTgid: 0, tasks: new Set(g.tids.map((tid) => ({ tid }))) }]),
  );
  return { pids: { groups: map }, init: null, current: null } as unknown as Kernel;
}

t.test('limits given to the sandbox are shown as cgroup v2 files', (t) => {
  const limits: SandboxLimits = { memoryMax: 536870912, pidsMax: 64, cpuQuota: 50000, cpuPeriod: 100000 };
  const root = makeCgroupFs(fakeKernel([]), () => limits).root;
  t.equal(read(root, 'memory.max'), '536870912\n');
  t.equal(read(root, 'pids.max'), '64\n');
  t.equal(read(root, 'cpu.max'), '50000 100000\n');
  t.equal(read(root, 'cgroup.controllers'), 'cpu memory pids\n');
  t.end();
});

t.test('no limit reads "max"', (t) => {
  const root = makeCgroupFs(fakeKernel([]), () => ({ memoryMax: Infinity, pidsMax: Infinity, cpuQuota: Infinity, cpuPeriod: 100000 })).root;
  t.equal(read(root, 'memory.max'), 'max\n');
  t.equal(read(root, 'pids.max'), 'max\n');
  t.equal(read(root, 'cpu.max'), 'max 100000\n');
  t.end();
});

t.test('processes and threads are the sandbox\'s, by virtual id', (t) => {
  const root = makeCgroupFs(fakeKernel([{ tgid: 7, tids: [7, 9] }, { tgid: 1, tids: [1] }])).root;
  t.equal(read(root, 'cgroup.procs'), '1\n7\n');
  t.equal(read(root, 'cgroup.threads'), '1\n7\n9\n');
  t.equal(read(root, 'pids.current'), '3\n');
  t.equal(read(root, 'cgroup.events'), 'populated 1\nfrozen 0\n');
  t.end();
});

t.test('the files refuse to be opened for writing', (t) => {
  const root = makeCgroupFs(fakeKernel([])).root;
  const f = root.lookup('memory.max') as Inode;
  t.ok(typeof f.open(1) === 'number' && (f.open(1) as number) < 0);
  t.end();
});
