// The OCI runtime (bin/tsvisor-oci) driven as runc's clients drive it: the
// lifecycle with pid files, exec into a running container, hooks, every
// negative case, and no process or state left behind after each test. Real
// clients (podman, containerd, Docker): oci-clients.test.ts.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { alive, hasBusybox, ociBin, ociEnv, ociSetup } from '../lib/oci.js';

// Each test starts several Node processes (one per runtime command): slow on a loaded machine.
t.setTimeout(600000);

const bin = ociBin;
const env = ociEnv;
const setup = ociSetup;

t.test('lifecycle: create, start, exec, kill, delete', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { dir, root, cli, state, waitFor } = setup(t);
  const pidFile = join(dir, 'pid');
  let r = cli(['create', '--bundle', '.', '--pid-file', pidFile, 'c1']);
  t.equal(r.code, 0, r.err);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  t.ok(pid > 0 && alive(pid), 'the pid file names a live process');
  let s = state('c1')!;
  t.equal(s.status, 'created');
  t.equal(s.pid, pid);
  t.equal(s.id, 'c1');
  t.equal(s.ociVersion, '1.0.2');
  if (process.getuid?.() === 0) {
    // Clients set up networking in /proc/PID/ns/net of this pid: never the host's.
    const ns = (p: number | string): string => readlinkSync(`/proc/${p}/ns/net`);
    t.not(ns(pid), ns('self'), "the container's pid is in a network namespace of its own");
  }

  r = cli(['create', '--bundle', '.', 'c1']);
  t.not(r.code, 0, 'a second create with the same id fails');
  t.match(r.err, /already exists/);

  r = cli(['list', '--format', 'json']);
  t.same((JSON.parse(r.out) as { id: string }[]).map((x) => x.id), ['c1']);

  t.equal(cli(['start', 'c1']).code, 0);
  s = state('c1')!;
  t.equal(s.status, 'running');
  t.not(cli(['start', 'c1']).code, 0, 'start twice fails');
  await waitFor('init output', () => existsSync(join(dir, 'out1')) && readFileSync(join(dir, 'out1'), 'utf8').includes('started'));

  r = cli(['exec', 'c1', 'sh', '-c', 'echo in-exec $(cat /proc/1/comm); exit 5']);
  t.equal(r.code, 5, 'exec returns the exit status');
  t.equal(r.out, 'in-exec sleep\n');

  writeFileSync(join(dir, 'proc.json'), JSON.stringify({ args: ['sh', '-c', 'echo $FOO $(pwd); id -u'], env: ['FOO=bar'], cwd: '/root', user: { uid: 65534, gid: 65534 } }));
  r = cli(['exec', '--process', join(dir, 'proc.json'), 'c1']);
  t.equal(r.code, 0, r.err);
  t.equal(r.out, 'bar /root\n65534\n', 'exec --process: env, cwd, user');

  const execPid = join(dir, 'exec.pid');
  r = cli(['exec', '--detach', '--pid-file', execPid, 'c1', 'sleep', '3600']);
  t.equal(r.code, 0, r.err);
  const ep = Number(readFileSync(execPid, 'utf8'));
  t.ok(alive(ep), 'exec --detach: the pid file names a live process');
  r = cli(['ps', '--format', 'json', 'c1']);
  const pids = JSON.parse(r.out) as number[];
  t.ok(pids.length >= 2, `ps lists the container's host pids (${pids})`);
  for (const p of pids) t.ok(alive(p), `pid ${p} is alive`);
  r = cli(['ps', 'c1', '-o', 'pid,comm']);
  t.equal(r.code, 0, r.err);
  const rows = r.out.trim().split('\n');
  t.match(rows[0], /PID/, 'ps with ps(1) options: the header');
  t.same(rows.slice(1).map((l) => Number(l.trim().split(/\s+/)[0])).sort(), [...pids].sort(), "ps with ps(1) options: exactly the container's processes");
  // init and the exec'd sleep share a pid namespace of their own (docs/security.md, 8.),
  // where each has a pid besides its host one.
  const pidNs = pids.map((p) => readlinkSync(`/proc/${p}/ns/pid`));
  t.not(pidNs[0], readlinkSync('/proc/self/ns/pid'), 'init is not in our pid namespace');
  t.same(new Set(pidNs).size, 1, 'the exec\'d process is in init\'s');
  for (const p of pids) t.equal(/^NSpid:\s*(.*)$/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1]?.trim().split(/\s+/).length, 2, `pid ${p}: two levels in NSpid`);

  t.equal(cli(['delete', 'c1']).code !== 0, true, 'delete of a running container fails without --force');
  t.equal(cli(['kill', 'c1', 'KILL']).code, 0);
  await waitFor('stopped', () => state('c1')?.status === 'stopped');
  await waitFor('the sentry to exit', () => !alive(pid));
  await waitFor('the exec waiter to exit', () => !alive(ep));
  for (const p of pids) await waitFor(`pid ${p} to go`, () => !alive(p));
  t.not(cli(['kill', 'c1', 'TERM']).code, 0, 'kill of a stopped container fails');
  t.equal(cli(['delete', 'c1']).code, 0);
  t.equal(state('c1'), null);
  t.same(readdirSync(root), [], 'nothing left in the state directory');
});

