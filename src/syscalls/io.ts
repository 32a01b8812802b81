// Pipes, memfds, and the data-transfer calls that reach the sentry only in
// the strict policy. There the sentry performs I/O on regular files itself
// (its own reference to the open file description, guest memory copied with
// process_vm_readv/writev); on pipes, terminals and sockets, whose blocking
// belongs to the guest's own thread, it validates the fd and lets the call run.
import { E } from '../abi/errno.js';
import { MFD_ALLOW_SEALING, MFD_CLOEXEC, O_APPEND, O_LARGEFILE, O_CLOEXEC, O_DIRECT, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, S_IFIFO, S_IFMT, SEEK_CUR, SEEK_SET } from '../abi/flags.js';
import { HostObjectInode } from '../fs/host/hostobject.js';
import { fstat, lseek, memfdCreate, pipe2, pread, pwrite, ftruncate } from '../platform/host.js';
import { CONTINUE } from '../platform/trap-abi.js';
import { OpenFile } from '../vfs/file.js';
import { fsnotify, IN_ACCESS } from '../vfs/fsnotify.js';
import type { Call } from './call.js';
import { fdEntry, fdLimit, installAt, installAndReply } from './common.js';
import { ttyReadWriteCheck } from './tty.js';
import type { SyscallFamily } from './types.js';

const MAX_RW = 0x7ffff000;
const CHUNK = 1 << 20;
const IOV_MAX = 1024;

/** pipe2(fds[2], flags): a host pipe; the sentry keeps a reference to each end. */
function pipeImpl(c: Call, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) return -E.EINVAL;
  const p = pipe2(O_CLOEXEC | (flags & (O_NONBLOCK | O_DIRECT)));
  if (typeof p === 'number') return p;
  const inode = new HostObjectInode(p[0], 'pipefs');
  const st = fstat(p[0]);
  const name = `pipe:[${typeof st === 'number' ? 0 : st.ino}]`;
  const r = new OpenFile(null, inode, O_RDONLY | (flags & O_NONBLOCK), p[0], 'pipe', name);
  const w = new OpenFile(null, inode, O_WRONLY | (flags & O_NONBLOCK), p[1], 'pipe', name);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const files = c.task.files;
  const limit = fdLimit(c);
  const fd0 = files.alloc(0, limit);
  const fd1 = fd0 < 0 ? fd0 : files.alloc(fd0 + 1, limit);
  if (fd0 < 0 || fd1 < 0) {
    r.unref();
    w.unref();
    return fd0 < 0 ? fd0 : fd1;
  }
  const a = installAt(c, r, fd0, cloexec);
  if (a < 0) {
    r.unref();
    w.unref();
    return a;
  }
  const b = installAt(c, w, fd1, cloexec);
  if (b < 0) {
    w.unref();
    return b;
  }
  const out = c.out(8);
  out.writeInt32LE(fd0, 0);
  out.writeInt32LE(fd1, 4);
  return c.write(c.ptr(0), out);
}

/** memfd_create(name, flags): a host memfd owned by the sentry. */
function sysMemfdCreate(c: Call): number {
  const flags = c.uint(1);
  if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | 0x4 /* HUGETLB */ | 0x8 /* NOEXEC_SEAL */ | 0x10 /* EXEC */)) return -E.EINVAL;
  if (flags & 0x4) return -E.EINVAL;
  const name = c.readString(c.ptr(0), 249);
  if (typeof name === 'number') return name === -E.ENAMETOOLONG ? -E.EINVAL : name;
  const mfd = memfdCreate(name, MFD_CLOEXEC | (flags & (MFD_ALLOW_SEALING | 0x8 | 0x10)));
  if (mfd < 0) return mfd;
  // The memfd's one open file description is shared with the guest, as the fd
  // Linux returns would be: our reference and the guest's are the same.
  const label = `/memfd:${name} (deleted)`;
  const f = new OpenFile(null, new HostObjectInode(mfd, 'tmpfs'), O_RDWR | O_LARGEFILE, mfd, 'file', label);
  return installAndReply(c, f, (flags & MFD_CLOEXEC) !== 0);
}

// ---- strict policy: data transfer ----

