// Signals with virtual ids: kill, tkill, tgkill, rt_sigqueueinfo, and the
// SIGCHLD action (the sentry needs SIG_IGN and SA_NOCLDWAIT/SA_NOCLDSTOP; the
// host keeps every other disposition and delivers every signal).
import { E } from '../abi/errno.js';
import { NSIG, Sig } from '../abi/signals.js';
import type { Task, ThreadGroup } from '../kernel/task.js';
import { keepSiginfoPid, signalMasks, sigqueue, type SigInfo, untagSiginfo } from '../platform/host.js';
import { CONTINUE } from '../platform/trap-abi.js';
import { CAP_KILL } from '../vfs/creds.js';
import type { Call } from './call.js';
import type { SyscallFamily } from './types.js';

const SI_USER = 0;
const SI_TKILL = -6;

/** The siginfo kill() and tgkill() give: the sender's pid and real uid. */
function senderInfo(c: Call, code: number): SigInfo {
  return { code, pid: c.task.group.tgid, uid: c.task.creds.uid };
}

/**
 * The sandbox's init is a pid namespace's init: a signal from inside whose
 * action would be the default one (SIGKILL and SIGSTOP included) is dropped
 * (kernel/signal.c sig_task_ignored, SIGNAL_UNKILLABLE). Handled signals go
 * through, and so does any signal the receiving thread blocks: Linux queues
 * it (the host then decides when it is unblocked).
 */
function initDrops(c: Call, g: ThreadGroup, sig: number, thread?: Task): boolean {
  if (g !== c.kernel.init || sig === 0) return false;
  const t = thread ?? g.leader;
  const m = signalMasks(g.hostTgid, t.dead ? g.hostTgid : t.hostTid);
  if (m === null) return true;
  const bit = 1n << BigInt(sig - 1);
  return (m.caught & bit) === 0n && (m.blocked & bit) === 0n;
}

function mayKill(c: Call, g: ThreadGroup, sig: number): boolean {
  const me = c.task.creds;
  if (me.hasCap(CAP_KILL)) return true;
  const them = g.creds;
  if (me.euid === them.uid || me.euid === them.suid || me.uid === them.uid || me.uid === them.suid) return true;
  return sig === Sig.SIGCONT && g.sid === c.task.group.sid;
}

/** kill(pid, sig): a process, a process group (0, -pgid), or everyone (-1). */
function sysKill(c: Call): number {
  const pid = c.int(0);
  const sig = c.int(1);
  if (sig < 0 || sig > NSIG) return -E.EINVAL;
  const k = c.kernel;
  if (pid > 0) {
    const g = k.processOf(pid); // a thread's id names its process, as in Linux
    if (!g || !g.alive) return g && g.zombie ? 0 : -E.ESRCH;
    if (!mayKill(c, g, sig)) return -E.EPERM;
    if (initDrops(c, g, sig)) return 0;
    return k.signalGroup(g, sig, senderInfo(c, SI_USER));
  }
  const targets: ThreadGroup[] = [];
  if (pid === -1) {
    for (const g of k.pids.groups.values()) if (g.alive && g !== k.init && g !== c.task.group) targets.push(g);
  } else {
    const pgid = pid === 0 ? c.task.group.pgid : -pid;
    for (const g of k.pids.groups.values()) if (g.alive && g.pgid === pgid) targets.push(g);
  }
  if (!targets.length) return -E.ESRCH;
  let sent = 0;
  let lastErr = -E.EPERM;
  const info = senderInfo(c, SI_USER);
  for (const g of targets) {
    if (!mayKill(c, g, sig)) continue;
    if (initDrops(c, g, sig)) {
      sent++;
      continue;
    }
    const r = k.signalGroup(g, sig, info);
    if (r === 0) sent++;
    else lastErr = r;
  }
  return sent ? 0 : lastErr;
}

