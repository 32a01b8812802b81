// File descriptor table calls: close, dup*, fcntl, ioctl, flock. The virtual
// table changes first; the guest's host table is brought in line by ADDFD
// (which replaces atomically, like dup2) or by letting the host run the call
// when its registers alone say what happens (close, F_SETFD).
import { E } from '../abi/errno.js';
import {
  F_ADD_SEALS, F_DUPFD, F_DUPFD_CLOEXEC, F_GET_SEALS, F_GETFD, F_GETFL, F_GETLEASE, F_GETLK, F_GETOWN,
  F_GETOWN_EX, F_GETPIPE_SZ, F_GETSIG, F_NOTIFY, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_SETFD, F_SETFL,
  F_SETLEASE, F_SETLK, F_SETLKW, F_SETOWN, F_SETOWN_EX, F_SETPIPE_SZ, F_SETSIG, FD_CLOEXEC,
  O_APPEND, O_ASYNC, O_CLOEXEC, O_DIRECT, O_NOATIME, O_NONBLOCK, SEEK_CUR, SEEK_END, SEEK_SET,
} from '../abi/flags.js';
import { fcntl as hostFcntl, fcntlLock, fstat, lseek } from '../platform/host.js';
import { CONTINUE } from '../platform/trap-abi.js';
import type { Call } from './call.js';
import { dupByHost, fdEntry, fdLimit, installAndReply } from './common.js';
import { ttyIoctl, ttyOf } from './tty.js';
import { socketIoctl } from './socket.js';
import type { SyscallFamily } from './types.js';

/** close(fd): the virtual entry goes now, the host closes its fd when we let the call run. */
function sysClose(c: Call): number {
  const fd = c.int(0);
  const t = c.task;
  if (t.loading && c.kernel.loaderClosed(t, fd)) return CONTINUE;
  const e = t.files.remove(fd);
  if (!e) return -E.EBADF;
  t.files.markClosing(fd, t.hostTid);
  e.file.unref();
  return CONTINUE;
}

/** dup(oldfd): lowest free number, same open file description. */
function sysDup(c: Call): number {
  const e = fdEntry(c, c.int(0));
  if (typeof e === 'number') return e;
  return dupByHost(c, e.file, false, 0) ?? installAndReply(c, e.file.ref(), false);
}

/** dup2/dup3: the registers name both numbers, so the host may do it as asked. */
function dupTo(c: Call, oldfd: number, newfd: number, cloexec: boolean): number {
  const e = fdEntry(c, oldfd);
  if (typeof e === 'number') return e;
  if (newfd < 0 || newfd >= fdLimit(c)) return -E.EBADF;
  c.task.files.install(newfd, e.file.ref(), cloexec)?.file.unref();
  return CONTINUE;
}

/** dup2(oldfd, newfd): replaces newfd atomically; same fd is a validity check. */
function sysDup2(c: Call): number {
  const oldfd = c.int(0);
  const newfd = c.int(1);
  if (oldfd === newfd) return c.task.files.get(oldfd) ? newfd : -E.EBADF;
  return dupTo(c, oldfd, newfd, false);
}

/** dup3(oldfd, newfd, flags): dup2 with O_CLOEXEC; equal fds are EINVAL. */
function sysDup3(c: Call): number {
  const flags = c.int(2);
  if (flags & ~O_CLOEXEC) return -E.EINVAL;
  if (c.int(0) === c.int(1)) return -E.EINVAL;
  return dupTo(c, c.int(0), c.int(1), (flags & O_CLOEXEC) !== 0);
}

const F_RDLCK = 0;
const F_WRLCK = 1;
const F_UNLCK = 2;
const FLOCK_SIZE = 32;

/**
 * F_GETLK / F_OFD_GETLK. The host would report the owner of a conflicting
 * POSIX lock by its host pid, so the sentry asks instead: F_OFD_GETLK on the
 * guest's own open file description (shared with the sentry's reference),
 * skipping, for F_GETLK, the caller's own POSIX locks (which never conflict
 * with it) by asking again about the parts of the range they leave, and
 * reporting the owner by its virtual pid (0 outside the sandbox).
 */
