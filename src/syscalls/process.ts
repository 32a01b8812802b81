// Process identity and life: getpid/getppid/gettid, process groups and
// sessions, wait4/waitid, clone3, prctl, resource usage, scheduling of the
// caller. fork/clone/exec themselves are the tracer's (src/kernel/kernel.ts).
import { E } from '../abi/errno.js';
import {
  __WALL, __WCLONE, __WNOTHREAD, CLD_CONTINUED, CLD_DUMPED, CLD_EXITED, CLD_KILLED, CLD_STOPPED, P_ALL, P_PGID, P_PID,
  P_PIDFD, RLIMIT_NICE, WCONTINUED, WEXITED, WNOHANG, WNOWAIT, WSTOPPED, WUNTRACED,
} from '../abi/flags.js';
import { encodeRusage, encodeSigchldInfo, RUSAGE_SIZE, SIGINFO_SIZE } from '../abi/structs.js';
import { consume, findWaitable, type Waitable, type WaitSelector } from '../kernel/wait.js';
import type { ChildWaiter, Task, ThreadGroup } from '../kernel/task.js';
import type { NotifId, Usage } from '../platform/platform.js';
import { CONTINUE, DEFER, REPLIED } from '../platform/trap-abi.js';
import { CAP_SYS_NICE, CAP_SYS_RESOURCE } from '../vfs/creds.js';
import { getPriority, schedAffinity, setPriority } from '../platform/host.js';
import type { Call } from './call.js';
import type { SyscallFamily } from './types.js';

/** getpid(): the virtual tgid. */
function sysGetpid(c: Call): number {
  return c.task.group.tgid;
}

/** getppid(): 0 for init, as in a pid namespace. */
function sysGetppid(c: Call): number {
  return c.task.group.parent?.tgid ?? 0;
}

function sysGettid(c: Call): number {
  return c.task.tid;
}

function groupOf(c: Call, pid: number): ThreadGroup | number {
  if (pid === 0) return c.task.group;
  if (pid < 0) return -E.ESRCH;
  return c.kernel.processOf(pid) ?? -E.ESRCH;
}

function sysGetpgid(c: Call): number {
  const g = groupOf(c, c.int(0));
  return typeof g === 'number' ? g : g.pgid;
}

function sysGetsid(c: Call): number {
  const g = groupOf(c, c.int(0));
  return typeof g === 'number' ? g : g.sid;
}

/**
 * setpgid(pid, pgid): the caller or a child that has not exec'd, within one
 * session; checks in the order of kernel/sys.c (pgid defaults to pid before
 * it is checked, a thread that is not a leader is EINVAL).
 */
function sysSetpgid(c: Call): number {
  const self = c.task.group;
  const k = c.kernel;
  const pid = c.int(0) || self.tgid;
  const pgid = c.int(1) || pid;
  if (pgid < 0) return -E.EINVAL;
  const t = k.taskByTid(pid);
  if (t && t.tid !== t.group.tgid) return -E.EINVAL;
  const g = t ? t.group : k.groupByPid(pid);
  if (!g) return -E.ESRCH;
  if (g.parent === self) {
    if (g.sid !== self.sid) return -E.EPERM;
    if (g.didExec) return -E.EACCES;
  } else if (g !== self) {
    return -E.ESRCH;
  }
  if (g.sid === g.tgid) return -E.EPERM; // a session leader
  if (pgid !== g.tgid) {
    // The group must exist in our session; zombies still hold their group.
    let found = false;
    for (const o of k.pids.groups.values()) if (o.pgid === pgid && o.sid === self.sid) found = true;
    if (!found) return -E.EPERM;
  }
  g.pgid = pgid;
  return 0;
}

/** setsid(): EPERM while any process (zombies too) is in a group named by our pid. */
function sysSetsid(c: Call): number {
  const g = c.task.group;
  for (const o of c.kernel.pids.groups.values()) if (o.pgid === g.tgid) return -E.EPERM;
  g.sid = g.pgid = g.tgid;
  return g.sid;
}

