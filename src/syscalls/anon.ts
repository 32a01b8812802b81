// Kernel objects named only by an fd: epoll instances, eventfds, timerfds,
// signalfds.
// The sentry creates the host object (so it holds a reference, like every fd
// it installs) and installs it at the guest's lowest free fd. Their data calls
// (epoll_ctl/epoll_wait, read/write, timerfd_settime) then act on the guest's
// host fd, natively in the balanced policy.
import { E } from '../abi/errno.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../abi/flags.js';
import { HostObjectInode } from '../fs/host/hostobject.js';
import { epollCreate1, eventfd2, signalfd4, timerfdCreate } from '../platform/host.js';
import { OpenFile } from '../vfs/file.js';
import type { Call } from './call.js';
import { fdEntry, installAndReply } from './common.js';
import type { SyscallFamily } from './types.js';

const EFD_SEMAPHORE = 1;
const TFD_TIMER_FLAGS = O_CLOEXEC | O_NONBLOCK;
const CLOCKS = new Set([0 /* REALTIME */, 1 /* MONOTONIC */, 7 /* BOOTTIME */, 8 /* REALTIME_ALARM */, 9 /* BOOTTIME_ALARM */]);

function install(c: Call, hostFd: number, label: string, flags: number): number {
  if (hostFd < 0) return hostFd;
  const f = new OpenFile(null, new HostObjectInode(hostFd, 'anon_inodefs'), O_RDWR | (flags & O_NONBLOCK), hostFd, 'anon', label);
  return installAndReply(c, f, (flags & O_CLOEXEC) !== 0);
}

/** epoll_create1(flags) / epoll_create(size > 0) */
function epollCreate(c: Call, flags: number): number {
  if (flags & ~O_CLOEXEC) return -E.EINVAL;
  return install(c, epollCreate1(O_CLOEXEC), 'anon_inode:[eventpoll]', flags);
}

/** eventfd2(initval, flags) */
function sysEventfd2(c: Call, initval: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE)) return -E.EINVAL;
  return install(c, eventfd2(initval, O_CLOEXEC | (flags & (O_NONBLOCK | EFD_SEMAPHORE))), 'anon_inode:[eventfd]', flags);
}

/** timerfd_create(clockid, flags) */
function sysTimerfdCreate(c: Call): number {
  const clock = c.int(0);
  const flags = c.int(1);
  if (flags & ~TFD_TIMER_FLAGS) return -E.EINVAL;
  if (!CLOCKS.has(clock)) return -E.EINVAL;
  return install(c, timerfdCreate(clock, O_CLOEXEC | (flags & O_NONBLOCK)), 'anon_inode:[timerfd]', flags);
}

const SFD_FLAGS = O_CLOEXEC | O_NONBLOCK;
const SIGNALFD_LABEL = 'anon_inode:[signalfd]';

/**
 * signalfd4(fd, mask, sizemask, flags). A signalfd reads the signals of the
 * thread that reads it (fs/signalfd.c dequeues from `current`; poll waits on
 * the reader's queue), not its creator's: the sentry makes it and installs it
 * like any fd, and the guest's own reads and polls see the guest's signals.
 * A new mask for an existing one goes through the sentry's reference to the
 * same open file description.
 */
function sysSignalfd4(c: Call, ufd: number, maskAddr: number, sizemask: number, flags: number): number {
  if (sizemask !== 8) return -E.EINVAL;
  const mask = c.readCopy(maskAddr, 8);
  if (typeof mask === 'number') return mask;
  if (flags & ~SFD_FLAGS) return -E.EINVAL;
  if (ufd === -1) return install(c, signalfd4(-1, mask, O_CLOEXEC | (flags & O_NONBLOCK)), SIGNALFD_LABEL, flags);
  const e = fdEntry(c, ufd);
  if (typeof e === 'number') return e;
  if (e.file.kind === 'special') return -E.EBADF; // fdget refuses O_PATH files
  if (e.file.anonName !== SIGNALFD_LABEL) return -E.EINVAL;
  const r = signalfd4(e.file.hostFd, mask, 0);
  return r < 0 ? r : ufd;
}

export const anonSyscalls: SyscallFamily = {
  epoll_create1: { fn: (c) => epollCreate(c, c.int(0)), args: 'hex', ret: 'fd' },
  epoll_create: { fn: (c) => (c.int(0) <= 0 ? -E.EINVAL : epollCreate(c, 0)), args: 'int', ret: 'fd' },
  eventfd2: { fn: (c) => sysEventfd2(c, c.uint(0), c.int(1)), args: 'uint,hex', ret: 'fd' },
  eventfd: { fn: (c) => sysEventfd2(c, c.uint(0), 0), args: 'uint', ret: 'fd' },
  timerfd_create: { fn: sysTimerfdCreate, args: 'int,hex', ret: 'fd' },
  signalfd4: { fn: (c) => sysSignalfd4(c, c.int(0), c.ptr(1), c.ptr(2), c.int(3)), args: 'fd,ptr,size,hex', ret: 'fd' },
  signalfd: { fn: (c) => sysSignalfd4(c, c.int(0), c.ptr(1), c.ptr(2), 0), args: 'fd,ptr,size', ret: 'fd' },
};