function getLock(c: Call, hostFd: number, addr: number, ofd: boolean): number {
  const b = c.readCopy(addr, FLOCK_SIZE);
  if (typeof b === 'number') return b;
  const type = b.readInt16LE(0);
  const whence = b.readInt16LE(2);
  if (type !== F_RDLCK && type !== F_WRLCK) return -E.EINVAL;
  if (ofd && b.readInt32LE(24) !== 0) return -E.EINVAL;
  let base: number;
  if (whence === SEEK_SET) base = 0;
  else if (whence === SEEK_CUR) base = lseek(hostFd, 0, SEEK_CUR);
  else if (whence === SEEK_END) {
    const st = fstat(hostFd);
    base = typeof st === 'number' ? st : st.size;
  } else return -E.EINVAL;
  if (base < 0) return base;
  let start = base + Number(b.readBigInt64LE(8));
  let len = Number(b.readBigInt64LE(16));
  if (len < 0) {
    start += len;
    len = -len;
  }
  if (start < 0) return -E.EINVAL;
  const self = c.task.group.hostTgid;
  // Ranges still to ask about, [first, last] with last -1 for "to the end"; lowest last.
  const todo: [number, number][] = [[start, len === 0 ? -1 : start + len - 1]];
  const q = c.out(FLOCK_SIZE);
  for (let guard = 0; todo.length && guard < 256; guard++) {
    const [first, last] = todo.pop()!;
    q.fill(0);
    q.writeInt16LE(type, 0);
    q.writeInt16LE(SEEK_SET, 2);
    q.writeBigInt64LE(BigInt(first), 8);
    q.writeBigInt64LE(BigInt(last < 0 ? 0 : last - first + 1), 16);
    const r = fcntlLock(hostFd, F_OFD_GETLK, q);
    if (r < 0) return r;
    if (q.readInt16LE(0) === F_UNLCK) continue;
    const pid = q.readInt32LE(24);
    if (!ofd && pid === self) {
      const ls = Number(q.readBigInt64LE(8));
      const ll = Number(q.readBigInt64LE(16));
      const le = ll === 0 ? -1 : ls + ll - 1;
      if (le >= 0 && (last < 0 || le < last)) todo.push([le + 1, last]);
      if (ls > first) todo.push([first, ls - 1]);
      continue;
    }
    q.writeInt32LE(pid > 0 ? (c.kernel.byHost.get(pid)?.group.tgid ?? 0) : pid, 24);
    return c.write(addr, q);
  }
  b.writeInt16LE(F_UNLCK, 0);
  return c.write(addr, b);
}

const SETFL_MASK = O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME | O_NONBLOCK;

/** fcntl(fd, cmd, arg). */
function sysFcntl(c: Call): number {
  const fd = c.int(0);
  const cmd = c.int(1);
  const e = fdEntry(c, fd);
  if (typeof e === 'number') return e;
  const f = e.file;
  // An O_PATH fd takes only these (check_fcntl_cmd).
  if (f.kind === 'special' && cmd !== F_DUPFD && cmd !== F_DUPFD_CLOEXEC && cmd !== F_GETFD && cmd !== F_SETFD && cmd !== F_GETFL) {
    return -E.EBADF;
  }
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      const min = c.int(2);
      if (min < 0 || min >= fdLimit(c)) return -E.EINVAL;
      const cloexec = cmd === F_DUPFD_CLOEXEC;
      return dupByHost(c, f, cloexec, min) ?? installAndReply(c, f.ref(), cloexec, min);
    }
    case F_GETFD:
      return e.cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
      e.cloexec = (c.int(2) & FD_CLOEXEC) !== 0;
      return CONTINUE;
    case F_GETFL:
      return f.flags;
    case F_SETFL: {
      const want = c.int(2) & SETFL_MASK;
      if (f.hostFd >= 0) {
        const cur = hostFcntl(f.hostFd, F_GETFL, 0);
        if (cur >= 0) {
          const r = hostFcntl(f.hostFd, F_SETFL, (cur & ~SETFL_MASK) | want);
          if (r < 0) return r;
        }
      }
      f.flags = (f.flags & ~SETFL_MASK) | want;
      return 0;
    }
    case F_GETLK:
    case F_OFD_GETLK:
      return getLock(c, f.hostFd, c.ptr(2), cmd === F_OFD_GETLK);
    case F_SETLK:
    case F_SETLKW:
      // POSIX locks belong to the calling process, so the guest's own call takes them.
      return CONTINUE;
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
    case F_GETPIPE_SZ:
    case F_SETPIPE_SZ:
    case F_ADD_SEALS:
    case F_GET_SEALS:
    case F_GETSIG:
    case F_SETSIG:
      return CONTINUE;
    case F_GETOWN:
      return f.owner;
    case F_SETOWN: {
      const owner = c.int(2);
      if (owner !== 0) {
        const g = owner > 0 ? c.kernel.groupByPid(owner) : undefined;
        if (owner > 0 && !g) return -E.ESRCH;
        // A process group that does not exist in the sandbox (a host pgid,
        // say) is ESRCH too, as in f_setown (found by the escape suite).
        if (owner < 0 && ![...c.kernel.pids.groups.values()].some((x) => x.alive && x.pgid === -owner)) return -E.ESRCH;
        // Host signals for this file go to the guest process behind the virtual id.
        if (g) hostFcntl(f.hostFd, F_SETOWN, g.hostTgid);
      }
      f.owner = owner;
      return 0;
    }
    case F_GETOWN_EX:
    case F_SETOWN_EX:
    case F_SETLEASE:
    case F_GETLEASE:
    case F_NOTIFY:
      return -E.EINVAL;
    default:
      return -E.EINVAL;
  }
}

