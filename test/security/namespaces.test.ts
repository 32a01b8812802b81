// Defence in depth, seen from the host: a guest's host process lives in user,
// mount, ipc, uts, net and pid namespaces of its own, and its root is empty (a
// call that slipped past the filter finds no host files, no host network,
// no host privilege, no host process). Checked from outside, through /proc of
// the guests' host processes, while the guests sleep.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Sandbox } from '../../src/index.js';

const KINDS = ['user', 'mnt', 'ipc', 'uts', 'net', 'pid'];

/** The NSpid line of a host process: its pid in each pid namespace, outermost first. */
function nspid(pid: number): number[] {
  const m = /^NSpid:\s*(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? m[1]!.trim().split(/\s+/).map(Number) : [];
}

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
  namespaces: string[];
  code: number;
  /** A process `exec` started later: same namespaces as init, and its root. */
  execSameNs: Record<string, boolean> | null;
  execRoot: string[] | null;
  /** NSpid of init, of a child it forked, of the exec'd process, of the pid namespace's holder. */
  initNspid: number[];
  childNspid: number[];
  childSamePidNs: boolean;
  execNspid: number[];
  holderNspid: number[];
  holderComm: string;
  /** A process in the guests' user and pid namespaces: what kill(pid, 0) says of init's inner pid and of a host process. */
  inside: { init: string; host: string } | null;
  /** Host children of ours left when the run ended. */
  leftover: number[];
}

async function guestWhileRunning(namespaces: boolean): Promise<Seen> {
  const before = new Set(children());
  const dir = mkdtempSync(join(tmpdir(), 'tsv-ns-'));
  const out = join(dir, 'out');
  const io = [openSync('/dev/null', 'r'), openSync(out, 'w'), openSync('/dev/null', 'w')] as [number, number, number];
  const sb = new Sandbox({ stdio: io, namespaces });
  // The guest forks a child that sleeps, uses its files (the sentry's view,
  // whatever the host process's root is), says so, and sleeps in the same
  // process until it is killed.
  const done = sb.run(['/bin/sh', '-c', 'sleep 60 & echo x > /tmp/f && cat /tmp/f && exec sleep 60']);
  let pid = 0;
  let child = 0;
  for (let i = 0; i < 1000 && !pid; i++) {
    await new Promise((r) => setTimeout(r, 20));
    if (readFileSync(out, 'utf8') !== 'x\n') continue;
    const [init, forked] = sb.hostPids();
    if (init && forked) (pid = init), (child = forked);
  }
  // Our other new child, if any, is the pid namespace's holder.
  const holder = children().find((p) => !before.has(p) && !sb.hostPids().includes(p)) ?? 0;
  const ns: Record<string, boolean> = {};
  let rootEntries: string[] | null = null;
  let execSameNs: Record<string, boolean> | null = null;
  let execRoot: string[] | null = null;
  let execNspid: number[] = [];
  let inside: Seen['inside'] = null;
  const initNspid = pid ? nspid(pid) : [];
  const childNspid = child ? nspid(child) : [];
  const childSamePidNs = child > 0 && readlinkSync(`/proc/${child}/ns/pid`) === readlinkSync(`/proc/${pid}/ns/pid`);
  const holderNspid = holder ? nspid(holder) : [];
  const holderComm = holder ? readFileSync(`/proc/${holder}/comm`, 'utf8').trim() : '';
  if (pid) {
    for (const k of KINDS) ns[k] = readlinkSync(`/proc/${pid}/ns/${k}`) !== readlinkSync(`/proc/self/ns/${k}`);
    rootEntries = readdirSync(`/proc/${pid}/root`);
    if (namespaces && existsSync('/usr/bin/nsenter')) inside = await killFromInside(pid, initNspid.at(-1) ?? 0);
    const x = sb.exec(['/bin/sleep', '60'], { stdio: io });
    if ('hostPid' in x) {
      // The new process joins them before its first exec (the call returns
      // once it exists): wait for it to be past that point.
      const same = (k: string): boolean => readlinkSync(`/proc/${x.hostPid}/ns/${k}`) === readlinkSync(`/proc/${pid}/ns/${k}`);
      for (let i = 0; i < 500 && !KINDS.every(same); i++) await new Promise((r) => setTimeout(r, 10));
      execSameNs = {};
      for (const k of KINDS) execSameNs[k] = readlinkSync(`/proc/${x.hostPid}/ns/${k}`) === readlinkSync(`/proc/${pid}/ns/${k}`);
      execRoot = readdirSync(`/proc/${x.hostPid}/root`);
      execNspid = nspid(x.hostPid);
      x.signal(9);
      await x.exit;
    }
  }
  sb.signal(9);
  const r = await done;
  const leftover = children().filter((p) => !before.has(p));
  for (const fd of io) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return {
    ns,
    rootEntries,
    namespaced: sb.namespaced,
    namespaces: sb.namespaces,
    code: r.code,
    execSameNs,
    execRoot,
    initNspid,
    childNspid,
    childSamePidNs,
    execNspid,
    holderNspid,
    holderComm,
    inside,
    leftover,
  };
}