t.test('run: foreground, output and exit status', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { root, cli } = setup(t, ['sh', '-c', 'echo out-$(hostname); echo err >&2; exit 3']);
  const r = cli(['run', 'r1']);
  t.equal(r.code, 3);
  t.equal(r.out, 'out-tsvisor\n');
  t.equal(r.err, 'err\n');
  t.same(existsSync(root) ? readdirSync(root) : [], [], 'run leaves no state');
});

const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;
t.test('run of a process with a terminal and no console socket: the terminal is ours', { skip: (!hasBusybox && 'no busybox') || (!hasScript && 'no script(1)') }, async (t) => {
  const { bundle, root, config } = setup(t, ['sh', '-c', '[ -t 0 ] && [ -t 1 ] && echo tty-$(tty); stty size; exit 3']);
  config((c) => (c.process.terminal = true));
  // script(1) gives the runtime a terminal of its own, as a user's shell would.
  const cmd = `stty rows 30 cols 99; exec ${process.execPath} ${bin} --root ${root} run t1`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', cwd: bundle, env, timeout: 60000, input: '' });
  t.equal(r.status, 3, r.stdout + r.stderr);
  t.match(r.stdout, /tty-\/dev\/pts\/\d+/);
  t.match(r.stdout, /30 99/, 'the window size is ours');
  t.same(readdirSync(root), [], 'nothing left in the state directory');
});

t.test('domainname and additional gids', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { cli, config } = setup(t, ['sh', '-c', 'cat /proc/sys/kernel/domainname; id -G']);
  config((c) => {
    c.domainname = 'example.org';
    c.process.user = { uid: 0, gid: 0, additionalGids: [10, 20] };
  });
  const r = cli(['run', 'dn1']);
  t.equal(r.code, 0, r.err);
  t.equal(r.out, 'example.org\n0 10 20\n');
});

t.test('process.rlimits are virtual: values above the host hard limit are accepted', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { cli, config } = setup(t, ['sh', '-c', 'ulimit -n; ulimit -Hn; ulimit -Hu']);
  config((c) => (c.process.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 5000, hard: 4194304 }, { type: 'RLIMIT_NPROC', soft: 77, hard: 77 }]));
  let r = cli(['run', 'rl1']);
  t.equal(r.code, 0, r.err);
  t.equal(r.out, '5000\n4194304\n77\n');
  config((c) => (c.process.rlimits = [{ type: 'RLIMIT_BOGUS', soft: 1, hard: 1 }]));
  r = cli(['run', 'rl2']);
  t.match(r.err, /process\.rlimits\[0\]\.type/);
});

t.test('linux.resources become the sandbox limits (memory, pids, cpu quota)', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { cli, config } = setup(t, ['sh', '-c', 'cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.max; nproc']);
  config((c) => {
    c.linux = { ...(c.linux ?? {}), resources: { memory: { limit: 64 << 20 }, pids: { limit: 50 }, cpu: { quota: 50000, period: 100000 } } };
  });
  let r = cli(['run', 'res1']);
  t.equal(r.code, 0, r.err);
  t.equal(r.out, `50\n${64 << 20}\n1\n`, 'pids.max, memory.max and one CPU (half a CPU rounds up) inside');
  config((c) => {
    c.linux = { ...(c.linux ?? {}), resources: { memory: { limit: 'lots' } } };
  });
  r = cli(['run', 'res2']);
  t.not(r.code, 0);
  t.match(r.err, /linux\.resources\.memory\.limit/, 'a bad value names its JSON path');
});

t.test('kill before start ends the container; delete --force of a running one', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { dir, cli, state, waitFor } = setup(t);
  t.equal(cli(['create', '--pid-file', join(dir, 'p1'), 'k1']).code, 0);
  const p1 = Number(readFileSync(join(dir, 'p1'), 'utf8'));
  t.equal(cli(['kill', 'k1', '9']).code, 0);
  await waitFor('stopped', () => state('k1')?.status === 'stopped');
  await waitFor('the sentry to exit', () => !alive(p1));
  t.equal(cli(['delete', 'k1']).code, 0);

  t.equal(cli(['create', '--pid-file', join(dir, 'p2'), 'k2']).code, 0);
  const p2 = Number(readFileSync(join(dir, 'p2'), 'utf8'));
  t.equal(cli(['start', 'k2']).code, 0);
  t.equal(cli(['delete', '--force', 'k2']).code, 0);
  t.notOk(alive(p2), 'delete --force ended the sentry');
  t.equal(state('k2'), null);
  t.equal(cli(['delete', '--force', 'k2']).code, 0, 'delete --force of a missing container succeeds');
});

