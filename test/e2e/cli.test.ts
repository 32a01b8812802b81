// The README's promises, through the real CLI: the four examples,
// exit statuses, --strace, tsvisor syscalls, and the same as an
// unprivileged host user.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CLI, ROOT, runTsvisor } from '../lib/guest.js';

t.test('a pipeline, and the exit code of the guest', (t) => {
  const r = runTsvisor(['/bin/sh', '-c', 'echo hello | tr a-z A-Z; exit 7']);
  t.equal(r.stdout, 'HELLO\n');
  t.equal(r.code, 7);
  t.end();
});

t.test('init is pid 1 and its children see it as their parent', (t) => {
  const r = runTsvisor(['/bin/sh', '-c', 'echo $$; sh -c "echo \\$PPID"']);
  t.equal(r.stdout, '1\n1\n');
  t.equal(r.code, 0);
  t.end();
});

t.test('writes to the root stay in the sandbox', (t) => {
  const probe = '/etc/tsvisor-probe';
  t.notOk(existsSync(probe), 'no probe on the host before');
  const r = runTsvisor(['sh', '-c', `echo probe > ${probe} && cat ${probe}`]);
  t.equal(r.stdout, 'probe\n');
  t.equal(r.code, 0);
  t.notOk(existsSync(probe), 'no probe on the host after');
  t.end();
});

t.test('python: pid 1 and a subprocess', (t) => {
  const r = runTsvisor(['python3', '-c', 'import os,subprocess; print(os.getpid(), subprocess.check_output(["sh","-c","echo ok"]).decode().strip())']);
  t.equal(r.stdout, '1 ok\n');
  t.equal(r.code, 0);
  t.end();
});

t.test('killed by a signal: 128 + N, as a shell reports it', (t) => {
  const r = runTsvisor(['sh', '-c', 'kill -TERM $$']);
  t.equal(r.code, 143);
  t.end();
});

t.test('a missing command: 127 and a message', (t) => {
  const r = runTsvisor(['no-such-command-tsvisor']);
  t.equal(r.code, 127);
  t.match(r.stderr, /no-such-command-tsvisor: command not found/);
  t.end();
});

t.test('both isolation modes run the same script', (t) => {
  for (const iso of ['balanced', 'strict']) {
    const r = runTsvisor(['sh', '-c', 'cd /tmp && echo data > f && cat f && ls /proc/self/fd | wc -l'], ['--isolation', iso]);
    t.equal(r.code, 0, iso);
    t.match(r.stdout, /^data\n\d+\n$/, iso);
  }
  t.end();
});

t.test('--env, --cwd, --hostname', (t) => {
  const r = runTsvisor(['sh', '-c', 'echo $GREETING; pwd; hostname; cat /proc/sys/kernel/hostname'], ['--hostname', 'box1'], { env: { GREETING: 'hi' }, cwd: '/usr' });
  t.equal(r.stdout, 'hi\n/usr\nbox1\nbox1\n');
  t.end();
});

t.test('--strace prints trapped calls with virtual pids and errno names', (t) => {
  const r = runTsvisor(['sh', '-c', 'cat /nonexistent-file; true'], ['--strace']);
  t.match(r.stderr, /\[pid 1\] /);
  t.match(r.stderr, /openat\(AT_FDCWD, "\/nonexistent-file", O_RDONLY.*\) = -1 ENOENT/);
  t.end();
});

t.test('bad flags: one line naming the flag, non-zero exit', (t) => {
  const r = runTsvisor(['true'], ['--isolation', 'paranoid']);
  t.not(r.code, 0);
  t.match(r.stderr, /isolation/);
  const u = runTsvisor(['true'], ['--user', 'root']);
  t.not(u.code, 0);
  t.match(u.stderr, /--user/);
  t.end();
});

