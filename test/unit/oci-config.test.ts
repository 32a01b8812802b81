// Pure parts of the OCI config work: sysctl names and values, capability
// names and Linux's exec rule for the sets, update's LinuxResources, and
// config.json's new fields.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SandboxCgroup } from '../../src/platform/cgroup2.js';
import { dottedSysctl, parsePortRange, sysctlPath, sysctlRefusal, sysctlValueRefusal } from '../../src/kernel/sysctl.js';
import { ConfigError, parseConfig, parseResourceUpdate } from '../../src/oci/config.js';
import { ALL_CAPS, capNumber, capsAfterExec } from '../../src/vfs/creds.js';

t.test('sysctl names: dotted and slash forms, namespaced ones only', async (t) => {
  t.equal(dottedSysctl('net/ipv4/conf/eth0.100/rp_filter'), 'net.ipv4.conf.eth0/100.rp_filter');
  t.equal(dottedSysctl('net.ipv4.ip_forward'), 'net.ipv4.ip_forward');
  t.equal(sysctlPath('net.ipv4.conf.eth0/100.rp_filter'), 'net/ipv4/conf/eth0.100/rp_filter');
  for (const ok of ['kernel.shmmax', 'kernel.sem', 'kernel.msgmnb', 'kernel.shm_rmid_forced', 'fs.mqueue.queues_max', 'net.core.somaxconn', 'net/ipv4/ip_forward', 'kernel.domainname']) {
    t.equal(sysctlRefusal(ok), null, `${ok} accepted`);
  }
  for (const bad of ['kernel.pid_max', 'vm.swappiness', 'fs.file-max', 'kernel.hostname', 'kernel', 'net..x', 'net.a b', 'net/../x', '']) {
    t.type(sysctlRefusal(bad), 'string', `${JSON.stringify(bad)} refused`);
  }
  t.match(sysctlRefusal('kernel.hostname')!, /hostname/);
});

t.test('sysctl values the sentry acts on are checked as Linux checks them', async (t) => {
  t.same(parsePortRange('40000 40100'), [40000, 40100]);
  t.same(parsePortRange(' 1024\t65535\n'), [1024, 65535]);
  for (const bad of ['40100 40000', '0 10', '10 70000', '10', 'a b', '']) t.equal(parsePortRange(bad), null, `"${bad}" refused`);
  t.type(sysctlValueRefusal('net.ipv4.ip_local_port_range', '5 1'), 'string');
  t.type(sysctlValueRefusal('kernel.domainname', 'x'.repeat(65)), 'string');
  t.equal(sysctlValueRefusal('kernel.shmmax', '68719476736'), null);
});

t.test('capability names and the sets after exec', async (t) => {
  t.equal(capNumber('CAP_CHOWN'), 0);
  t.equal(capNumber('cap_sys_admin'), 21);
  t.equal(capNumber('CAP_CHECKPOINT_RESTORE'), 40);
  t.equal(capNumber('CAP_NOPE'), -1);
  t.equal(capNumber('SYS_ADMIN'), -1, 'the prefix is required, as in config.json');
  const bit = (n: number): bigint => 1n << BigInt(n);
  const three = bit(5) | bit(10) | bit(29);
  // Root: the bounding (and inheritable) set comes back as permitted and effective.
  let s = capsAfterExec({ effective: 0n, permitted: bit(5), inheritable: 0n, bounding: three, ambient: 0n }, 0);
  t.equal(s.permitted, three);
  t.equal(s.effective, three);
  // Not root: only ambient capabilities survive, and only those also permitted and inheritable.
  s = capsAfterExec({ effective: three, permitted: three, inheritable: bit(5), bounding: three, ambient: bit(5) | bit(10) }, 1000);
  t.equal(s.permitted, bit(5));
  t.equal(s.effective, bit(5));
  t.equal(s.ambient, bit(5));
  t.equal(s.bounding, three);
  s = capsAfterExec({ effective: ALL_CAPS, permitted: ALL_CAPS, inheritable: 0n, bounding: ALL_CAPS, ambient: 0n }, 1000);
  t.equal(s.effective, 0n);
});

t.test('update: LinuxResources as a change of limits (runc meanings of 0 and -1)', async (t) => {
  let r = parseResourceUpdate({ memory: { limit: 1 << 20, swap: 5 }, pids: { limit: 10 }, cpu: { quota: 150000, period: 100000, shares: 2 }, blockIO: { weight: 1 }, devices: [] }, 'resources');
  t.same(r.update, { memory: 1 << 20, processes: 10, cpus: 2 });
  t.same(r.ignored.sort(), ['blockIO', 'cpu.shares', 'devices', 'memory.swap']);
  r = parseResourceUpdate({ memory: { limit: -1 }, pids: { limit: -1 }, cpu: { quota: -1 } }, 'resources');
  t.same(r.update, { memory: null, processes: null, cpus: null }, '-1 lifts a limit');
  r = parseResourceUpdate({ memory: { limit: 0 }, pids: { limit: 0 }, cpu: { period: 50000 } }, 'resources');
  t.same(r.update, {}, '0 (or a period alone) keeps a limit');
  t.throws(() => parseResourceUpdate({ pids: { limit: 1.5 } }, 'resources'), /resources\.pids\.limit: must be an integer/);
  t.throws(() => parseResourceUpdate([], 'resources'), /resources: must be an object/);
  t.throws(() => parseResourceUpdate({ cpu: { quota: 1, period: 0 } }, 'resources'), /resources\.cpu\.period/);
});

