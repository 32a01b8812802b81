// config.json fields applied inside the sandbox (linux.sysctl, maskedPaths,
// readonlyPaths, process umask, capabilities, oomScoreAdj), `update` on a
// running container and the `events` stream — driven through
// bin/tsvisor-oci as runc's clients drive it; nothing left behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { hasBusybox, ociEnv, ociSetup, repo } from '../lib/oci.js';

t.setTimeout(600000);
const skip = !hasBusybox && 'no busybox';

t.test('linux.sysctl: namespaced values in /proc/sys, the modelled ones take effect, others refused', { skip }, async (t) => {
  const { cli, config, root } = ociSetup(t, [
    'sh',
    '-c',
    // A connection's local port comes from ip_local_port_range (a range of one port here).
    'cat /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max /proc/sys/kernel/domainname /proc/sys/net/ipv4/ip_local_port_range; ' +
      'sleep 100 | nc -l -p 5000 >/dev/null & while ! netstat -tln | grep -q :5000; do :; done; ' +
      'sleep 100 | nc 127.0.0.1 5000 & while ! netstat -tn | grep -q ESTAB; do :; done; netstat -tn | grep -o "127.0.0.1:[0-9]* *127.0.0.1:5000"; kill 0',
  ]);
  config((c) => {
    c.linux.sysctl = { 'kernel.shmmax': '123456', 'fs/mqueue/msg_max': '64', 'kernel.domainname': 'sysctl.example', 'net.ipv4.ip_local_port_range': '40000 40000' };
  });
  const r = cli(['run', 's1']);
  t.equal(r.out.split('\n').slice(0, 4).join('\n'), '123456\n64\nsysctl.example\n40000\t40000', 'the values are shown, slash-separated names too');
  t.match(r.out, /127\.0\.0\.1:40000 +127\.0\.0\.1:5000/, 'the ephemeral port comes from the configured range');

  for (const [name, why] of [
    ['kernel.pid_max', /not in a separate kernel namespace/],
    ['vm.swappiness', /not in a separate kernel namespace/],
    ['kernel.hostname', /conflicts with the hostname/],
  ] as const) {
    config((c) => (c.linux.sysctl = { [name]: '1' }));
    const bad = cli(['create', 'bad']);
    t.not(bad.code, 0, `${name} is refused`);
    t.match(bad.err, new RegExp(`linux\\.sysctl\\.${name.replace(/\./g, '\\.')}: `), 'the error names the field');
    t.match(bad.err, why);
    t.equal(bad.err.trim().split('\n').length, 1, 'one line');
  }
  config((c) => (c.linux.sysctl = { 'net.ipv4.ip_local_port_range': '9 1' }));
  t.match(cli(['create', 'bad']).err, /linux\.sysctl\.net\.ipv4\.ip_local_port_range: .*port range/, 'a value the sentry models is checked');
  t.same(existsSync(root) ? readdirSync(root) : [], [], 'refused creates leave nothing');
});

t.test('tsvisor run --sysctl', { skip }, async (t) => {
  const run = (args: string[]) => spawnSync(process.execPath, [join(repo, 'bin/run.js'), 'run', ...args], { encoding: 'utf8', env: ociEnv, timeout: 60000 });
  let r = run(['--sysctl', 'kernel.msgmax=4321', '--sysctl', 'net.core.somaxconn=77', '--', 'sh', '-c', 'cat /proc/sys/kernel/msgmax /proc/sys/net/core/somaxconn']);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, '4321\n77\n');
  r = run(['--sysctl', 'kernel.pid_max=5', '--', 'true']);
  t.equal(r.status, 125);
  t.match(r.stderr, /--sysctl kernel\.pid_max: not in a separate kernel namespace/);
  r = run(['--sysctl', 'novalue', '--', 'true']);
  t.equal(r.status, 125);
  t.match(r.stderr, /--sysctl: expected NAME=VALUE/);
});