function regularFile(c: Call, fd: number): OpenFile | number | 'stream' {
  const e = fdEntry(c, fd);
  if (typeof e === 'number') return e;
  const f = e.file;
  if (f.kind === 'special') return -E.EBADF;
  if (f.kind === 'dir') return f;
  // Writes the host object applies for its own caller (a comm file): the guest's call does them.
  if (f.special?.native) return 'stream';
  // Sockets and pipes are streams: no fstat per read or write.
  if (f.kind === 'socket' || f.kind === 'pipe') return 'stream';
  const st = f.inode.stat();
  if (typeof st !== 'number' && (st.mode & S_IFMT) === S_IFIFO) return 'stream';
  return f.kind === 'file' && f.inode.isRegular() ? f : 'stream';
}

function readAt(c: Call, f: OpenFile, addr: number, len: number, pos: number): number {
  if (!f.readable) return -E.EBADF;
  if (f.kind === 'dir') return -E.EISDIR;
  len = Math.min(len, MAX_RW);
  let done = 0;
  const buf = Buffer.allocUnsafe(Math.min(len, CHUNK));
  while (done < len) {
    const want = Math.min(buf.length, len - done);
    const n = pread(f.hostFd, buf, 0, want, pos + done);
    if (n < 0) return done ? done : n;
    if (n === 0) break;
    const w = c.write(addr + done, buf.subarray(0, n));
    if (w < 0) return done ? done : w;
    done += n;
    if (n < want) break;
  }
  // A read the sentry performs is one it can report (balanced-policy reads run natively, unseen).
  if (done > 0 && fsnotify.active) fsnotify.event(f.path?.d ?? null, f.inode, IN_ACCESS);
  return done;
}

/**
 * Writes at `pos`; `positional` says the guest named the position (pwrite).
 * On an O_APPEND file a write at the file offset goes through the host's
 * write(), which appends and moves the offset; a positional one through
 * pwrite(), which on an O_APPEND host fd appends and leaves the offset alone,
 * as Linux does for the guest.
 */
function writeAt(c: Call, f: OpenFile, addr: number, len: number, pos: number, positional: boolean): number {
  if (!f.writable) return -E.EBADF;
  len = Math.min(len, MAX_RW);
  if (f.special) {
    // A writable /proc file: each write means something at once, as on Linux.
    const data = c.readCopy(addr, Math.min(len, 4096));
    return typeof data === 'number' ? data : f.special.write(data);
  }
  const append = (f.flags & O_APPEND) !== 0;
  let done = 0;
  while (done < len) {
    // A size-limited tmpfs says how much of it fits (ENOSPC when nothing does).
    const want = f.inode.writable(append && !positional ? -1 : pos + done, Math.min(CHUNK, len - done));
    if (want < 0) return done ? done : want;
    const data = c.read(addr + done, want);
    if (typeof data === 'number') return done ? done : data;
    const n = pwrite(f.hostFd, data, 0, want, append && !positional ? -1 : pos + done);
    if (n < 0) return done ? done : n;
    done += n;
    if (n < want) break;
  }
  if (done > 0) fsnotify.wrote(f);
  return done;
}

/**
 * A stream the host reads or writes for the guest. The sandbox's terminals
 * apply job control first; a write to a stream the guest may not write (an
 * inotify fd: a socket on the host, read-only as Linux makes it) is EBADF, as
 * Linux answers.
 */
function streamCall(c: Call, write: boolean): number {
  const e = fdEntry(c, c.int(0));
  if (typeof e === 'number') return e;
  if (write && !e.file.writable) return -E.EBADF;
  const r = ttyReadWriteCheck(c, e.file, write);
  return r !== 0 ? r : CONTINUE;
}

/** read/write at the file offset, which the sentry advances itself. */
function rwCurrent(c: Call, write: boolean): number {
  const f = regularFile(c, c.int(0));
  if (f === 'stream') return streamCall(c, write);
  if (typeof f === 'number') return f;
  const pos = lseek(f.hostFd, 0, SEEK_CUR);
  if (pos < 0) return pos;
  const n = write ? writeAt(c, f, c.ptr(1), c.ptr(2), pos, false) : readAt(c, f, c.ptr(1), c.ptr(2), pos);
  if (n > 0) {
    if (write && f.flags & O_APPEND) return n;
    lseek(f.hostFd, pos + n, SEEK_SET);
  }
  return n;
}

