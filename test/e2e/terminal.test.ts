// `tsvisor run -t`: an interactive bash driven through tmux, as a person at a
// terminal would (keys in, screen out): its terminal, window size, Ctrl-C,
// Ctrl-Z and fg, its exit status, and the host terminal left as it was. Then
// the terminal without a host terminal (pipes), and terminals a guest makes.
// Screens are polled against a deadline; nothing depends on timing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI, runTsvisor } from '../lib/guest.js';

const haveTmux = spawnSync('tmux', ['-V']).status === 0;
const DEADLINE_MS = 30000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One tmux server of our own (its own socket), one 80x24 window. */
class Tmux {
  readonly sock: string;

  constructor(tag: string) {
    this.sock = `tsvisor-test-${process.pid}-${tag}`;
  }

  tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.sock, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  start(command: string): void {
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '80', '-y', '24', command);
  }

  keys(...k: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...k);
  }

  /** The screen and its scrollback. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main', '-S', '-1000');
  }

  async waitFor(re: RegExp, what: string): Promise<string> {
    const end = Date.now() + DEADLINE_MS;
    let s = '';
    while (Date.now() < end) {
      s = this.screen();
      if (re.test(s)) return s;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.sock, 'kill-server']);
  }
}

/** The host state letter of the one process whose command line is exactly `cmd` ('' when there is none). */
function hostState(cmd: string): string {
  const r = spawnSync('pgrep', ['-f', `^${cmd}$`], { encoding: 'utf8' });
  const pid = r.stdout.trim().split('\n')[0];
  if (!pid) return '';
  try {
    return readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /, '')[0] ?? '';
  } catch {
    return '';
  }
}