t.test('linux.maskedPaths and readonlyPaths', { skip }, async (t) => {
  const { bundle, cli, config } = ociSetup(t, [
    'sh',
    '-c',
    'echo kcore-$(wc -c < /proc/kcore 2>&1 | tr -d " "); echo group-$(wc -c < /etc/group); ls -A /secret | wc -l; ' +
      'touch /secret/x 2>&1; echo hi > /etc/new 2>&1; echo h > /proc/sys/kernel/hostname 2>&1; ' +
      'ls /sys/firmware 2>&1; echo ok > /tmp/writable && cat /tmp/writable',
  ]);
  mkdirSync(join(bundle, 'rootfs/secret'));
  writeFileSync(join(bundle, 'rootfs/secret/key'), 'k');
  config((c) => {
    t.same(c.linux.maskedPaths, ['/proc/kcore', '/proc/keys', '/sys/firmware'], "the spec's defaults");
    t.same(c.linux.readonlyPaths, ['/proc/bus', '/proc/sys']);
    c.linux.maskedPaths.push('/etc/group', '/secret', '/no/such/path');
    c.linux.readonlyPaths.push('/etc', '/no/such/dir');
  });
  const r = cli(['run', 'm1']);
  t.equal(r.code, 0);
  const lines = r.out.split('\n');
  t.match(lines[0], /^kcore-/, '/proc/kcore (absent from the sandbox\'s /proc) is skipped');
  t.equal(lines[1], 'group-0', 'a masked file reads as empty');
  t.equal(lines[2], '0', 'a masked directory is empty');
  t.match(r.out, /touch: \/secret\/x: Read-only file system/, 'a masked directory is read-only');
  // The shell reports a redirection it cannot make on its own stderr.
  t.match(r.err, /can't create \/etc\/new: Read-only file system/, 'a read-only path gives EROFS');
  t.match(r.err, /can't create \/proc\/sys\/kernel\/hostname: Read-only file system/, '/proc/sys is read-only');
  t.match(r.out, /\nok\n$/, 'other paths stay writable');
  config((c) => (c.linux.maskedPaths = ['relative']));
  t.match(cli(['create', 'bad']).err, /linux\.maskedPaths\[0\]: must be an absolute path/);
});

t.test('process.user.umask, oomScoreAdj: init, its children and exec', { skip }, async (t) => {
  const { dir, cli, config, waitFor } = ociSetup(t, ['sh', '-c', 'umask > /tmp/init-umask; cat /proc/self/oom_score_adj > /tmp/oom; touch /tmp/f; sleep 3600']);
  config((c) => {
    c.process.user.umask = 0o027;
    c.process.oomScoreAdj = 500;
  });
  t.equal(cli(['create', 'u1']).code, 0);
  t.equal(cli(['start', 'u1']).code, 0);
  await waitFor('init', () => cli(['exec', 'u1', 'test', '-e', '/tmp/f']).code === 0);
  let r = cli(['exec', 'u1', 'sh', '-c', 'cat /tmp/init-umask /tmp/oom; stat -c %a /tmp/f; umask']);
  t.equal(r.out, '0027\n500\n640\n0027\n', "init's umask and oom_score_adj; exec without --process has the container's umask");
  writeFileSync(join(dir, 'p.json'), JSON.stringify({ args: ['sh', '-c', 'umask; (umask)'], cwd: '/', user: { uid: 0, gid: 0, umask: 0o077 } }));
  r = cli(['exec', '--process', join(dir, 'p.json'), 'u1']);
  t.equal(r.out, '0077\n0077\n', "an exec'd process's own umask, inherited by its children");
  writeFileSync(join(dir, 'p.json'), JSON.stringify({ args: ['true'], cwd: '/', user: { uid: 0, gid: 0, umask: 0o1000 } }));
  r = cli(['exec', '--process', join(dir, 'p.json'), 'u1']);
  t.not(r.code, 0);
  t.match(r.err, /process\.user\.umask/);
  config((c) => (c.process.oomScoreAdj = 2000));
  t.match(cli(['create', 'bad']).err, /process\.oomScoreAdj/);
});

t.test('process.capabilities: reported in /proc/self/status and checked where the sentry checks them', { skip }, async (t) => {
  const { dir, cli, config, waitFor } = ociSetup(t, ['sh', '-c', 'grep ^Cap /proc/self/status; touch /tmp/f; chown 5 /tmp/f && echo chowned; sleep 3600']);
  // The spec's default: CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10).
  t.equal(cli(['create', 'c1']).code, 0);
  t.equal(cli(['start', 'c1']).code, 0);
  await waitFor('init', () => cli(['exec', 'c1', 'test', '-e', '/tmp/f']).code === 0);
  let r = cli(['exec', 'c1', 'sh', '-c', 'grep ^Cap /proc/1/status; chown 5 /tmp/f 2>&1']);
  t.equal(
    r.out,
    'CapInh:\t0000000000000000\nCapPrm:\t0000000020000420\nCapEff:\t0000000020000420\nCapBnd:\t0000000020000420\nCapAmb:\t0000000000000000\n' +
      "chown: /tmp/f: Operation not permitted\n",
    'the configured sets; root without CAP_CHOWN may not chown',
  );
  writeFileSync(join(dir, 'p.json'), JSON.stringify({ args: ['sh', '-c', 'grep -E "^Cap(Eff|Bnd)" /proc/self/status; chown 5 /tmp/f && echo chowned'], cwd: '/', user: { uid: 0, gid: 0 }, capabilities: { bounding: ['CAP_CHOWN'], effective: ['CAP_CHOWN'], permitted: ['CAP_CHOWN'] } }));
  r = cli(['exec', '--process', join(dir, 'p.json'), 'c1']);
  t.equal(r.out, 'CapEff:\t0000000000000001\nCapBnd:\t0000000000000001\nchowned\n', "an exec's own sets");
  writeFileSync(join(dir, 'p.json'), JSON.stringify({ args: ['sh', '-c', 'grep -E "^Cap(Prm|Eff|Bnd)" /proc/self/status'], cwd: '/', user: { uid: 1000, gid: 1000 }, capabilities: { bounding: ['CAP_CHOWN', 'CAP_KILL'], effective: ['CAP_CHOWN'], permitted: ['CAP_CHOWN'] } }));
  r = cli(['exec', '--process', join(dir, 'p.json'), 'c1']);
  t.equal(r.out, 'CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000021\n', 'a non-root user keeps none past exec without ambient ones, as on Linux');
  const s = JSON.parse(cli(['state', 'c1']).out) as Record<string, unknown>;
  t.same(Object.keys(s).sort(), ['annotations', 'bundle', 'created', 'id', 'ociVersion', 'owner', 'pid', 'rootfs', 'status'], 'state is unchanged');
  t.equal(cli(['delete', '--force', 'c1']).code, 0);

  config((c) => {
    c.process.args = ['sh', '-c', 'grep ^CapEff /proc/self/status'];
    c.process.capabilities = { bounding: ['CAP_CHOWN', 'CAP_NO_SUCH'], effective: ['CAP_CHOWN'], permitted: ['CAP_CHOWN'] };
  });
  r = cli(['--log', join(dir, 'log'), 'run', 'c2']);
  t.equal(r.out, 'CapEff:\t0000000000000001\n');
  t.match(readFileSync(join(dir, 'log'), 'utf8'), /unknown capabilities ignored: CAP_NO_SUCH/, 'an unknown name is ignored with a warning, as runc');
});

t.test('update changes a running container\'s limits; events --stats shows them', { skip }, async (t) => {
  const { cli, waitFor } = ociSetup(t);
  t.equal(cli(['create', 'up1']).code, 0);
  t.equal(cli(['start', 'up1']).code, 0);
  await waitFor('init', () => cli(['exec', 'up1', 'true']).code === 0);
  const stats = () => JSON.parse(cli(['events', '--stats', 'up1']).out) as { type: string; id: string; data: { pids: { current: number; limit: number }; memory: { usage: { usage: number; limit: number } } } };
  let s = stats();
  t.equal(s.type, 'stats');
  t.equal(s.id, 'up1');
  t.equal(s.data.pids.limit, 0, 'no pids limit yet');
  let r = cli(['update', '--resources', '-', 'up1'], { input: JSON.stringify({ pids: { limit: 5 }, memory: { limit: 256 << 20 }, blockIO: { weight: 10 } }) });
  t.equal(r.code, 0, r.err);
  s = stats();
  t.equal(s.data.pids.limit, 5, 'events --stats: the new pids limit');
  t.equal(s.data.memory.usage.limit, 256 << 20, 'and memory limit');
  t.ok(s.data.memory.usage.usage > 0, 'memory in use');
  // init, this sh and three sleeps are 5: the fourth sleep cannot be forked.
  r = cli(['exec', 'up1', 'sh', '-c', 'cat /sys/fs/cgroup/pids.max; for i in 1 2 3 4; do sleep 3600 & done; echo not-reached']);
  t.equal(r.out, '5\n', 'the guest sees the new pids.max');
  t.match(r.err, /can't fork: Resource temporarily unavailable/, 'fork beyond the new limit fails with EAGAIN');
  t.not(r.code, 0);
  t.equal(stats().data.pids.current, 4, 'init and the three sleeps');
  r = cli(['update', '--pids-limit', '-1', '--memory', '1g', 'up1']);
  t.equal(r.code, 0, r.err);
  s = stats();
  t.equal(s.data.pids.limit, 0, '-1 lifts the limit');
  t.equal(s.data.memory.usage.limit, 1 << 30);
  r = cli(['exec', 'up1', 'sh', '-c', 'for i in 1 2 3 4 5 6; do sleep 0 & done; wait; cat /sys/fs/cgroup/pids.max']);
  t.equal(r.code, 0, r.err);
  t.not(r.out, '5\n', 'forks succeed again');
  r = cli(['update', '--resources', '-', 'up1'], { input: JSON.stringify({ pids: { limit: 'many' } }) });
  t.not(r.code, 0);
  t.match(r.err, /resources\.pids\.limit: must be an integer/, 'a bad value names its field');
  r = cli(['update', '--memory', 'lots', 'up1']);
  t.match(r.err, /--memory/);
  t.equal(cli(['kill', 'up1', 'KILL']).code, 0);
  await waitFor('stopped', () => cli(['state', 'up1']).out.includes('"stopped"'));
  r = cli(['update', '--pids-limit', '3', 'up1']);
  t.not(r.code, 0, 'update of a stopped container fails');
  t.match(r.err, /not running/);
});

t.test('events: a stream of stats until the container stops; oom when the memory limit ends it', { skip }, async (t) => {
  const { cli, background, waitFor } = ociSetup(t);
  t.equal(cli(['create', 'ev1']).code, 0);
  t.equal(cli(['start', 'ev1']).code, 0);
  const ev = background(['events', '--interval', '100ms', 'ev1']);
  await waitFor('two stats lines', () => ev.lines.length >= 2);
  for (const l of ev.lines.slice(0, 2)) {
    const m = JSON.parse(l) as { type: string; id: string; data: { pids: { current: number } } };
    t.equal(m.type, 'stats');
    t.equal(m.id, 'ev1');
    t.ok(m.data.pids.current >= 1);
  }
  t.equal(cli(['kill', 'ev1', 'KILL']).code, 0);
  t.equal(await ev.exit, 0, 'the stream ends when the container stops');

  t.equal(cli(['create', 'ev2']).code, 0);
  t.equal(cli(['start', 'ev2']).code, 0);
  const ev2 = background(['events', '--interval', '1h', 'ev2']);
  await waitFor('the first stats line', () => ev2.lines.length >= 1);
  t.equal(cli(['update', '--memory', '32m', 'ev2']).code, 0);
  // A shell variable of 48 MiB, held while it sleeps, is resident memory beyond the limit.
  cli(['exec', 'ev2', 'sh', '-c', 'x=$(head -c 50000000 /dev/zero | tr "\\0" a); sleep 3600']);
  t.equal(await ev2.exit, 0);
  const types = ev2.lines.map((l) => (JSON.parse(l) as { type: string }).type);
  t.ok(types.includes('oom'), `an oom event (${types})`);
  t.equal(JSON.parse(ev2.lines.find((l) => l.includes('"oom"'))!).id, 'ev2');
  t.equal((JSON.parse(cli(['state', 'ev2']).out) as { status: string }).status, 'stopped', 'the container stopped');
  const bad = cli(['events', '--interval', 'soon', 'ev2']);
  t.match(bad.err, /--interval/);
});
