// Defence in depth, seen from the host: a guest's host process lives in user,
// mount, ipc, uts and net namespaces of its own, and its root is empty (a
// call that slipped past the filter finds no host files, no host network,
// no host privilege). Checked from outside, through /proc of the guest's
// host process, while the guest sleeps.
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Sandbox } from '../../src/index.js';

const KINDS = ['user', 'mnt', 'ipc', 'uts', 'net'];

/** Host pids of our children (the guests are children of the tracer thread, so of this process). */
function children(): number[] {
  const out: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      for (const p of readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim().split(/\s+/)) if (p) out.push(Number(p));
    } catch {
      // the thread ended
    }
  }
  return out;
}

interface Seen {
  ns: Record<string, boolean>;
  rootEntries: string[] | null;
  namespaced: boolean;
  code: number;
  /** A process `exec` started later: same namespaces as init, and its root. */
  execSameNs: Record<string, boolean> | null;
  execRoot: string[] | null;
}

async function guestWhileRunning(namespaces: boolean): Promise<Seen> {
  const before = new Set(children());
  const dir = mkdtempSync(join(tmpdir(), 'tsv-ns-'));
  const out = join(dir, 'out');
  const io = [openSync('/dev/null', 'r'), openSync(out, 'w'), openSync('/dev/null', 'w')] as [number, number, number];
  const sb = new Sandbox({ stdio: io, namespaces });
  // The guest uses its files (the sentry's view, whatever the host process's
  // root is), says so, and sleeps in the same process until it is killed.
  const done = sb.run(['/bin/sh', '-c', 'echo x > /tmp/f && cat /tmp/f && exec sleep 60']);
  let pid = 0;
  for (let i = 0; i < 1000 && !pid; i++) {
    await new Promise((r) => setTimeout(r, 20));
    if (readFileSync(out, 'utf8') !== 'x\n') continue;
    pid = children().find((p) => !before.has(p)) ?? 0;
  }
  const ns: Record<string, boolean> = {};
  let rootEntries: string[] | null = null;
  let execSameNs: Record<string, boolean> | null = null;
  let execRoot: string[] | null = null;
  if (pid) {
    for (const k of KINDS) ns[k] = readlinkSync(`/proc/${pid}/ns/${k}`) !== readlinkSync(`/proc/self/ns/${k}`);
    rootEntries = readdirSync(`/proc/${pid}/root`);
    const x = sb.exec(['/bin/sleep', '60'], { stdio: io });
    if ('hostPid' in x) {
      // The new process joins them before its first exec (the call returns
      // once it exists): wait for it to be past that point.
      const same = (k: string): boolean => readlinkSync(`/proc/${x.hostPid}/ns/${k}`) === readlinkSync(`/proc/${pid}/ns/${k}`);
      for (let i = 0; i < 500 && !KINDS.every(same); i++) await new Promise((r) => setTimeout(r, 10));
      execSameNs = {};
      for (const k of KINDS) execSameNs[k] = readlinkSync(`/proc/${x.hostPid}/ns/${k}`) === readlinkSync(`/proc/${pid}/ns/${k}`);
      execRoot = readdirSync(`/proc/${x.hostPid}/root`);
      x.signal(9);
      await x.exit;
    }
  }
  sb.signal(9);
  const r = await done;
  for (const fd of io) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return { ns, rootEntries, namespaced: sb.namespaced, code: r.code, execSameNs, execRoot };
}

t.test('guests get namespaces of their own and an empty root', async (t) => {
  const g = await guestWhileRunning(true);
  t.ok(g.rootEntries, 'found the guest host process');
  t.same(g.ns, Object.fromEntries(KINDS.map((k) => [k, true])), 'user, mnt, ipc, uts and net namespaces differ from ours');
  t.same(g.rootEntries, [], 'its root directory is empty');
  t.equal(g.namespaced, true, 'Sandbox.namespaced says so');
  t.same(g.execSameNs, Object.fromEntries(KINDS.map((k) => [k, true])), 'a process exec started later joins init\'s namespaces');
  t.same(g.execRoot, [], 'and its root is the empty one');
});

t.test('namespaces: false keeps the host namespaces (and says so)', async (t) => {
  const g = await guestWhileRunning(false);
  t.ok(g.rootEntries, 'found the guest host process');
  t.same(g.ns, Object.fromEntries(KINDS.map((k) => [k, false])), 'same namespaces as ours');
  t.ok(g.rootEntries!.length > 0, 'the host root');
  t.equal(g.namespaced, false);
  t.same(g.execSameNs, Object.fromEntries(KINDS.map((k) => [k, true])), 'exec: the same (host) namespaces');
});