t.test('tsvisor syscalls prints the table and docs/syscalls.md is current', (t) => {
  const r = spawnSync(process.execPath, [CLI, 'syscalls', '--markdown'], { encoding: 'utf8' });
  t.equal(r.status, 0);
  t.match(r.stdout, /\| 39 \| getpid \| sentry \| implemented \| implemented \|/);
  const doc = readFileSync(join(ROOT, 'docs', 'syscalls.md'), 'utf8');
  t.equal(doc, r.stdout, 'docs/syscalls.md is generated from the table (npm run docs)');
  t.end();
});

t.test('unprivileged: the same smoke cases as an ordinary user', (t) => {
  const user = ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all'];
  const probe = spawnSync('setpriv', [...user, 'test', '-r', CLI], { encoding: 'utf8' });
  if (probe.error) {
    t.fail(`setpriv is needed for this test: ${probe.error.message}`);
    t.end();
    return;
  }
  t.equal(probe.status, 0, `the checkout must be readable by uid 65534 (.ci/run makes it so)`);
  const run = (args: string[]) =>
    spawnSync('setpriv', [...user, process.execPath, CLI, 'run', '--', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/' } });
  const id = spawnSync('setpriv', [...user, 'id', '-u'], { encoding: 'utf8' });
  t.equal(id.stdout.trim(), '65534', 'really unprivileged on the host');
  const a = run(['/bin/sh', '-c', 'echo hello | tr a-z A-Z; id -u; exit 7']);
  t.equal(a.stdout, 'HELLO\n0\n', 'root inside, nobody outside');
  t.equal(a.status, 7);
  const b = run(['sh', '-c', 'echo probe > /etc/tsvisor-probe && cat /etc/tsvisor-probe && echo $$']);
  t.equal(b.stdout, 'probe\n1\n');
  t.notOk(existsSync('/etc/tsvisor-probe'));
  const c = run(['python3', '-c', 'import os,subprocess; print(os.getpid(), subprocess.check_output(["sh","-c","echo ok"]).decode().strip())']);
  t.equal(c.stdout, '1 ok\n');
  t.end();
});

/** Waits (up to 30 s) until `n` host processes have exactly the command line `cmd` (a regex). */
async function untilRunning(cmd: string, n: number): Promise<void> {
  const end = Date.now() + 30000;
  while (Date.now() < end) {
    const c = spawnSync('sh', ['-c', `pgrep -f "^${cmd}$" | wc -l`], { encoding: 'utf8' }).stdout.trim();
    if (Number(c) >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test('signals sent to tsvisor reach the guest; nothing is left behind', async (t) => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [CLI, 'run', '--', 'sh', '-c', `trap 'echo got TERM; exit 3' TERM; sleep 1000 & wait`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  // The trap is set once the background sleep runs (a fixed wait was too short on a loaded machine).
  await untilRunning('sleep 1000', 1);
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  t.equal(code, 3, 'the guest handled SIGTERM and its status is ours');
  t.equal(out, 'got TERM\n');
  // The background sleep was in the sandbox: when init exits, everything goes.
  const ps = spawnSync('sh', ['-c', 'pgrep -f "^sleep 1000$" | wc -l'], { encoding: 'utf8' });
  t.equal(ps.stdout.trim(), '0', 'no sleep left on the host');
  t.end();
});

t.test('when tsvisor itself is killed, its guests die with it', async (t) => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [CLI, 'run', '--', 'sh', '-c', 'sleep 997 & sleep 998'], { stdio: 'ignore' });
  await untilRunning('sleep 99[78]', 2);
  const before = spawnSync('sh', ['-c', 'pgrep -f "^sleep 99[78]$" | wc -l'], { encoding: 'utf8' }).stdout.trim();
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  await new Promise((r) => setTimeout(r, 300));
  const after = spawnSync('sh', ['-c', 'pgrep -f "^sleep 99[78]$" | wc -l'], { encoding: 'utf8' }).stdout.trim();
  t.equal(before, '2', 'both sleeps were running');
  t.equal(after, '0', 'none survived tsvisor');
  t.end();
});
