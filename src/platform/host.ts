// Host file primitives for the filesystems (src/fs): thin, typed wrappers over
// the addon. All return a value or -errno; paths are byte strings (latin1).
import { readFileSync } from 'node:fs';
import { TCGETS, TCSETS, TERMIOS_SIZE, TIOCGWINSZ, TIOCSWINSZ, WINSIZE_SIZE } from '../abi/termios.js';
import { native } from './native.js';

const N = native();
const statBuf = new Float64Array(22);

export interface HostStat {
  devMajor: number;
  devMinor: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdevMajor: number;
  rdevMinor: number;
  size: number;
  blocks: number;
  blksize: number;
  atimeSec: number;
  atimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  ctimeSec: number;
  ctimeNsec: number;
  btimeSec: number;
  btimeNsec: number;
}

function decode(b: Float64Array): HostStat {
  return {
    devMajor: b[0]!,
    devMinor: b[1]!,
    ino: b[2]!,
    mode: b[3]!,
    nlink: b[4]!,
    uid: b[5]!,
    gid: b[6]!,
    rdevMajor: b[7]!,
    rdevMinor: b[8]!,
    size: b[9]!,
    blocks: b[10]!,
    blksize: b[11]!,
    atimeSec: b[12]!,
    atimeNsec: b[13]!,
    mtimeSec: b[14]!,
    mtimeNsec: b[15]!,
    ctimeSec: b[16]!,
    ctimeNsec: b[17]!,
    btimeSec: b[18]!,
    btimeNsec: b[19]!,
  };
}

export const AT_EMPTY_PATH = 0x1000;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_FDCWD = -100;

export function statAt(dirfd: number, path: string, flags: number): HostStat | number {
  const r = N.statx(dirfd, path, flags, statBuf);
  return r < 0 ? r : decode(statBuf);
}

export function fstat(fd: number): HostStat | number {
  return statAt(fd, '', AT_EMPTY_PATH);
}

export const openat2 = (dirfd: number, path: string, flags: number, mode: number, resolve: number): number =>
  N.openat2(dirfd, path, flags, mode, resolve);
export const close = (fd: number): number => N.close(fd);
export const fcntl = (fd: number, cmd: number, arg: number): number => N.fcntl(fd, cmd, arg);
/** fcntl with a struct flock (32 bytes on x86_64) as argument. */
export const fcntlLock = (fd: number, cmd: number, flock: Uint8Array): number => N.fcntlLock(fd, cmd, flock);
export const getdents64 = (fd: number, buf: Uint8Array): number => N.getdents64(fd, buf);
export const readlinkAt = (dirfd: number, path: string): string | number => N.readlinkat(dirfd, path);
export const memfdCreate = (name: string, flags: number): number => N.memfdCreate(name, flags);
export const pipe2 = (flags: number): [number, number] | number => N.pipe2(flags);
export const pread = (fd: number, buf: Uint8Array, off: number, len: number, pos: number): number =>
  N.pread(fd, buf, off, len, pos);
export const pwrite = (fd: number, buf: Uint8Array, off: number, len: number, pos: number): number =>
  N.pwrite(fd, buf, off, len, pos);
export const ftruncate = (fd: number, len: number): number => N.ftruncate(fd, len);
export const lseek = (fd: number, off: number, whence: number): number => N.lseek(fd, off, whence);
export const copyAll = (inFd: number, outFd: number, len: number): number => N.copyAll(inFd, outFd, len);
export const kill = (pid: number, sig: number): number => N.kill(pid, sig);
export const tgkill = (tgid: number, tid: number, sig: number): number => N.tgkill(tgid, tid, sig);
export const getrlimit = (res: number): [number, number] | number => N.getrlimit(res);
export const setrlimit = (res: number, soft: number, hard: number): number => N.setrlimit(res, soft, hard);
export const isatty = (fd: number): boolean => N.isatty(fd);
export const ioctlBuf = (fd: number, req: number, buf: Uint8Array): number => N.ioctlBuf(fd, req, buf);
export const ioctlArg = (fd: number, req: number, arg: number): number => N.ioctlArg(fd, req, arg);
export const hostPid = (): number => N.getpid();
export const sigqueue = (tgid: number, tid: number, sig: number, info: Uint8Array): number => N.sigqueue(tgid, tid, sig, info);
export const epollCreate1 = (flags: number): number => N.epollCreate1(flags);
export const eventfd2 = (initval: number, flags: number): number => N.eventfd2(initval, flags);
export const timerfdCreate = (clockid: number, flags: number): number => N.timerfdCreate(clockid, flags);