const FIONREAD = 0x541b;
const FIONBIO = 0x5421;
const FIOCLEX = 0x5451;
const FIONCLEX = 0x5450;
const FIOASYNC = 0x5452;
const TCGETS = 0x5401;
const TCSETS = 0x5402;
const TCSETSW = 0x5403;
const TCSETSF = 0x5404;
const TCSBRK = 0x5409;
const TCXONC = 0x540a;
const TCFLSH = 0x540b;
const TIOCSCTTY = 0x540e;
const TIOCGPGRP = 0x540f;
const TIOCSPGRP = 0x5410;
const TIOCOUTQ = 0x5411;
const TIOCSTI = 0x5412;
const TIOCGWINSZ = 0x5413;
const TIOCSWINSZ = 0x5414;
const TIOCNOTTY = 0x5422;
const TIOCGSID = 0x5429;
const TCGETS2 = 0x802c542a;
const TIOCGPTN = 0x80045430;
const FS_IOC_GETFLAGS = 0x80086601;

/** ioctl(fd, req, arg): a short list of requests, the rest ENOTTY. */
function sysIoctl(c: Call): number {
  const e = fdEntry(c, c.int(0));
  if (typeof e === 'number') return e;
  if (e.file.kind === 'special') return -E.EBADF;
  const f = e.file;
  const req = c.uint(1);
  if (f.kind === 'socket') {
    const r = socketIoctl(c, f, req);
    if (r !== null) return r;
  }
  switch (req) {
    case FIONBIO: {
      const b = c.read(c.ptr(2), 4);
      if (typeof b === 'number') return b;
      const on = b.readInt32LE(0) !== 0;
      if (f.hostFd >= 0) {
        const cur = hostFcntl(f.hostFd, F_GETFL, 0);
        if (cur >= 0) hostFcntl(f.hostFd, F_SETFL, on ? cur | O_NONBLOCK : cur & ~O_NONBLOCK);
      }
      f.flags = on ? f.flags | O_NONBLOCK : f.flags & ~O_NONBLOCK;
      return 0;
    }
    case FIOCLEX:
      e.cloexec = true;
      return CONTINUE;
    case FIONCLEX:
      e.cloexec = false;
      return CONTINUE;
    case FIOASYNC:
    case FIONREAD:
      return f.kind === 'dir' ? -E.ENOTTY : CONTINUE;
    case FS_IOC_GETFLAGS:
      if (f.kind !== 'file') return -E.ENOTTY;
      return c.writeI32(c.ptr(2), 0);
  }
  const tf = ttyOf(f);
  if (tf) return ttyIoctl(c, f, tf, req);
  if (!f.isTty) return -E.ENOTTY;
  switch (req) {
    case TCGETS:
    case TCGETS2:
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
    case TCSBRK:
    case TCXONC:
    case TCFLSH:
    case TIOCOUTQ:
    case TIOCGWINSZ:
    case TIOCSWINSZ:
    case TIOCGPTN:
      return CONTINUE;
    case TIOCGPGRP:
      return c.writeI32(c.ptr(2), c.task.group.pgid);
    case TIOCGSID:
      return c.writeI32(c.ptr(2), c.task.group.sid);
    case TIOCSPGRP:
    case TIOCSCTTY:
    case TIOCNOTTY:
      // Job control on a host terminal passed in as stdio stays with the
      // host's process groups; the sandbox's own terminals (src/fs/tty, -t)
      // implement it.
      return 0;
    case TIOCSTI:
      return -E.EPERM;
    default:
      return -E.ENOTTY;
  }
}

/** flock(fd, op): a lock on the open file description, taken by the host. */
function sysFlock(c: Call): number {
  const e = fdEntry(c, c.int(0));
  if (typeof e === 'number') return e;
  if (e.file.kind === 'special') return -E.EBADF;
  return CONTINUE;
}

export const fdSyscalls: SyscallFamily = {
  close: { fn: sysClose, args: 'fd' },
  dup: { fn: sysDup, args: 'fd', ret: 'fd' },
  dup2: { fn: sysDup2, args: 'fd,fd', ret: 'fd' },
  dup3: { fn: sysDup3, args: 'fd,fd,flags', ret: 'fd' },
  fcntl: { fn: sysFcntl, args: 'fd,int,hex', partial: 'leases, F_NOTIFY and F_*OWN_EX are EINVAL' },
  ioctl: { fn: sysIoctl, args: 'fd,hex,ptr', partial: 'FIO*, socket (SIOCGIF*, SIOCATMARK, SIOCINQ/OUTQ) and terminal requests (job control, termios, window size, ptmx on the sandbox terminals); others ENOTTY; TIOCSTI, TIOCVHANGUP, TIOCPKT refused' },
  flock: { fn: sysFlock, args: 'fd,int' },
};