t.test('negative cases', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { root, cli, config } = setup(t);
  for (const args of [['state', 'nope'], ['start', 'nope'], ['kill', 'nope', 'KILL'], ['delete', 'nope'], ['exec', 'nope', 'true'], ['ps', 'nope']]) {
    const r = cli(args);
    t.not(r.code, 0, `${args[0]} of an unknown id fails`);
    t.match(r.err, /does not exist/);
  }
  t.not(cli(['state']).code, 0, 'a missing id fails');
  t.not(cli(['create', '../x']).code, 0, 'a bad id fails');
  config((c) => (c.process.args = 'sh'));
  let r = cli(['create', 'bad']);
  t.not(r.code, 0);
  t.match(r.err, /process\.args/, 'the error names the JSON path');
  t.equal(r.err.trim().split('\n').length, 1, 'one line');
  config((c) => {
    c.process.args = ['true'];
    c.mounts = [{ destination: 'relative', type: 'tmpfs' }];
  });
  r = cli(['create', 'bad']);
  t.match(r.err, /mounts\[0\]\.destination/);
  config((c) => {
    c.mounts = [];
    c.root.path = 'missing';
  });
  r = cli(['create', 'bad']);
  t.not(r.code, 0);
  t.match(r.err, /missing/);
  t.same(existsSync(root) ? readdirSync(root) : [], [], 'a failed create leaves nothing');
  r = cli(['pause', 'x']);
  t.not(r.code, 0);
  r = cli(['checkpoint', 'x']);
  t.match(r.err, /not supported/);
});

t.test('hooks get the state on stdin; a failing createRuntime hook fails create', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { dir, root, cli, config, waitFor } = setup(t, ['true']);
  const log = join(dir, 'hooks.log');
  const hook = (name: string) => ({ path: '/bin/sh', args: ['sh', '-c', `echo ${name} $(cat) >> ${log}`] });
  config((c) => (c.hooks = { createRuntime: [hook('createRuntime')], startContainer: [hook('startContainer')], poststart: [hook('poststart')], poststop: [hook('poststop')] }));
  t.equal(cli(['create', 'h1']).code, 0);
  t.equal(cli(['start', 'h1']).code, 0);
  await waitFor('stopped', () => JSON.parse(cli(['state', 'h1']).out).status === 'stopped');
  t.equal(cli(['delete', 'h1']).code, 0);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  t.same(lines.map((l) => l.split(' ')[0]), ['createRuntime', 'startContainer', 'poststart', 'poststop']);
  const st = JSON.parse(lines[0]!.slice(lines[0]!.indexOf(' ') + 1)) as Record<string, unknown>;
  t.equal(st.id, 'h1');
  t.equal(st.status, 'created');
  t.ok(typeof st.pid === 'number' && typeof st.bundle === 'string');

  config((c) => (c.hooks = { createRuntime: [{ path: '/bin/sh', args: ['sh', '-c', 'echo nope >&2; exit 1'] }] }));
  const r = cli(['create', 'h2']);
  t.not(r.code, 0);
  t.match(r.err, /createRuntime hook .* failed.*nope/);
  t.same(readdirSync(root), [], 'nothing left');
});

t.test('a console socket gets the terminal; the guest runs on it', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { dir, cli, config, state, waitFor } = setup(t, ['sh', '-c', 'tty; read x; echo got-$x; exit 6']);
  config((c) => {
    c.process.terminal = true;
    c.process.consoleSize = { height: 30, width: 100 };
  });
  const host = await import('../../src/platform/oci-host.js');
  const sockPath = join(dir, 'console.sock');
  const l = host.unixListen(sockPath, 4);
  t.ok(l >= 0);
  t.not(cli(['create', 'tty1']).code, 0, 'a terminal needs a console socket');
  const r = cli(['create', '--console-socket', sockPath, 'tty1']);
  t.equal(r.code, 0, r.err);
  let conn = -11;
  await waitFor('the connection', () => (conn = host.acceptConn(l)) >= 0);
  const got = host.recvFds(conn, new Uint8Array(256), true);
  t.ok(Array.isArray(got) && got[1].length === 1, 'one fd came with the message');
  const master = (got as [number, number[]])[1][0]!;
  closeSync(conn);
  closeSync(l);
  t.equal(cli(['start', 'tty1']).code, 0);
  let text = '';
  const buf = Buffer.alloc(4096);
  const { readSync, writeSync } = await import('node:fs');
  const readSome = (): void => {
    try {
      const n = readSync(master, buf);
      text += buf.subarray(0, n).toString('latin1');
    } catch {
      // EAGAIN or EIO
    }
  };
  await waitFor('the tty line', () => (readSome(), text.includes('/dev/')));
  writeSync(master, 'abc\r');
  await waitFor('the answer', () => (readSome(), text.includes('got-abc')));
  t.match(text, /\/dev\/(pts\/\d+|console)/);
  await waitFor('stopped', () => state('tty1')?.status === 'stopped');
  closeSync(master);
  t.equal(cli(['delete', 'tty1']).code, 0);
});