async function waitState(want: (s: string) => boolean, cmd: string, what: string): Promise<void> {
  const end = Date.now() + DEADLINE_MS;
  while (Date.now() < end) {
    if (want(hostState(cmd))) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what} (state ${hostState(cmd) || 'gone'})`);
}

for (const iso of ['balanced', 'strict']) {
  t.test(`interactive bash in tmux (${iso}): tty, window size, Ctrl-C, Ctrl-Z, fg, exit status, terminal restored`, { skip: !haveTmux && 'tmux is not installed' }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvisor-term-'));
    const tm = new Tmux(iso);
    t.teardown(() => {
      tm.kill();
      rmSync(dir, { recursive: true, force: true });
    });
    // A sleep no other test runs, so the host process is ours to look at.
    const nap = `sleep ${40000 + (process.pid % 9999)}${iso === 'strict' ? 1 : 2}`;
    writeFileSync(
      join(dir, 'run.sh'),
      [
        `stty -a > ${dir}/before`,
        `'${process.execPath}' '${CLI}' run -t --isolation ${iso} --env 'PS1=tsv$ ' -- bash --norc`,
        `echo $? > ${dir}/status`,
        `stty -a > ${dir}/after`,
        // Keeps the window open; a command line no other test looks for.
        'exec sleep 86399',
        '',
      ].join('\n'),
    );
    tm.start(`sh ${dir}/run.sh`);
    await tm.waitFor(/^tsv\$$/m, 'the prompt');

    tm.keys('tty', 'Enter');
    let s = await tm.waitFor(/^\/dev\/pts\/\d+$/m, 'tty');
    t.match(s, /^\/dev\/pts\/0$/m, 'the console is the sandbox\'s first terminal');

    tm.keys('stty size', 'Enter');
    await tm.waitFor(/^24 80$/m, 'stty size');
    t.pass('stty size: 24 80');

    tm.tmux('resize-window', '-t', 'main', '-x', '100', '-y', '30');
    // The new size travels as SIGWINCH to tsvisor, then to the guest: ask until it is there.
    const end = Date.now() + DEADLINE_MS;
    while (!/^30 100$/m.test(tm.screen()) && Date.now() < end) {
      tm.keys('stty size', 'Enter');
      await tm.waitFor(/^tsv\$$/m, 'the prompt');
      await sleep(200);
    }
    t.match(tm.screen(), /^30 100$/m, 'stty size follows tmux resize-window');

    // Ctrl-C: the subshell prints its marker once it owns the terminal, then becomes the sleep.
    tm.keys(`(echo sleeping-$((6*7)); exec ${nap})`, 'Enter');
    await tm.waitFor(/^sleeping-42$/m, 'the job to start');
    await waitState((st) => st === 'S', nap, 'the sleep to run');
    tm.keys('C-c');
    await waitState((st) => st === '', nap, 'the sleep to end');
    tm.keys('echo rc=$?-$((1+1))', 'Enter');
    s = await tm.waitFor(/^rc=\d+-2$/m, 'the shell after Ctrl-C');
    t.match(s, /^\^C$/m, 'the terminal echoes ^C');
    t.match(s, /^rc=130-2$/m, 'Ctrl-C interrupted the sleep (130) and the shell survived');

    // Ctrl-Z, jobs, fg, Ctrl-C.
    tm.keys(`(echo napping-$((6*7)); exec ${nap})`, 'Enter');
    await tm.waitFor(/^napping-42$/m, 'the job to start');
    await waitState((st) => st === 'S', nap, 'the sleep to run');
    tm.keys('C-z');
    s = await tm.waitFor(/^\[1\]\+\s+Stopped\s/m, 'the stopped job');
    t.match(hostState(nap), /^[Tt]$/, 'the job is stopped (t: a stop seen by the tracer)');
    tm.keys('jobs', 'Enter');
    s = await tm.waitFor(/tsv\$ jobs\n\[1\]\+\s+Stopped/m, 'jobs');
    t.pass('jobs lists the stopped job');
    tm.keys('fg', 'Enter');
    await waitState((st) => st === 'S' || st === 'R', nap, 'fg to continue the job');
    t.pass('fg resumed it');
    tm.keys('C-c');
    await waitState((st) => st === '', nap, 'the sleep to end');
    tm.keys('echo fg=$?-$((2+2))', 'Enter');
    s = await tm.waitFor(/^fg=\d+-4$/m, 'the shell after fg and Ctrl-C');
    t.match(s, /^fg=130-4$/m, 'Ctrl-C ended the resumed job');

    if (iso === 'strict') {
      // Reads and writes reach the sentry: a background reader stops (SIGTTIN) as on Linux.
      tm.keys('cat &', 'Enter');
      const endBg = Date.now() + DEADLINE_MS;
      while (!/Stopped \(tty input\)\s+cat/.test(tm.screen()) && Date.now() < endBg) {
        tm.keys('jobs -l', 'Enter');
        await tm.waitFor(/^tsv\$$/m, 'the prompt');
        await sleep(200);
      }
      t.match(tm.screen(), /Stopped \(tty input\)\s+cat/, 'a background read of the terminal stops the job with SIGTTIN');
      // Reaped before exit, or bash refuses to exit with a stopped job.
      tm.keys('kill -9 %1; wait %1; echo killed-$((3+3))', 'Enter');
      await tm.waitFor(/^killed-6$/m, 'the background job to go');
    }

    tm.keys('exit 3', 'Enter');
    const endExit = Date.now() + DEADLINE_MS;
    while (!existsSync(join(dir, 'after')) && Date.now() < endExit) await sleep(100);
    await sleep(100);
    t.equal(readFileSync(join(dir, 'status'), 'utf8').trim(), '3', 'tsvisor exits with the shell\'s status');
    // The window size changed on purpose (resize-window above); everything else must be as it was.
    const settings = (f: string) => readFileSync(join(dir, f), 'utf8').replace(/rows \d+; columns \d+;/, 'SIZE;');
    t.equal(settings('after'), settings('before'), 'stty -a is the same before and after');
  });
}

t.test('-t without a host terminal: input and output through pipes', (t) => {
  const r = runTsvisor(['bash', '--norc'], ['-t', '--env', 'PS1=$ '], { input: 'tty; echo $((40+2))\nexit 4\n' });
  t.equal(r.code, 4);
  t.match(r.stdout, /\/dev\/pts\/0\r\n42\r\n/, 'the guest\'s output, as a terminal emits it');
  t.end();
});

t.test('-it: the end of stdin is the end of the guest\'s input', (t) => {
  const r = runTsvisor(['cat'], ['-it'], { input: 'one\ntwo\n' });
  t.equal(r.code, 0, 'cat saw end-of-file and ended');
  // The terminal's echo and cat's copy interleave as they will.
  t.same(r.stdout.split('\r\n').sort(), ['', 'one', 'one', 'two', 'two'], 'echo of the input and cat\'s copy');
  t.end();
});

t.test('the controlling terminal and /dev/tty', (t) => {
  const cmd = 'test -t 0 && echo tty0; echo hi > /dev/tty; ls -1 /dev/pts; readlink /proc/self/fd/0';
  const r = runTsvisor(['sh', '-c', cmd], ['-t']);
  t.equal(r.code, 0);
  t.equal(r.stdout, 'tty0\r\nhi\r\n0\r\nptmx\r\n/dev/pts/0\r\n');
  const n = runTsvisor(['sh', '-c', 'echo x > /dev/tty; echo $?'], []);
  t.match(n.stderr, /No such device or address/, 'without -t there is no controlling terminal: ENXIO, as on Linux');
  t.end();
});

t.test('a terminal the guest makes (pty.fork): session leader and foreground, VINTR raises SIGINT, the master reads EIO at the end', (t) => {
  const prog = [
    'import os, pty, signal, sys, termios',
    'pid, fd = pty.fork()',
    'if pid == 0:',
    '    signal.signal(signal.SIGINT, lambda *a: (os.write(1, b"got SIGINT\\n"), os._exit(7)))',
    '    print(os.ttyname(0), os.getpgrp() == os.tcgetpgrp(0), os.getsid(0) == os.getpid())',
    '    sys.stdout.flush()',
    '    sys.stdin.readline()',
    '    os._exit(1)',
    'out = b""',
    'while b"True" not in out: out += os.read(fd, 1000)',
    'os.write(fd, bytes([termios.tcgetattr(fd)[6][termios.VINTR][0]]))',
    'while True:',
    '    try: d = os.read(fd, 1000)',
    '    except OSError as e: print("read error", e.errno); break',
    '    if not d: print("eof"); break',
    '    out += d',
    'print(out.decode().replace("\\r", "").strip().replace("/dev/pts/", "PTS"))',
    'print(os.waitpid(pid, 0)[1] >> 8)',
  ].join('\n');
  // Not compared with a native run: on Linux the signal is sent before the
  // queues are flushed, so a handler that writes at once can lose its output
  // to that flush (seen on a loaded machine). The sentry flushes first.
  const r = runTsvisor(['python3', '-c', prog]);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stdout, 'read error 5\nPTS0 True True\n^Cgot SIGINT\n7\n', 'the guest\'s first terminal is /dev/pts/0');
  t.end();
});

t.test('Sandbox API: the guest sees and sets its own ISIG; the sentry acts on it', async (t) => {
  const prog = [
    'import os, signal, sys, termios',
    'signal.signal(signal.SIGINT, lambda *a: (os.write(1, b"SIGINT\\n"), os._exit(9)))',
    'a = termios.tcgetattr(0)',
    'print("isig" if a[3] & termios.ISIG else "noisig")',
    'a[3] &= ~termios.ISIG',
    'termios.tcsetattr(0, termios.TCSANOW, a)',
    'print("ready1", "isig" if termios.tcgetattr(0)[3] & termios.ISIG else "noisig", flush=True)',
    'print(repr(sys.stdin.readline()), flush=True)',
    'a[3] |= termios.ISIG',
    'termios.tcsetattr(0, termios.TCSADRAIN, a)',
    'print("ready2", flush=True)',
    'signal.pause()',
  ].join('\n');
  let out = '';
  const waiters: (() => void)[] = [];
  const { Sandbox } = await import('../../src/index.js');
  const sb = new Sandbox({ tty: { output: (b) => { out += b.toString('latin1'); waiters.splice(0).forEach((w) => w()); }, rows: 10, cols: 40 } });
  const until = (s: string) =>
    new Promise<void>((resolve, reject) => {
      const end = Date.now() + DEADLINE_MS;
      const check = () => (out.includes(s) ? resolve() : Date.now() > end ? reject(new Error(`no "${s}" in ${JSON.stringify(out)}`)) : waiters.push(check));
      check();
    });
  const running = sb.run(['python3', '-c', prog]);
  const con = sb.console!;
  t.ok(con, 'the console exists once run() was called');
  await until('ready1');
  t.match(out, /^isig\r\nready1 noisig\r\n/, 'a new terminal has ISIG; the guest turns it off and reads it back off');
  con.write(Buffer.from('x\x03y\n'));
  await until("'x\\x03y\\n'");
  t.pass('with ISIG off ^C is an ordinary byte');
  await until('ready2');
  con.write(Buffer.from('\x03'));
  await until('SIGINT');
  const r = await running;
  t.equal(r.code, 9, 'with ISIG on again, ^C raised SIGINT in the foreground group');
  t.equal(sb.console, null, 'the console is gone with the sandbox');
});

t.test('a sandbox has at most 256 terminals at once; /dev/pts lists them, not the host\'s', (t) => {
  const prog = [
    'import os',
    'fds = []',
    'try:',
    '    while len(fds) < 1000: fds.append(os.open("/dev/ptmx", os.O_RDWR | os.O_NOCTTY))',
    'except OSError as e: print(len(fds), e.strerror)',
    'print(len(os.listdir("/dev/pts")))',
    'os.close(fds.pop())',
    'os.close(fds.pop(0))',
    'fds.append(os.open("/dev/ptmx", os.O_RDWR | os.O_NOCTTY))',
    'import fcntl, struct',
    'print(struct.unpack("I", fcntl.ioctl(fds[-1], 0x80045430, b"0000"))[0])',
  ].join('\n');
  const r = runTsvisor(['python3', '-c', prog]);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stdout, '256 No space left on device\n257\n0\n', '256 and ENOSPC; 256 entries and ptmx; the lowest free number is reused');
  t.end();
});
