// The cgroup v2 protocol of src/platform/cgroup2.ts against a directory laid
// out as cgroupfs would be (the files a kernel would show are written by the
// test): which controllers it asks for, what it writes, when it refuses, and
// that a refusal leaves nothing behind. Whether a real kernel then holds the
// limits is the e2e test's (test/security/limits.test.ts, where this host
// delegates a cgroup v2 with the controllers).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SandboxCgroup } from '../../src/platform/cgroup2.js';

function fakeHost(t: { teardown(f: () => void): void }, controllers: string, subtree = '') {
  const mount = mkdtempSync(join(tmpdir(), 'tsv-cg-'));
  const parent = join(mount, 'user.slice/job');
  mkdirSync(parent, { recursive: true });
  writeFileSync(join(parent, 'cgroup.controllers'), controllers + '\n');
  writeFileSync(join(parent, 'cgroup.subtree_control'), subtree);
  t.teardown(() => rmSync(mount, { recursive: true, force: true }));
  return { host: { mount, self: '/user.slice/job' }, parent };
}

const read = (p: string): string => readFileSync(p, 'utf8');

t.test('memory and pids: controllers enabled, limits and oom.group written, processes added', async (t) => {
  const { host, parent } = fakeHost(t, 'cpuset cpu io memory pids');
  const cg = SandboxCgroup.create({ memory: 64 << 20, pids: 10 }, host, 'sb1');
  if (typeof cg === 'string') throw new Error(cg);
  t.equal(cg.path, join(parent, 'sb1'));
  t.equal(read(join(parent, 'cgroup.subtree_control')), '+memory +pids');
  t.equal(read(join(cg.path, 'memory.max')), String(64 << 20));
  t.equal(read(join(cg.path, 'memory.oom.group')), '1', 'the OOM killer takes every guest at once');
  t.equal(read(join(cg.path, 'memory.swap.max')), '0');
  t.equal(read(join(cg.path, 'pids.max')), '10');
  t.equal(cg.add(4242), null);
  t.equal(read(join(cg.path, 'cgroup.procs')), '4242');
  t.equal(cg.oomKills(), 0, 'no memory.events yet: no OOM kill');
  writeFileSync(join(cg.path, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 1\n');
  t.equal(cg.oomKills(), 1);
});

t.test('only what is asked: a task limit alone needs pids alone; enabled controllers are left as they are', async (t) => {
  const { host, parent } = fakeHost(t, 'memory pids', 'pids');
  const cg = SandboxCgroup.create({ pids: 3 }, host, 'sb2');
  if (typeof cg === 'string') throw new Error(cg);
  t.equal(read(join(parent, 'cgroup.subtree_control')), 'pids', 'nothing written: pids was on');
  t.same(readdirSync(cg.path).sort(), ['pids.max']);
});

t.test('refusals: no v2 mount, a controller bound to v1, no limit; nothing left behind', async (t) => {
  t.match(SandboxCgroup.create({ memory: 1 << 20 }, { mount: null, self: null }), /no cgroup v2/);
  const { host, parent } = fakeHost(t, 'hugetlb');
  t.match(SandboxCgroup.create({ memory: 1 << 20, pids: 2 }, host, 'sb3'), /no memory, pids controller/);
  t.match(SandboxCgroup.create({}, host, 'sb4'), /no limit/);
  t.same(readdirSync(parent).sort(), ['cgroup.controllers', 'cgroup.subtree_control'], 'no cgroup made');
});

t.test('a parent that refuses the controllers (EBUSY on a real one): the reason names it', async (t) => {
  const { host, parent } = fakeHost(t, 'memory');
  // A write that fails, as the kernel's does when the parent holds processes.
  rmSync(join(parent, 'cgroup.subtree_control'));
  mkdirSync(join(parent, 'cgroup.subtree_control'));
  t.match(SandboxCgroup.create({ memory: 1 << 20 }, host, 'sb5'), /cannot enable memory in .*: EISDIR/);
  t.notOk(readdirSync(parent).includes('sb5'), 'no cgroup made');
});