// ---- wait ----

function addUsage(u: Usage, v: Usage): Usage {
  return { utimeUs: u.utimeUs + v.utimeUs, stimeUs: u.stimeUs + v.stimeUs, maxrssKb: Math.max(u.maxrssKb, v.maxrssKb) };
}

interface WaitCall {
  waitid: boolean;
  sel: WaitSelector;
  options: number;
  statusAddr: number;
  rusageAddr: number;
}

/** Writes what wait4/waitid return into guest memory; true when it could. */
function writeResult(c: Call, w: Waitable, wc: WaitCall): number {
  if (wc.rusageAddr) {
    const b = c.out(RUSAGE_SIZE);
    encodeRusage(b, addUsage(w.child.usage, w.child.childUsage));
    const r = c.write(wc.rusageAddr, b);
    if (r < 0) return r;
  }
  if (!wc.waitid) {
    if (wc.statusAddr) {
      const r = c.writeI32(wc.statusAddr, w.status);
      if (r < 0) return r;
    }
    return 0;
  }
  if (!wc.statusAddr) return 0;
  const st = w.status;
  let code: number;
  let status: number;
  if (w.what === 'stopped') (code = CLD_STOPPED), (status = (st >> 8) & 0xff);
  else if (w.what === 'continued') (code = CLD_CONTINUED), (status = 18);
  else if ((st & 0x7f) === 0) (code = CLD_EXITED), (status = (st >> 8) & 0xff);
  else (code = st & 0x80 ? CLD_DUMPED : CLD_KILLED), (status = st & 0x7f);
  const b = c.out(SIGINFO_SIZE);
  const u = w.child.usage;
  encodeSigchldInfo(b, code, w.child.tgid, w.child.creds.uid, status, Math.floor(u.utimeUs / 1e4), Math.floor(u.stimeUs / 1e4));
  return c.write(wc.statusAddr, b);
}

/**
 * One attempt: a result, ECHILD, 0 for WNOHANG with nothing to report, or
 * 'later'. The child is consumed only after the reply reached the guest: a
 * wait interrupted by a signal comes back under a new id and must find it.
 */
function tryWait(c: Call, wc: WaitCall, id: NotifId): number | 'later' {
  const w = findWaitable(c.task.group, wc.sel, wc.options);
  if (w === 'none') return -E.ECHILD;
  if (w === 'later') {
    if (!(wc.options & WNOHANG)) return 'later';
    if (wc.waitid && wc.statusAddr) {
      const z = c.out(SIGINFO_SIZE);
      const r = c.write(wc.statusAddr, z);
      if (r < 0) return r;
    }
    return 0;
  }
  const r = writeResult(c, w, wc);
  if (r < 0) return r;
  const ret = wc.waitid ? 0 : w.child.tgid;
  c.replied = ret;
  // Calls wait killably once received: a successful reply is a delivered one.
  if (c.pf.reply(id, ret) < 0) return REPLIED; // the guest died meanwhile
  if (consume(w, wc.options)) c.kernel.reap(w.child);
  return REPLIED;
}

function doWait(c: Call, wc: WaitCall): number {
  const id = c.id();
  const r = tryWait(c, wc, id);
  if (r !== 'later') return r;
  const task = c.task;
  const call = c;
  const waiter: ChildWaiter = {
    retry(): boolean {
      if (task.dead || !call.pf.idValid(id)) {
        call.kernel.finishDeferred(task);
        return true;
      }
      const saved = call.task;
      call.task = task;
      try {
        const res = tryWait(call, wc, id);
        if (res === 'later') return false;
        if (res !== REPLIED) call.pf.reply(id, res);
        call.kernel.finishDeferred(task, res === REPLIED ? call.replied : res);
        return true;
      } finally {
        call.task = saved;
      }
    },
  };
  task.group.waiters.add(waiter);
  c.kernel.deferCall(task, id, c.nr, () => task.group.waiters.delete(waiter));
  return DEFER;
}