/** si_errno tag of the signals the sentry sends (native/addon/tracer.cc: kSiginfoTag). */
const SIGINFO_TAG = 0x54535600;
const SI_QUEUE = -1;
const SI_ERRNO_OFFSET = 4;
const queueBuf = Buffer.alloc(128);

/** What a signal's receiver reads in its siginfo (virtual ids; CLD_* fields for SIGCHLD). */
export interface SigInfo {
  code: number;
  pid: number;
  uid: number;
  status?: number;
  utimeTicks?: number;
  stimeTicks?: number;
}

/**
 * Sends `sig` to a host thread group (tid -1: process-directed, like kill)
 * or to one thread (like tgkill) with the siginfo the guest must see. Linux
 * lets one process queue only negative codes to another, so the signal goes
 * out as SI_QUEUE carrying the real code in si_errno; the tracer puts it back
 * at delivery (a handler sees SI_USER, SI_TKILL or CLD_*, with our pids).
 */
export function queueSignal(tgid: number, tid: number, sig: number, i: SigInfo): number {
  const b = queueBuf;
  b.fill(0);
  b.writeInt32LE(sig, 0);
  b.writeInt32LE(SIGINFO_TAG | (i.code & 0xff), SI_ERRNO_OFFSET);
  b.writeInt32LE(SI_QUEUE, 8);
  b.writeInt32LE(i.pid, 16);
  b.writeUInt32LE(i.uid >>> 0, 20);
  // The kernel maps si_uid into the guests' user namespace (65534 there): the
  // tracer copies this one back at delivery.
  b.writeUInt32LE(i.uid >>> 0, 28);
  b.writeInt32LE(i.status ?? 0, 24);
  b.writeBigInt64LE(BigInt(i.utimeTicks ?? 0), 32);
  b.writeBigInt64LE(BigInt(i.stimeTicks ?? 0), 40);
  // The kernel zeroes si_pid for a receiver in the guests' pid namespace (we
  // are outside it): the tracer copies this one back, as the uid above.
  b.writeInt32LE(i.pid, 44);
  return N.sigqueue(tgid, tid, sig, b);
}

/** A guest's own siginfo must not pass for one of ours: the tag is cleared. */
export function untagSiginfo(info: Buffer): void {
  if ((info.readInt32LE(SI_ERRNO_OFFSET) & ~0xff) === SIGINFO_TAG) info.writeInt32LE(0, SI_ERRNO_OFFSET);
}

/** si_errno of a guest's own siginfo whose si_pid travels at offset 44 too (native/addon/tracer.cc: kSiginfoPidTag). */
const SIGINFO_PID_TAG = 0x54535000;
const SI_TIMER = -2;
const SI_SIGIO = -5;

/**
 * A siginfo a guest queues (rt_sigqueueinfo) keeps the si_pid it chose: the
 * kernel zeroes it for a receiver in the guests' pid namespace, the sentry
 * being outside, so a copy goes in bytes 44-47 (unused by the layouts that
 * carry a pid) and the tracer puts it back at delivery. Only where nothing of
 * the guest's is lost: si_errno 0 and those bytes free (otherwise the
 * receiver sees si_pid 0, docs/differences.md). Timer and SIGIO codes have
 * no si_pid.
 */
export function keepSiginfoPid(info: Buffer): void {
  const code = info.readInt32LE(8);
  if (code === SI_TIMER || code === SI_SIGIO) return;
  if (info.readInt32LE(SI_ERRNO_OFFSET) !== 0 || info.readInt32LE(44) !== 0) return;
  info.writeInt32LE(SIGINFO_PID_TAG, SI_ERRNO_OFFSET);
  info.writeInt32LE(info.readInt32LE(16), 44);
}
/** signalfd4 on the sentry's side: a new signalfd (fd -1) or a new mask for an existing one. */
export const signalfd4 = (fd: number, mask: Uint8Array, flags: number): number => N.signalfd4(fd, mask, flags);
/** An AF_UNIX socket pair of `type` (SOCK_STREAM, SOCK_SEQPACKET... | SOCK_CLOEXEC | SOCK_NONBLOCK). */
/** An AF_UNIX socketpair of `type` (may carry SOCK_CLOEXEC/SOCK_NONBLOCK). */
export const socketpair = (type: number): [number, number] | number => N.socketpair(1, type, 0);
/** send(MSG_DONTWAIT | MSG_NOSIGNAL): the bytes sent, or -errno (-EAGAIN when full). */
export const send = (fd: number, buf: Uint8Array, off: number, len: number): number => N.send(fd, buf, off, len);
export const setsockoptInt = (fd: number, level: number, name: number, value: number): number => N.setsockoptInt(fd, level, name, value);
/** Whether `fd` has something to read now (poll POLLIN, no wait). */
export const readable = (fd: number): boolean => N.readable(fd) === 1;
export const prlimit = (pid: number, res: number, soft: number, hard: number): number => N.prlimit(pid, res, soft, hard);
/** sched_getaffinity (bytes written into buf) / sched_setaffinity of a guest thread by host tid. */
export const schedAffinity = (set: boolean, hostTid: number, buf: Uint8Array): number => N.schedAffinity(set, hostTid, buf);
/** The raw getpriority value (20 - nice) of a guest thread by host tid. */
export const getPriority = (hostTid: number): number => N.priority(hostTid);
export const setPriority = (hostTid: number, nice: number): number => N.priority(hostTid, nice);

