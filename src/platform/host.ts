// Host file primitives for the filesystems (src/fs): thin, typed wrappers over
// the addon. All return a value or -errno; paths are byte strings (latin1).
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
export const prlimit = (pid: number, res: number, soft: number, hard: number): number => N.prlimit(pid, res, soft, hard);

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