function killThread(c: Call, tgid: number, tid: number, sig: number): number {
  if (sig < 0 || sig > NSIG) return -E.EINVAL;
  if (tid <= 0 || (tgid !== -1 && tgid <= 0)) return -E.EINVAL;
  const t = c.kernel.taskByTid(tid);
  if (!t || (tgid !== -1 && t.group.tgid !== tgid)) return -E.ESRCH;
  if (!mayKill(c, t.group, sig)) return -E.EPERM;
  if (initDrops(c, t.group, sig, t)) return 0;
  return c.kernel.signalTask(t, sig, senderInfo(c, SI_TKILL));
}

const SA_NOCLDSTOP = 1;
const SA_NOCLDWAIT = 2;

/** rt_sigaction(SIGCHLD, act, oldact, size): recorded, then done by the host. */
function sysRtSigaction(c: Call): number {
  if (c.int(0) !== Sig.SIGCHLD) return CONTINUE;
  if (c.ptr(3) !== 8) return -E.EINVAL;
  const act = c.ptr(1);
  if (act) {
    const b = c.read(act, 16);
    if (typeof b === 'number') return b;
    const handler = b.readBigUInt64LE(0);
    const flags = Number(b.readBigUInt64LE(8) & 0xffffffffn);
    const g = c.task.group;
    g.sigchld = handler === 1n ? 'ignore' : handler === 0n ? 'default' : 'handler';
    g.noCldWait = (flags & SA_NOCLDWAIT) !== 0;
    g.noCldStop = (flags & SA_NOCLDSTOP) !== 0;
  }
  return CONTINUE;
}

/**
 * rt_sigqueueinfo / rt_tgsigqueueinfo: the sentry queues the guest's siginfo
 * itself. As Linux does for senders other than the target, a non-negative
 * si_code or SI_TKILL is refused, so no kernel-origin signal can be forged.
 */
function queueInfo(c: Call, tgid: number, tid: number, sig: number, infoIdx: number): number {
  if (sig < 0 || sig > NSIG) return -E.EINVAL;
  const info = c.readCopy(c.ptr(infoIdx), 128);
  if (typeof info === 'number') return info;
  const code = info.readInt32LE(8);
  if (code >= 0 || code === SI_TKILL) return -E.EPERM;
  info.writeInt32LE(sig, 0);
  untagSiginfo(info);
  keepSiginfoPid(info);
  if (tid > 0) {
    const t = c.kernel.taskByTid(tid);
    if (!t || t.group.tgid !== tgid) return -E.ESRCH;
    if (!mayKill(c, t.group, sig)) return -E.EPERM;
    if (initDrops(c, t.group, sig, t)) return 0;
    return sig === 0 ? 0 : sigqueue(t.group.hostTgid, t.hostTid, sig, info);
  }
  const g = c.kernel.processOf(tgid);
  if (!g || !g.alive) return -E.ESRCH;
  if (!mayKill(c, g, sig)) return -E.EPERM;
  if (initDrops(c, g, sig)) return 0;
  return sig === 0 ? 0 : sigqueue(g.hostTgid, -1, sig, info);
}

export const signalSyscalls: SyscallFamily = {
  kill: { fn: sysKill, args: 'pid,sig' },
  tkill: { fn: (c) => killThread(c, -1, c.int(0), c.int(1)), args: 'pid,sig' },
  tgkill: { fn: (c) => killThread(c, c.int(0), c.int(1), c.int(2)), args: 'pid,pid,sig' },
  rt_sigaction: { fn: sysRtSigaction, args: 'sig,ptr,ptr,size', partial: 'SIGCHLD is traced by the sentry; other signals run on the host' },
  rt_sigqueueinfo: { fn: (c) => queueInfo(c, c.int(0), 0, c.int(1), 2), args: 'pid,sig,ptr' },
  rt_tgsigqueueinfo: { fn: (c) => queueInfo(c, c.int(0), c.int(1), c.int(2), 3), args: 'pid,pid,sig,ptr' },
};