/**
 * What a system call that slipped past the filter could reach: a process
 * that joined the guests' user and pid namespaces (nsenter, from the host)
 * asks kill(pid, 0) about init's pid in there and about a host process of
 * ours outside the sandbox (a sleep whose host pid we know).
 */
async function killFromInside(initHostPid: number, initInnerPid: number): Promise<{ init: string; host: string }> {
  const host = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    // Only the user and pid namespaces are joined: the mount one has an empty
    // root, with no shell to run.
    const probe = (target: number): string => {
      const args = ['-t', String(initHostPid), '-U', '-p', '--preserve-credentials', '--', '/bin/sh', '-c', `kill -0 ${target} 2>&1; echo "status $?"`];
      const r = spawnSync('nsenter', args, { encoding: 'utf8' });
      return `${r.stdout}${r.stderr}`.trim();
    };
    return { init: probe(initInnerPid), host: probe(host.pid!) };
  } finally {
    host.kill('SIGKILL');
    await new Promise((r) => host.once('exit', r));
  }
}

t.test('guests get namespaces of their own and an empty root', async (t) => {
  const g = await guestWhileRunning(true);
  t.ok(g.rootEntries, 'found the guest host process');
  t.same(g.ns, Object.fromEntries(KINDS.map((k) => [k, true])), 'user, mnt, ipc, uts, net and pid namespaces differ from ours');
  t.same(g.rootEntries, [], 'its root directory is empty');
  t.equal(g.namespaced, true, 'Sandbox.namespaced says so');
  t.same(g.namespaces, KINDS, 'Sandbox.namespaces lists them');
  t.same(g.execSameNs, Object.fromEntries(KINDS.map((k) => [k, true])), 'a process exec started later joins init\'s namespaces');
  t.same(g.execRoot, [], 'and its root is the empty one');
  // The pid namespace: pid 1 is a holder (a host child of ours, not a guest),
  // init is pid 2, and every guest process is in there with it.
  t.equal(g.holderNspid.length, 2, 'the holder has a pid in two namespaces');
  t.equal(g.holderNspid[1], 1, 'it is pid 1 of the guests\' pid namespace');
  t.equal(g.holderComm, 'tsvisor-pidns', 'and runs the loader\'s hold mode (no copy of the sentry)');
  t.equal(g.initNspid.length, 2, 'init has a pid in two namespaces');
  t.equal(g.initNspid[1], 2, 'pid 2 in the guests\' one');
  t.equal(g.childNspid.length, 2, 'a child init forked: two levels');
  t.ok(g.childSamePidNs, 'in the same pid namespace as init');
  t.ok((g.childNspid[1] ?? 0) > 2, 'with a pid of its own there');
  t.equal(g.execNspid.length, 2, 'the exec\'d process is in the pid namespace too');
  t.ok((g.execNspid[1] ?? 0) > 2, 'with a pid of its own there');
  if (g.inside) {
    t.match(g.inside.init, /status 0/, 'from inside the namespaces, init\'s inner pid answers kill(pid, 0)');
    t.match(g.inside.host, /status 1/, 'a host process\'s pid does not');
    t.match(g.inside.host, /No such process/i, 'ESRCH');
  } else {
    t.comment('nsenter not found: the inside view is not checked');
  }
  t.same(g.leftover, [], 'when the run ended no process of it is left (the holder neither)');
});

t.test('namespaces: false keeps the host namespaces (and says so)', async (t) => {
  const g = await guestWhileRunning(false);
  t.ok(g.rootEntries, 'found the guest host process');
  t.same(g.ns, Object.fromEntries(KINDS.map((k) => [k, false])), 'same namespaces as ours');
  t.ok(g.rootEntries!.length > 0, 'the host root');
  t.equal(g.namespaced, false);
  t.same(g.namespaces, []);
  t.same(g.initNspid, g.initNspid.slice(0, 1), 'init has one pid: the host\'s');
  t.same(g.holderNspid, [], 'no holder');
  t.same(g.execSameNs, Object.fromEntries(KINDS.map((k) => [k, true])), 'exec: the same (host) namespaces');
  t.same(g.leftover, []);
});
