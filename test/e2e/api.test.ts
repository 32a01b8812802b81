// The Sandbox API in-process: output through host fds we hand it, exit
// statuses, options, per-syscall stats and the unsupported-call report.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Sandbox } from '../../src/index.js';

function capture(): { fds: [number, number, number]; out: () => string; err: () => string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tsv-api-'));
  const inFd = openSync('/dev/null', 'r');
  const outFd = openSync(join(dir, 'out'), 'w');
  const errFd = openSync(join(dir, 'err'), 'w');
  return {
    fds: [inFd, outFd, errFd],
    out: () => readFileSync(join(dir, 'out'), 'latin1'),
    err: () => readFileSync(join(dir, 'err'), 'latin1'),
    done: () => {
      for (const fd of [inFd, outFd, errFd]) closeSync(fd);
      rmSync(dir, { recursive: true });
    },
  };
}

t.test('runs a command and reports its exit status', async (t) => {
  const io = capture();
  const sb = new Sandbox({ stdio: io.fds, env: { X: 'y' }, cwd: '/etc', hostname: 'api' });
  const r = await sb.run(['/bin/sh', '-c', 'echo $X $(pwd) $(hostname); echo err >&2; exit 4']);
  t.equal(r.code, 4);
  t.equal(r.signal, 0);
  t.equal(io.out(), 'y /etc api\n');
  t.equal(io.err(), 'err\n');
  io.done();
});

t.test('a guest killed from outside reports the signal', async (t) => {
  const io = capture();
  const sb = new Sandbox({ stdio: io.fds });
  const done = sb.run(['/bin/sh', '-c', 'echo ready; sleep 60']);
  while (!io.out().includes('ready')) await new Promise((r) => setTimeout(r, 20));
  sb.signal(9);
  const r = await done;
  t.equal(r.signal, 9);
  t.equal(r.code, 137);
  io.done();
});

t.test('init ignores default-action signals sent from inside, as in a pid namespace', async (t) => {
  const io = capture();
  const r = await new Sandbox({ stdio: io.fds }).run(['/bin/sh', '-c', 'kill -KILL $$; kill -TERM $$; echo alive']);
  t.equal(r.code, 0);
  t.equal(io.out(), 'alive\n');
  io.done();
});

t.test('a command that does not exist', async (t) => {
  const io = capture();
  const r = await new Sandbox({ stdio: io.fds }).run(['/nonexistent/program']);
  t.equal(r.code, 127);
  t.match(r.error, /No such file or directory/);
  io.done();
});

t.test('stats count traps per syscall; unsupported calls are reported', async (t) => {
  const io = capture();
  const sb = new Sandbox({ stdio: io.fds, stats: true });
  const r = await sb.run(['/bin/sh', '-c', 'cat /etc/hostname > /dev/null; echo done']);
  t.equal(r.code, 0);
  const rows = sb.stats();
  const openat = rows.find((x) => x.name === 'openat');
  t.ok(openat && openat.count >= 1, 'openat was counted');
  t.ok(rows.every((x) => x.count > 0 && x.totalMs >= 0));
  t.ok(Array.isArray(sb.unsupported()));
  io.done();
});

t.test('two sandboxes in one process do not share files or pids', async (t) => {
  const a = capture();
  const b = capture();
  const [ra, rb] = await Promise.all([
    new Sandbox({ stdio: a.fds }).run(['/bin/sh', '-c', 'echo a > /tmp/mine; sleep 0.2; cat /tmp/mine; echo $$']),
    new Sandbox({ stdio: b.fds }).run(['/bin/sh', '-c', 'sleep 0.1; cat /tmp/mine 2>/dev/null || echo none; echo $$']),
  ]);
  t.equal(ra.code, 0);
  t.equal(rb.code, 0);
  t.equal(a.out(), 'a\n1\n');
  t.equal(b.out(), 'none\n1\n');
  a.done();
  b.done();
});

t.test('mounts through the API: binds, tmpfs, a setup error names the mount', async (t) => {
  const { MountSetupError } = await import('../../src/index.js');
  const io = capture();
  const dir = mkdtempSync(join(tmpdir(), 'tsv-api-bind-'));
  const sb = new Sandbox({
    stdio: io.fds,
    mounts: [
      { type: 'bind', source: dir, target: '/work/out' },
      { type: 'bind', source: '/etc', target: '/work/etc', readOnly: true },
      { type: 'tmpfs', target: '/work/scratch', size: 1 << 20, mode: 0o700 },
    ],
  });
  const r = await sb.run(['/bin/sh', '-c', 'echo made > /work/out/f; touch /work/etc/x 2>&1 | grep -c Read-only; stat -c %a /work/scratch']);
  t.equal(r.code, 0);
  t.equal(io.out(), '1\n700\n');
  t.equal(readFileSync(join(dir, 'f'), 'latin1'), 'made\n');
  io.done();
  rmSync(dir, { recursive: true });
  const spec = { type: 'tmpfs' as const, target: '/proc/nowhere' };
  let err: unknown = null;
  try {
    new Sandbox({ mounts: [spec] });
  } catch (e) {
    err = e;
  }
  t.ok(err instanceof MountSetupError && err.spec === spec, 'the error says which mount');
  t.match(String(err), /cannot create the mount point \/proc\/nowhere/);
});