// Changing a host tree. Each takes a directory fd the filesystem holds and a
// single path component it looked up itself (the addon refuses "", ".", ".."
// and names with a slash: EINVAL); none follows a symlink.
export const mkdirat = (dirfd: number, name: string, mode: number): number => N.mkdirat(dirfd, name, mode);
export const mknodat = (dirfd: number, name: string, mode: number, dev: number): number => N.mknodat(dirfd, name, mode, dev);
export const unlinkat = (dirfd: number, name: string, flags: number): number => N.unlinkat(dirfd, name, flags);
export const renameat2 = (olddirfd: number, oldname: string, newdirfd: number, newname: string, flags: number): number =>
  N.renameat2(olddirfd, oldname, newdirfd, newname, flags);
export const symlinkat = (target: string, dirfd: number, name: string): number => N.symlinkat(target, dirfd, name);
/** linkat without AT_SYMLINK_FOLLOW: links the named object itself. */
export const linkat = (olddirfd: number, oldname: string, newdirfd: number, newname: string): number =>
  N.linkat(olddirfd, oldname, newdirfd, newname);
/** chmod of the named object (EOPNOTSUPP for a symlink); name "" is dirfd's own object. */
export const fchmodat = (dirfd: number, name: string, mode: number): number => N.fchmodat(dirfd, name, mode);
export const fchmod = (fd: number, mode: number): number => N.fchmod(fd, mode);
/** lchown of the named object; name "" is dirfd's own object. uid/gid -1 leave it. */
export const fchownat = (dirfd: number, name: string, uid: number, gid: number): number => N.fchownat(dirfd, name, uid, gid);
export const UTIME_NOW = (1 << 30) - 1;
export const UTIME_OMIT = (1 << 30) - 2;
/** Times of the named object, not following a symlink; nsec may be UTIME_NOW/UTIME_OMIT. */
export const utimensat = (dirfd: number, name: string, aSec: number, aNsec: number, mSec: number, mNsec: number): number =>
  N.utimensat(dirfd, name, aSec, aNsec, mSec, mNsec);

export interface HostStatfs {
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namelen: number;
}

const statfsBuf = new Float64Array(8);
export function fstatfs(fd: number): HostStatfs | number {
  const r = N.fstatfs(fd, statfsBuf);
  if (r < 0) return r;
  const b = statfsBuf;
  return { type: b[0]!, bsize: b[1]!, blocks: b[2]!, bfree: b[3]!, bavail: b[4]!, files: b[5]!, ffree: b[6]!, namelen: b[7]! };
}

const xattrBuf = Buffer.allocUnsafe(65536);
/** An extended attribute of the object `fd` refers to (O_PATH fds too), or -errno (ENODATA when absent). */
export function xattrGet(fd: number, attr: string): Buffer | number {
  const n = N.xattrGet(fd, attr, xattrBuf);
  return n < 0 ? n : Buffer.from(xattrBuf.subarray(0, n));
}
export const xattrSet = (fd: number, attr: string, value: Uint8Array, flags = 0): number => N.xattrSet(fd, attr, value, flags);
export const xattrRemove = (fd: number, attr: string): number => N.xattrRemove(fd, attr);

/**
 * A detached host tmpfs of `size` bytes (never attached to any path; its only
 * name is the returned fd), made directly by root or in a user namespace of
 * our own otherwise; -errno where the host allows neither (no fsopen, no
 * unprivileged user namespaces).
 */