function selector(c: Call, pid: number): WaitSelector {
  if (pid < -1) return { kind: 'pgid', pgid: -pid };
  if (pid === -1) return { kind: 'any' };
  if (pid === 0) return { kind: 'pgid', pgid: c.task.group.pgid };
  return { kind: 'pid', pid };
}

/** wait4(pid, status, options, rusage) */
function sysWait4(c: Call): number {
  const opts = c.int(2);
  if (opts & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return -E.EINVAL;
  const pid = c.int(0);
  if (pid === -2147483648) return -E.ESRCH;
  return doWait(c, {
    waitid: false,
    sel: selector(c, pid),
    options: (opts & ~WUNTRACED) | WEXITED | (opts & WUNTRACED ? WSTOPPED : 0),
    statusAddr: c.ptr(1),
    rusageAddr: c.ptr(3),
  });
}

/** waitid(idtype, id, infop, options, rusage) */
function sysWaitid(c: Call): number {
  const idtype = c.int(0);
  const id = c.int(1);
  const opts = c.int(3);
  if (opts & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return -E.EINVAL;
  if (!(opts & (WEXITED | WSTOPPED | WCONTINUED))) return -E.EINVAL;
  let sel: WaitSelector;
  switch (idtype) {
    case P_ALL:
      sel = { kind: 'any' };
      break;
    case P_PID:
      if (id <= 0) return -E.EINVAL;
      sel = { kind: 'pid', pid: id };
      break;
    case P_PGID:
      if (id < 0) return -E.EINVAL;
      sel = { kind: 'pgid', pgid: id || c.task.group.pgid };
      break;
    case P_PIDFD:
      return -E.EINVAL;
    default:
      return -E.EINVAL;
  }
  return doWait(c, { waitid: true, sel, options: opts, statusAddr: c.ptr(2), rusageAddr: c.ptr(4) });
}

// ---- prctl ----

const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;
const PR_GET_KEEPCAPS = 7;
const PR_SET_KEEPCAPS = 8;
const PR_SET_NAME = 15;
const PR_GET_NAME = 16;
const PR_GET_SECCOMP = 21;
const PR_SET_SECCOMP = 22;
const PR_CAPBSET_READ = 23;
const PR_CAPBSET_DROP = 24;
const PR_GET_TIMERSLACK = 30;
const PR_SET_TIMERSLACK = 29;
const PR_SET_MM = 35;
const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_GET_NO_NEW_PRIVS = 39;
const PR_GET_TID_ADDRESS = 40;
const PR_SET_THP_DISABLE = 41;
const PR_GET_THP_DISABLE = 42;
const PR_CAP_AMBIENT = 47;
const PR_GET_SPECULATION_CTRL = 52;
const PR_SET_SPECULATION_CTRL = 53;
const PR_SET_VMA = 0x53564d41;
const PR_SET_PTRACER = 0x59616d61;
const PR_MCE_KILL = 33;
const PR_MCE_KILL_GET = 34;

/** prctl(option, ...): what the guest may know or set about itself. */
function sysPrctl(c: Call): number {
  const t = c.task;
  const g = t.group;
  const opt = c.int(0);
  switch (opt) {
    case PR_SET_PDEATHSIG: {
      const sig = c.int(1);
      if (sig < 0 || sig > 64) return -E.EINVAL;
      t.pdeathsig = sig;
      return 0;
    }
    case PR_GET_PDEATHSIG:
      return c.writeI32(c.ptr(1), t.pdeathsig);
    case PR_GET_DUMPABLE:
      return g.dumpable;
    case PR_SET_DUMPABLE: {
      // Virtual only: the host process must stay readable by the sentry.
      const v = c.ptr(1);
      if (v !== 0 && v !== 1) return -E.EINVAL;
      g.dumpable = v;
      return 0;
    }
    case PR_GET_KEEPCAPS:
      return t.creds.keepCaps ? 1 : 0;
    case PR_SET_KEEPCAPS: {
      const v = c.ptr(1);
      if (v > 1) return -E.EINVAL;
      t.creds.keepCaps = v === 1;
      return 0;
    }
    case PR_SET_NAME: {
      const s = c.readString(c.ptr(1), 4096);
      if (typeof s === 'number') return s;
      t.comm = s.slice(0, 15);
      return CONTINUE; // the host's comm too, so host tools show it
    }
    case PR_GET_NAME: {
      const b = c.out(16);
      b.write(t.comm.slice(0, 15), 0, 'latin1');
      return c.write(c.ptr(1), b);
    }
    case PR_GET_SECCOMP:
      return 0;
    case PR_SET_SECCOMP:
      // A filter of its own only restricts the guest further.
      return CONTINUE;
    case PR_CAPBSET_READ: {
      const cap = c.int(1);
      if (cap < 0 || cap > 40) return -E.EINVAL;
      return (t.creds.capBounding >> BigInt(cap)) & 1n ? 1 : 0;
    }
    case PR_CAPBSET_DROP: {
      const cap = c.int(1);
      if (cap < 0 || cap > 40) return -E.EINVAL;
      if (!t.creds.hasCap(8 /* CAP_SETPCAP */)) return -E.EPERM;
      t.creds.capBounding &= ~(1n << BigInt(cap));
      return 0;
    }
    case PR_SET_CHILD_SUBREAPER:
      g.subreaper = c.ptr(1) !== 0;
      return 0;
    case PR_GET_CHILD_SUBREAPER:
      return c.writeI32(c.ptr(1), g.subreaper ? 1 : 0);
    case PR_SET_NO_NEW_PRIVS:
      if (c.ptr(1) !== 1 || c.ptr(2) || c.ptr(3) || c.ptr(4)) return -E.EINVAL;
      g.noNewPrivs = true;
      return 0;
    case PR_GET_NO_NEW_PRIVS:
      if (c.ptr(1) || c.ptr(2) || c.ptr(3) || c.ptr(4)) return -E.EINVAL;
      return g.noNewPrivs ? 1 : 0;
    case PR_SET_TIMERSLACK:
    case PR_GET_TIMERSLACK:
    case PR_SET_THP_DISABLE:
    case PR_GET_THP_DISABLE:
    case PR_GET_SPECULATION_CTRL:
    case PR_SET_SPECULATION_CTRL:
    case PR_SET_VMA:
    case PR_MCE_KILL:
    case PR_MCE_KILL_GET:
      return CONTINUE;
    case PR_SET_PTRACER:
      return 0;
    case PR_CAP_AMBIENT: {
      const op = c.int(1);
      if (op === 4) {
        t.creds.capAmbient = 0n;
        return 0;
      }
      const cap = c.int(2);
      if (cap < 0 || cap > 40) return -E.EINVAL;
      const bit = 1n << BigInt(cap);
      if (op === 1) return t.creds.capAmbient & bit ? 1 : 0;
      if (op === 2) {
        if (!(t.creds.capPermitted & bit) || !(t.creds.capInheritable & bit)) return -E.EPERM;
        t.creds.capAmbient |= bit;
        return 0;
      }
      if (op === 3) {
        t.creds.capAmbient &= ~bit;
        return 0;
      }
      return -E.EINVAL;
    }
    case PR_SET_MM:
      return t.creds.hasCap(CAP_SYS_RESOURCE) ? -E.EINVAL : -E.EPERM;
    case PR_GET_TID_ADDRESS:
      return -E.EINVAL;
    default:
      return -E.EINVAL;
  }
}

// ---- usage ----

const RUSAGE_SELF = 0;
const RUSAGE_CHILDREN = -1;
const RUSAGE_THREAD = 1;

/** getrusage(who, usage): the host knows the caller's own; children are ours. */
function sysGetrusage(c: Call): number {
  const who = c.int(0);
  if (who === RUSAGE_SELF || who === RUSAGE_THREAD) return CONTINUE;
  if (who !== RUSAGE_CHILDREN) return -E.EINVAL;
  const b = c.out(RUSAGE_SIZE);
  encodeRusage(b, c.task.group.childUsage);
  return c.write(c.ptr(1), b);
}

/** times(buf): the caller's own times come from the host; its children's from us. */
function sysTimes(c: Call): number {
  const ticks = Math.floor(performance.timeOrigin / 10 + performance.now() / 10) % 2 ** 31;
  const addr = c.ptr(0);
  if (addr) {
    const b = c.out(32);
    const u = c.task.group.usage;
    const cu = c.task.group.childUsage;
    b.writeBigInt64LE(BigInt(Math.floor(u.utimeUs / 1e4)), 0);
    b.writeBigInt64LE(BigInt(Math.floor(u.stimeUs / 1e4)), 8);
    b.writeBigInt64LE(BigInt(Math.floor(cu.utimeUs / 1e4)), 16);
    b.writeBigInt64LE(BigInt(Math.floor(cu.stimeUs / 1e4)), 24);
    const r = c.write(addr, b);
    if (r < 0) return r;
  }
  return ticks;
}

/** sched_* calls on the caller (pid 0) run on the host; on others they need the id translated. */
function onSelfOrRefuse(c: Call): number {
  const pid = c.int(0);
  if (pid === 0) return CONTINUE;
  if (pid < 0) return -E.EINVAL;
  const t = c.kernel.taskByTid(pid);
  if (!t) return -E.ESRCH;
  return -E.EPERM;
}

/** The thread a pid names for the per-thread scheduling calls (0: the caller, which the host serves). */
function schedTarget(c: Call, pid: number): Task | number {
  if (pid < 0) return -E.EINVAL;
  return c.kernel.taskByTid(pid) ?? -E.ESRCH;
}

/** Largest cpumask the kernel copies (8192 CPUs); longer buffers are cut, as Linux does. */
const CPUMASK_MAX = 1024;

/** sched_getaffinity(pid, len, mask): any thread of the sandbox, answered by the host for its host tid. */
function sysSchedGetaffinity(c: Call): number {
  const pid = c.int(0);
  if (pid === 0) return CONTINUE;
  const t = schedTarget(c, pid);
  if (typeof t === 'number') return t;
  const b = c.out(Math.min(c.ptr(1), CPUMASK_MAX));
  const n = schedAffinity(false, t.hostTid, b);
  if (n < 0) return n;
  const w = c.write(c.ptr(2), b.subarray(0, n));
  return w < 0 ? w : n;
}

/** sched_setaffinity(pid, len, mask): another thread needs the same owner or CAP_SYS_NICE. */
function sysSchedSetaffinity(c: Call): number {
  const pid = c.int(0);
  if (pid === 0) return CONTINUE;
  const t = schedTarget(c, pid);
  if (typeof t === 'number') return t;
  const me = c.task.creds;
  if (me.euid !== t.creds.euid && me.euid !== t.creds.uid && !me.hasCap(CAP_SYS_NICE)) return -E.EPERM;
  const b = c.readCopy(c.ptr(2), Math.min(c.ptr(1), CPUMASK_MAX));
  if (typeof b === 'number') return b;
  return schedAffinity(true, t.hostTid, b);
}

const PRIO_PROCESS = 0;
const PRIO_PGRP = 1;
const PRIO_USER = 2;

/**
 * The threads getpriority/setpriority(which, who) name (kernel/sys.c): a
 * thread, every thread of a process group, or of a user — always inside the
 * sandbox (letting PRIO_PGRP/PRIO_USER run on the host would reach host
 * processes of the same host group or user).
 */
function priorityTargets(c: Call, which: number, who: number): Task[] | number {
  const k = c.kernel;
  if (which === PRIO_PROCESS) {
    const t = who === 0 ? c.task : k.taskByTid(who);
    return t ? [t] : [];
  }
  if (which !== PRIO_PGRP && which !== PRIO_USER) return -E.EINVAL;
  const pgrp = who === 0 ? c.task.group.pgid : who;
  const uid = who === 0 ? c.task.creds.uid : who >>> 0;
  const out: Task[] = [];
  for (const g of k.pids.groups.values()) {
    if (!g.alive || (which === PRIO_PGRP ? g.pgid !== pgrp : g.creds.uid !== uid)) continue;
    for (const t of g.tasks) out.push(t);
  }
  return out;
}

/** getpriority(which, who): the highest priority (20 - nice) among the targets. */
function sysGetpriority(c: Call): number {
  const which = c.int(0);
  const who = c.int(1);
  if (which === PRIO_PROCESS && who === 0) return CONTINUE;
  const ts = priorityTargets(c, which, who);
  if (typeof ts === 'number') return ts;
  let best = -E.ESRCH;
  for (const t of ts) {
    const v = getPriority(t.hostTid);
    if (v > best) best = v;
  }
  return best;
}

/**
 * setpriority(which, who, nice): set_one_prio's checks per target, the last
 * error wins. A nice value below 0 is a host-wide priority, not the
 * sandbox's to give (as for a container without CAP_SYS_NICE): EACCES.
 */
function sysSetpriority(c: Call): number {
  const which = c.int(0);
  const who = c.int(1);
  const nice = Math.max(-20, Math.min(19, c.int(2)));
  if (nice < 0 && (which === PRIO_PROCESS || which === PRIO_PGRP || which === PRIO_USER)) return -E.EACCES;
  if (which === PRIO_PROCESS && who === 0) return CONTINUE;
  const ts = priorityTargets(c, which, who);
  if (typeof ts === 'number') return ts;
  const me = c.task.creds;
  let error = -E.ESRCH;
  for (const t of ts) {
    if (me.euid !== t.creds.uid && me.euid !== t.creds.euid && !me.hasCap(CAP_SYS_NICE)) {
      error = -E.EPERM;
      continue;
    }
    const cur = getPriority(t.hostTid);
    const maySpeedUp = me.hasCap(CAP_SYS_NICE) || 20 - nice <= t.group.rlimits.get(RLIMIT_NICE).soft;
    if (cur > 0 && nice < 20 - cur && !maySpeedUp) {
      error = -E.EACCES;
      continue;
    }
    const r = setPriority(t.hostTid, nice);
    if (r < 0) error = r;
    else if (error === -E.ESRCH) error = 0;
  }
  return error;
}

const SCHED_FIFO = 1;
const SCHED_RR = 2;
const SCHED_DEADLINE = 6;
const SCHED_RESET_ON_FORK = 0x40000000;

/**
 * sched_setscheduler(pid, policy, param) on the caller: real-time and
 * deadline policies are host-wide priorities, not the sandbox's to give (a
 * busy SCHED_FIFO thread starves the host's other work): EPERM, as for a
 * container without CAP_SYS_NICE. The policy is a register, so the host may
 * run the call for the others. (Found in the fuzzer's audit of what the
 * sentry continues.)
 */
function sysSchedSetscheduler(c: Call): number {
  const policy = c.int(1) & ~SCHED_RESET_ON_FORK;
  if (c.int(0) === 0 && (policy === SCHED_FIFO || policy === SCHED_RR || policy === SCHED_DEADLINE)) return -E.EPERM;
  return onSelfOrRefuse(c);
}

/**
 * sched_setattr(pid, attr, flags): its policy is in guest memory, which the
 * guest could change between the sentry's check and the host's read, so the
 * host never runs it: EPERM (libc's pthread and sched_setscheduler calls do
 * not need it).
 */
function sysSchedSetattr(c: Call): number {
  const r = onSelfOrRefuse(c);
  return r === CONTINUE ? -E.EPERM : r;
}

function sysClone3(_c: Call): number {
  // As gVisor: libc falls back to clone(2), which the tracer handles.
  return -E.ENOSYS;
}

/** personality(persona): only the default Linux personality (and queries). */
function sysPersonality(c: Call): number {
  const p = c.uint(0);
  if (p === 0xffffffff || p === 0) return 0;
  return -E.EINVAL;
}

function sysGetRobustList(c: Call): number {
  const pid = c.int(0);
  return pid === 0 || pid === c.task.tid ? -E.ENOSYS : -E.EPERM;
}

function sysFutexPi(_c: Call): number {
  // Owner tids in PI futexes are virtual here; glibc then reports PI mutexes as unsupported.
  return -E.ENOSYS;
}

export const processSyscalls: SyscallFamily = {
  getpid: { fn: sysGetpid },
  getppid: { fn: sysGetppid },
  gettid: { fn: sysGettid },
  getpgid: { fn: sysGetpgid, args: 'pid' },
  getpgrp: { fn: (c) => c.task.group.pgid },
  setpgid: { fn: sysSetpgid, args: 'pid,pid' },
  getsid: { fn: sysGetsid, args: 'pid' },
  setsid: { fn: sysSetsid },
  wait4: { fn: sysWait4, args: 'pid,ptr,hex,ptr', partial: 'rusage has CPU time and maxrss only' },
  waitid: { fn: sysWaitid, args: 'int,pid,ptr,hex,ptr', partial: 'P_PIDFD is EINVAL' },
  clone3: { fn: sysClone3, args: 'ptr,size', partial: 'ENOSYS by design: libc falls back to clone' },
  prctl: { fn: sysPrctl, args: 'int,hex,hex,hex,hex', partial: 'PR_SET_MM, PR_GET_TID_ADDRESS and unknown options EINVAL/EPERM' },
  getrusage: { fn: sysGetrusage, args: 'int,ptr' },
  times: { fn: sysTimes, args: 'ptr' },
  sched_getaffinity: { fn: sysSchedGetaffinity, args: 'pid,size,ptr' },
  sched_setaffinity: { fn: sysSchedSetaffinity, args: 'pid,size,ptr' },
  sched_getparam: { fn: onSelfOrRefuse, args: 'pid,ptr', partial: 'pid 0 only' },
  sched_setparam: { fn: onSelfOrRefuse, args: 'pid,ptr', partial: 'pid 0 only' },
  sched_getscheduler: { fn: onSelfOrRefuse, args: 'pid', partial: 'pid 0 only' },
  sched_setscheduler: { fn: sysSchedSetscheduler, args: 'pid,int,ptr', partial: 'pid 0 only; real-time and deadline policies EPERM (host-wide priorities)' },
  sched_getattr: { fn: onSelfOrRefuse, args: 'pid,ptr,uint,hex', partial: 'pid 0 only' },
  sched_setattr: { fn: sysSchedSetattr, args: 'pid,ptr,hex', refused: 'EPERM: the policy is in guest memory, which could change after the check' },
  sched_rr_get_interval: { fn: onSelfOrRefuse, args: 'pid,ptr', partial: 'pid 0 only' },
  sched_get_priority_max: { fn: () => CONTINUE, args: 'int' },
  sched_get_priority_min: { fn: () => CONTINUE, args: 'int' },
  getpriority: { fn: sysGetpriority, args: 'int,int' },
  setpriority: { fn: sysSetpriority, args: 'int,int,int', partial: 'nice below 0 EACCES (a host-wide priority)' },
  personality: { fn: sysPersonality, args: 'hex', partial: 'PER_LINUX only' },
  get_robust_list: { fn: sysGetRobustList, args: 'pid,ptr,ptr', partial: 'ENOSYS' },
  futex: { fn: sysFutexPi, args: 'ptr,int,int', partial: 'non-PI operations run on the host; PI operations ENOSYS' },
};

