// The README's promises, through the real CLI: the four examples,
// exit statuses, --strace, tsvisor syscalls, and the same as an
// unprivileged host user.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI, compileSource, ISOLATIONS, ROOT, runTsvisor } from '../lib/guest.js';

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

t.test('killed by a signal: 128 + N, as a shell reports it', async (t) => {
  // Signals to tsvisor go to the sandbox's init, as from outside its pid
  // namespace (from inside, init would ignore them).
  const child = spawn(process.execPath, [CLI, 'run', '--', 'sh', '-c', 'echo ready; sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('ready')) child.kill('SIGTERM');
  });
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  t.equal(code, 143);
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

/** Host processes whose command line matches `re` (pgrep -f). */
function count(re: string): number {
  return Number(spawnSync('sh', ['-c', `pgrep -f "${re}" | wc -l`], { encoding: 'utf8' }).stdout.trim());
}

/** Waits (up to 15 s) until `cond` holds: a fixed delay is too short on a loaded machine. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 150 && !cond(); i++) await new Promise((r) => setTimeout(r, 100));
}

t.test('signals sent to tsvisor reach the guest; nothing is left behind', async (t) => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [CLI, 'run', '--', 'sh', '-c', `trap 'echo got TERM; exit 3' TERM; sleep 1000 & wait`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  // The trap is set once the sleep runs (on a loaded machine that takes a while).
  await until(() => count('^sleep 1000$') >= 1);
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
  const count = () => spawnSync('sh', ['-c', 'pgrep -f "^sleep 99[78]$" | wc -l'], { encoding: 'utf8' }).stdout.trim();
  let before = count();
  for (let i = 0; i < 600 && before !== '2'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    before = count();
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  // Death is immediate (PTRACE_O_EXITKILL); the loop only absorbs a busy machine.
  let after = count();
  for (let i = 0; i < 200 && after !== '0'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    after = count();
  }
  t.equal(before, '2', 'both sleeps were running');
  t.equal(after, '0', 'none survived tsvisor');
  t.end();
});

t.test("tsvisor's own output never makes the guest's shared stdout non-blocking", (t) => {
  // stdout and stderr are one pipe whose reader starts late: the guest's
  // writes must block until it reads, not fail with EAGAIN, while --strace
  // writes to the same pipe.
  const r = spawnSync(
    'sh',
    ['-c', `"${process.execPath}" "${CLI}" run --strace -- head -c 300000 /dev/zero 2>&1 | (sleep 1; tr -d -c '\\000' | wc -c)`],
    { encoding: 'utf8', timeout: 60000 },
  );
  t.equal(r.stdout.trim(), '300000');
  t.end();
});

// Fills stdout while nobody reads it, says so on stderr, then writes 1 MiB
// more in one call: on a blocking fd that call waits for the reader and
// writes it all; on a non-blocking one it comes back short (or EAGAIN).
const STDOUT_FILLER = `
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static char buf[1 << 20];
int main(void) {
  memset(buf, 'x', sizeof buf);
  dprintf(2, "nonblock: %d\\n", (fcntl(1, F_GETFL) & O_NONBLOCK) != 0);
  struct pollfd p = {.fd = 1, .events = POLLOUT};
  while (poll(&p, 1, 0) == 1 && p.revents & POLLOUT)
    if (write(1, buf, 4096) != 4096) return dprintf(2, "filling: %s\\n", strerrorname_np(errno)), 1;
  dprintf(2, "full\\n");
  ssize_t n = write(1, buf, sizeof buf);
  dprintf(2, "write: %s\\n", n == sizeof buf ? "all" : n < 0 ? strerrorname_np(errno) : "short");
  return 0;
}
`;

t.test('stdio Node made non-blocking is blocking for the guest', async (t) => {
  // A module.register() hooks thread (tap and ts-node start one through
  // NODE_OPTIONS) makes Node turn its stdio into streams at startup, which
  // sets O_NONBLOCK on the socket a parent gives as stdout: a description the
  // guest shares. Its writes failed with EAGAIN while the reader lagged, and
  // stdio dropped whole lines.
  const bin = compileSource('stdout_filler', STDOUT_FILLER);
  const dir = mkdtempSync(join(tmpdir(), 'tsv-hooks-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, `import { register } from 'node:module';\nregister('data:text/javascript,export async function resolve(s, c, n) { return n(s, c); }');\n`);
  for (const iso of ISOLATIONS) {
    const child = spawn(process.execPath, [CLI, 'run', '--isolation', iso, '--', bin], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: `--import=${hooks}` },
    });
    // stdout is read only once the guest filled it.
    child.stdout.pause();
    let bytes = 0;
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('full\n') && child.stdout.isPaused()) {
        child.stdout.on('data', (b: Buffer) => (bytes += b.length));
        child.stdout.resume();
      }
    });
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    t.equal(code, 0, `${iso}: exit status`);
    t.match(err, /^nonblock: 0\nfull\nwrite: all\n$/, `${iso}: the guest's stdout blocks`);
    t.ok(bytes >= 1 << 20, `${iso}: the reader got everything (${bytes} bytes)`);
  }
});