export const tmpfsMount = (size: number): number => N.tmpfsMount(size);
/** Changes the size of a tmpfsMount() (EPERM when it was made in a user namespace). */
export const tmpfsResize = (mountFd: number, size: number): number => N.tmpfsResize(mountFd, size);

// ---- terminals ----

/** A new host pseudo-terminal: [master fd (close-on-exec), host pts index]; locked unless `unlock`. */
export const ptyOpen = (unlock: boolean): [number, number] | number => N.ptyOpen(unlock);
/** Opens the slave side of the pty behind `masterFd` (O_NOCTTY always). */
export const ptyPeer = (masterFd: number, flags: number): number => N.ptyPeer(masterFd, flags);
export const setpgid = (pid: number, pgid: number): number => N.setpgid(pid, pgid);

/** The kernel struct termios of a terminal (36 bytes), or -errno. */
export function tcgets(fd: number): Buffer | number {
  const b = Buffer.alloc(TERMIOS_SIZE);
  const r = N.ioctlBuf(fd, TCGETS, b);
  return r < 0 ? r : b;
}

/** Sets a kernel struct termios at once (TCSETS). */
export const tcsets = (fd: number, termios: Uint8Array): number => N.ioctlBuf(fd, TCSETS, termios);

export interface Winsize {
  rows: number;
  cols: number;
  xpixel: number;
  ypixel: number;
}

export function getWinsize(fd: number): Winsize | number {
  const b = Buffer.alloc(WINSIZE_SIZE);
  const r = N.ioctlBuf(fd, TIOCGWINSZ, b);
  if (r < 0) return r;
  return { rows: b.readUInt16LE(0), cols: b.readUInt16LE(2), xpixel: b.readUInt16LE(4), ypixel: b.readUInt16LE(6) };
}

export function setWinsize(fd: number, w: Winsize): number {
  const b = Buffer.alloc(WINSIZE_SIZE);
  b.writeUInt16LE(w.rows & 0xffff, 0);
  b.writeUInt16LE(w.cols & 0xffff, 2);
  b.writeUInt16LE(w.xpixel & 0xffff, 4);
  b.writeUInt16LE(w.ypixel & 0xffff, 6);
  return N.ioctlBuf(fd, TIOCSWINSZ, b);
}

/** Reads a whole (small) host file by fd from offset 0. */
export function readAll(fd: number, max = 1 << 20): Buffer | number {
  const chunks: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const b = Buffer.allocUnsafe(65536);
    const n = N.pread(fd, b, 0, b.length, pos);
    if (n < 0) return n;
    if (n === 0) break;
    chunks.push(b.subarray(0, n));
    pos += n;
    if (pos >= max) break;
  }
  return Buffer.concat(chunks);
}

/** A memfd holding `data`, offset 0, ready to be installed into a guest. */
export function memfdWith(name: string, data: Uint8Array, cloexec = true): number {
  const fd = N.memfdCreate(name, cloexec ? 1 : 0);
  if (fd < 0) return fd;
  let off = 0;
  while (off < data.length) {
    const n = N.pwrite(fd, data, off, data.length - off, off);
    if (n <= 0) {
      N.close(fd);
      return n < 0 ? n : -5;
    }
    off += n;
  }
  return fd;
}

/** Reopens an fd as a new open file description (own offset and flags). */
export function reopen(fd: number, flags: number): number {
  return N.openat2(AT_FDCWD, `/proc/self/fd/${fd}`, flags | 0o2000000, 0, 0);
}

/** Signal masks of a host thread (bit n-1 for signal n), from /proc/PID/task/TID/status. */
export interface SignalMasks {
  blocked: bigint;
  caught: bigint;
}

/**
 * Which signals a host thread blocks and which its process has handlers
 * for, or null when it is gone. Guests' handlers and masks live on the host,
 * so this is what the guest set up.
 */
export function signalMasks(hostPid: number, hostTid: number): SignalMasks | null {
  try {
    const st = readFileSync(`/proc/${hostPid}/task/${hostTid}/status`, 'latin1');
    const blk = /^SigBlk:\s*([0-9a-f]+)$/m.exec(st);
    const cgt = /^SigCgt:\s*([0-9a-f]+)$/m.exec(st);
    if (!blk || !cgt) return null;
    return { blocked: BigInt(`0x${blk[1]}`), caught: BigInt(`0x${cgt[1]}`) };
  } catch {
    return null;
  }
}