t.test('exec --tty with a console socket', { skip: !hasBusybox && 'no busybox' }, async (t) => {
  const { dir, cli, waitFor } = setup(t);
  const host = await import('../../src/platform/oci-host.js');
  const { readSync } = await import('node:fs');
  t.equal(cli(['create', 'et']).code, 0);
  t.equal(cli(['start', 'et']).code, 0);
  const sockPath = join(dir, 'exec-console.sock');
  const l = host.unixListen(sockPath, 4);
  t.not(cli(['exec', '--tty', 'et', 'true']).code, 0, '--tty needs --console-socket');
  const r = cli(['exec', '--tty', '--console-socket', sockPath, '--detach', 'et', 'sh', '-c', 'tty; echo tty-exec-ok; sleep 3600']);
  t.equal(r.code, 0, r.err);
  let conn = -11;
  await waitFor('the connection', () => (conn = host.acceptConn(l)) >= 0);
  const got = host.recvFds(conn, new Uint8Array(256), true) as [number, number[]];
  const master = got[1][0]!;
  closeSync(conn);
  closeSync(l);
  let text = '';
  const buf = Buffer.alloc(4096);
  await waitFor('the output', () => {
    try {
      text += buf.subarray(0, readSync(master, buf)).toString('latin1');
    } catch {
      // EAGAIN
    }
    return text.includes('tty-exec-ok');
  });
  t.match(text, /\/dev\/pts\/\d+/);
  closeSync(master);
  t.equal(cli(['delete', '--force', 'et']).code, 0);
});

t.test('pause and resume (a host freezer cgroup)', { skip: (process.getuid?.() !== 0 && 'not root') || (!hasBusybox && 'no busybox') }, async (t) => {
  const { cli, state, waitFor } = setup(t, ['sh', '-c', 'while true; do echo x >> /tmp/n; sleep 0.05; done']);
  t.equal(cli(['create', 'p1']).code, 0);
  t.not(cli(['pause', 'p1']).code, 0, 'a created container cannot be paused');
  t.equal(cli(['start', 'p1']).code, 0);
  const count = (): number => Number(/\d+/.exec(cli(['exec', 'p1', 'wc', '-l', '/tmp/n']).out)?.[0] ?? -1);
  await waitFor('the loop', () => count() > 0);
  const r = cli(['pause', 'p1']);
  if (r.code !== 0 && /cgroup freezer/.test(r.err)) {
    t.comment(`no freezer here: ${r.err}`);
    t.equal(cli(['delete', '--force', 'p1']).code, 0);
    return;
  }
  t.equal(r.code, 0, r.err);
  t.equal(state('p1')?.status, 'paused');
  t.not(cli(['exec', 'p1', 'true']).code, 0, 'no exec into a paused container');
  t.equal(cli(['resume', 'p1']).code, 0);
  t.equal(state('p1')?.status, 'running');
  const before = count();
  await waitFor('the loop to go on', () => count() > before);
  t.not(cli(['resume', 'p1']).code, 0, 'resume of a running container fails');
  t.equal(cli(['pause', 'p1']).code, 0);
  t.equal(cli(['delete', '--force', 'p1']).code, 0, 'delete --force of a paused container');
  t.equal(state('p1'), null);
});

t.test('spec, features, --log json, --version', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsv-oci-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env });
  t.equal(run(['spec']).status, 0);
  const c = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { ociVersion: string; root: { path: string } };
  t.equal(c.root.path, 'rootfs');
  t.not(run(['spec']).status, 0, 'spec refuses to overwrite');
  const f = JSON.parse(run(['features']).stdout) as { ociVersionMax: string; hooks: string[] };
  t.ok(f.hooks.includes('poststop'));
  t.match(run(['--version']).stdout, /tsvisor-oci version/);
  const logf = join(dir, 'log.json');
  const r = run(['--root', join(dir, 'st'), '--log', logf, '--log-format', 'json', 'state', 'nope']);
  t.not(r.status, 0);
  const line = JSON.parse(readFileSync(logf, 'utf8').trim().split('\n').pop()!) as { level: string; msg: string };
  t.equal(line.level, 'error');
  t.match(line.msg, /does not exist/);
});