function rwPositional(c: Call, write: boolean): number {
  const f = regularFile(c, c.int(0));
  // Devices take positions, pipes answer ESPIPE: the host knows which.
  if (typeof f === 'number' || f === 'stream') return f === 'stream' ? CONTINUE : f;
  const pos = c.long(3);
  if (pos < 0) return -E.EINVAL;
  return write ? writeAt(c, f, c.ptr(1), c.ptr(2), pos, true) : readAt(c, f, c.ptr(1), c.ptr(2), pos);
}

function readIov(c: Call, addr: number, count: number): [number, number][] | number {
  if (count < 0 || count > IOV_MAX) return -E.EINVAL;
  const b = c.read(addr, count * 16);
  if (typeof b === 'number') return b;
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) out.push([Number(b.readBigUInt64LE(16 * i)), Number(b.readBigUInt64LE(16 * i + 8))]);
  return out;
}

/**
 * readv/writev ('current'), preadv/pwritev ('pos'), preadv2/pwritev2 ('pos2',
 * where offset -1 means the file offset): one iovec at a time, stopping at the
 * first short transfer.
 */
function rwVector(c: Call, write: boolean, mode: 'current' | 'pos' | 'pos2'): number {
  const f = regularFile(c, c.int(0));
  if (f === 'stream') return mode === 'current' ? streamCall(c, write) : CONTINUE;
  if (typeof f === 'number') return f;
  const iov = readIov(c, c.ptr(1), c.int(2));
  if (typeof iov === 'number') return iov;
  let positional = mode !== 'current';
  let pos = positional ? c.long(3) : lseek(f.hostFd, 0, SEEK_CUR);
  if (mode === 'pos2' && pos === -1) {
    pos = lseek(f.hostFd, 0, SEEK_CUR);
    positional = false;
  }
  if (pos < 0) return positional ? -E.EINVAL : pos;
  let total = 0;
  for (const [base, len] of iov) {
    if (!len) continue;
    const n = write ? writeAt(c, f, base, len, pos + total, positional) : readAt(c, f, base, len, pos + total);
    if (n < 0) return total ? total : n;
    total += n;
    if (n < len) break;
  }
  if (!positional && total > 0 && !(write && f.flags & O_APPEND)) lseek(f.hostFd, pos + total, SEEK_SET);
  return total;
}

/** lseek(fd, off, whence): directories and files alike; the host does the arithmetic on our reference. */
function sysLseek(c: Call): number {
  const e = fdEntry(c, c.int(0));
  if (typeof e === 'number') return e;
  if (e.file.kind === 'special') return -E.EBADF;
  if (e.file.kind === 'pipe') return -E.ESPIPE;
  return lseek(e.file.hostFd, c.long(1), c.int(2));
}

function sysFtruncate(c: Call): number {
  const f = regularFile(c, c.int(0));
  if (f === 'stream') return -E.EINVAL;
  if (typeof f === 'number') return f;
  if (f.kind === 'dir') return -E.EINVAL;
  if (!f.writable) return -E.EINVAL;
  const len = c.long(1);
  if (len < 0) return -E.EINVAL;
  let r = f.inode.setattr({ size: len });
  if (r === -E.EROFS) r = ftruncate(f.hostFd, len);
  if (r === 0) fsnotify.changed(f.path?.d ?? null, f.inode, { size: true });
  return r;
}

const FALLOC_FL_PUNCH_HOLE = 2;
const FALLOC_FL_COLLAPSE_RANGE = 8;

/** fallocate(fd, mode, offset, len): the host allocates, after the filesystem's size limit agreed. */
function sysFallocate(c: Call): number {
  const e = fdEntry(c, c.int(0));
  if (typeof e === 'number') return e;
  if (e.file.kind === 'special') return -E.EBADF;
  const mode = c.int(1);
  const off = c.long(2);
  const len = c.long(3);
  if (!(mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE)) && off >= 0 && len > 0 && e.file.writable) {
    const fit = e.file.inode.writable(off, len);
    if (fit < len) return -E.ENOSPC;
  }
  return CONTINUE;
}