t.test('config.json: sysctl, masked and read-only paths, umask, capabilities, oomScoreAdj', async (t) => {
  const base = () => ({ ociVersion: '1.0.2', root: { path: '/' }, process: { args: ['true'], user: { uid: 0, gid: 0 } } as Record<string, unknown>, linux: {} as Record<string, unknown> });
  const c = base();
  c.process.user = { uid: 0, gid: 0, umask: 0o22 };
  c.process.oomScoreAdj = -5;
  c.process.capabilities = { bounding: ['CAP_KILL', 'CAP_BOGUS'], effective: ['CAP_KILL'], permitted: ['CAP_KILL'] };
  c.linux = { sysctl: { 'net/core/somaxconn': '5' }, maskedPaths: ['/a'], readonlyPaths: ['/b'] };
  const cfg = parseConfig(c, '/tmp');
  t.equal(cfg.process.umask, 0o22);
  t.equal(cfg.process.oomScoreAdj, -5);
  t.equal(cfg.process.capSets?.bounding, 1n << 5n);
  t.equal(cfg.process.capSets?.ambient, 0n);
  t.same(cfg.process.unknownCaps, ['CAP_BOGUS']);
  t.match(cfg.warnings.join('\n'), /CAP_BOGUS/);
  t.same(cfg.sysctl, { 'net/core/somaxconn': '5' });
  t.same(cfg.maskedPaths, ['/a']);
  t.same(cfg.readonlyPaths, ['/b']);
  t.equal(parseConfig(base(), '/tmp').process.capSets, null, 'no capabilities object: the sandbox defaults');
  const bad = (edit: (c: ReturnType<typeof base>) => void, re: RegExp): void => {
    const x = base();
    edit(x);
    let err: unknown = null;
    try {
      parseConfig(x, '/tmp');
    } catch (e) {
      err = e;
    }
    t.ok(err instanceof ConfigError, `a ConfigError (${String(err)})`);
    t.match((err as Error).message, re);
  };
  bad((x) => (x.linux.sysctl = { 'kernel.pid_max': '1' }), /linux\.sysctl\.kernel\.pid_max: not in a separate kernel namespace/);
  bad((x) => (x.linux.sysctl = { 'kernel.shmmax': 5 }), /linux\.sysctl\.kernel\.shmmax: must be a string/);
  bad((x) => (x.linux.readonlyPaths = ['rel']), /linux\.readonlyPaths\[0\]/);
  bad((x) => (x.process.user = { umask: 0o1000 }), /process\.user\.umask/);
  bad((x) => (x.process.oomScoreAdj = 1.5), /process\.oomScoreAdj/);
  bad((x) => (x.process.capabilities = { effective: 'CAP_KILL' }), /process\.capabilities\.effective/);
});

t.test('a running sandbox\'s cgroup takes new limits and lifts them ("max")', async (t) => {
  // A directory laid out as cgroupfs (as test/unit/cgroup2.test.ts does).
  const mount = mkdtempSync(join(tmpdir(), 'tsv-cg-'));
  t.teardown(() => rmSync(mount, { recursive: true, force: true }));
  const parent = join(mount, 'job');
  mkdirSync(parent);
  writeFileSync(join(parent, 'cgroup.controllers'), 'memory pids\n');
  writeFileSync(join(parent, 'cgroup.subtree_control'), '');
  const cg = SandboxCgroup.create({ memory: 64 << 20, pids: 10 }, { mount, self: '/job' }, 'sb');
  if (typeof cg === 'string') throw new Error(cg);
  t.equal(cg.apply({ pids: 5 }), null);
  t.equal(readFileSync(join(cg.path, 'pids.max'), 'utf8'), '5');
  t.equal(cg.limits.pids, 5);
  t.equal(cg.apply({ memory: Infinity, pids: Infinity }), null);
  t.equal(readFileSync(join(cg.path, 'memory.max'), 'utf8'), 'max');
  t.equal(readFileSync(join(cg.path, 'pids.max'), 'utf8'), 'max');
  t.equal(cg.limits.memory, undefined, 'a lifted limit is no longer held');
  t.equal(cg.limits.pids, undefined);
});