/** Calls on a valid guest fd whose effects the host performs for the guest (strict policy). */
function onValidFd(c: Call): number {
  const e = fdEntry(c, c.int(0));
  if (typeof e === 'number') return e;
  if (e.file.kind === 'special') return -E.EBADF;
  return CONTINUE;
}

/** Two-fd calls (sendfile, splice, tee, copy_file_range): both must be the guest's. */
function onValidFds(c: Call, a: number, b: number): number {
  const x = fdEntry(c, c.int(a));
  if (typeof x === 'number') return x;
  const y = fdEntry(c, c.int(b));
  if (typeof y === 'number') return y;
  return CONTINUE;
}

export const ioSyscalls: SyscallFamily = {
  pipe: { fn: (c) => pipeImpl(c, 0), args: 'ptr' },
  pipe2: { fn: (c) => pipeImpl(c, c.int(1)), args: 'ptr,hex' },
  memfd_create: { fn: sysMemfdCreate, args: 'str,hex', ret: 'fd' },
  read: { fn: (c) => rwCurrent(c, false), args: 'fd,ptr,size' },
  write: { fn: (c) => rwCurrent(c, true), args: 'fd,ptr,size' },
  pread64: { fn: (c) => rwPositional(c, false), args: 'fd,ptr,size,int' },
  pwrite64: { fn: (c) => rwPositional(c, true), args: 'fd,ptr,size,int' },
  readv: { fn: (c) => rwVector(c, false, 'current'), args: 'fd,ptr,int' },
  writev: { fn: (c) => rwVector(c, true, 'current'), args: 'fd,ptr,int' },
  preadv: { fn: (c) => rwVector(c, false, 'pos'), args: 'fd,ptr,int,int' },
  pwritev: { fn: (c) => rwVector(c, true, 'pos'), args: 'fd,ptr,int,int' },
  preadv2: { fn: (c) => rwVector(c, false, 'pos2'), args: 'fd,ptr,int,int,-,hex', partial: 'RWF_* flags ignored on regular files' },
  pwritev2: { fn: (c) => rwVector(c, true, 'pos2'), args: 'fd,ptr,int,int,-,hex', partial: 'RWF_* flags ignored on regular files' },
  lseek: { fn: sysLseek, args: 'fd,int,int' },
  ftruncate: { fn: sysFtruncate, args: 'fd,int' },
  fallocate: { fn: sysFallocate, args: 'fd,int,int,int' },
  fsync: { fn: onValidFd, args: 'fd' },
  fdatasync: { fn: onValidFd, args: 'fd' },
  sync_file_range: { fn: onValidFd, args: 'fd,int,int,hex' },
  fadvise64: { fn: onValidFd, args: 'fd,int,int,int' },
  readahead: { fn: onValidFd, args: 'fd,int,size' },
  sendfile: { fn: (c) => onValidFds(c, 0, 1), args: 'fd,fd,ptr,size' },
  splice: { fn: (c) => onValidFds(c, 0, 2), args: 'fd,ptr,fd,ptr,size,hex' },
  tee: { fn: (c) => onValidFds(c, 0, 1), args: 'fd,fd,size,hex' },
  vmsplice: { fn: onValidFd, args: 'fd,ptr,int,hex' },
  copy_file_range: { fn: (c) => onValidFds(c, 0, 2), args: 'fd,ptr,fd,ptr,size,hex' },
  epoll_ctl: { fn: (c) => onValidFds(c, 0, 2), args: 'fd,int,fd,ptr' },
  epoll_wait: { fn: onValidFd, args: 'fd,ptr,int,int' },
  epoll_pwait: { fn: onValidFd, args: 'fd,ptr,int,int,ptr,size' },
  epoll_pwait2: { fn: onValidFd, args: 'fd,ptr,int,ptr,ptr,size' },
  poll: { fn: () => CONTINUE, args: 'ptr,uint,int' },
  ppoll: { fn: () => CONTINUE, args: 'ptr,uint,ptr,ptr,size' },
  select: { fn: () => CONTINUE, args: 'int,ptr,ptr,ptr,ptr' },
  pselect6: { fn: () => CONTINUE, args: 'int,ptr,ptr,ptr,ptr,ptr' },
  timerfd_settime: { fn: onValidFd, args: 'fd,hex,ptr,ptr' },
  timerfd_gettime: { fn: onValidFd, args: 'fd,ptr' },
};

