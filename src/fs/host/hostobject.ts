// An inode for a host object with no name in the sandbox: pipes, memfds, the
// stdio the sandbox was started with. Its metadata is the host object's, on a
// device of the sentry's. Opening it again (through a magic link such as
// /proc/self/fd/N or /dev/stdout) opens a new description of the same object.
import { E } from '../../abi/errno.js';
import { F_GETFL, F_SETFL, O_ACCMODE, O_APPEND, O_NONBLOCK, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, S_IFMT, S_IFSOCK } from '../../abi/flags.js';
import { fcntl, fstat, ftruncate, reopen } from '../../platform/host.js';
import { type FileSystem, Inode, type Opened, type SetAttr, type Stat } from '../../vfs/inode.js';
import { allocDev, makedev } from '../devices.js';

const anonFs = new Map<string, FileSystem>();

function fsNamed(name: string): FileSystem {
  let fs = anonFs.get(name);
  if (!fs) anonFs.set(name, (fs = { name, dev: allocDev(), readOnly: false }));
  return fs;
}

export class HostObjectInode extends Inode {
  constructor(
    /** A host fd the sentry holds for as long as any guest fd refers to this. */
    private readonly fd: number,
    fsName: string,
    /** Keep the host's st_dev (a terminal keeps its identity). */
    private readonly hostDev = false,
    /**
     * A reopen may not ask for more access than this fd has: set for objects
     * handed in from outside (the sandbox's stdio), so /dev/stdin opened for
     * writing cannot write to a host file given only for reading.
     */
    private readonly bounded = false,
  ) {
    super(fsNamed(fsName));
  }

  stat(): Stat | number {
    const h = fstat(this.fd);
    if (typeof h === 'number') return h;
    return {
      dev: this.hostDev ? makedev(h.devMajor, h.devMinor) : this.fs.dev,
      ino: h.ino,
      mode: h.mode,
      nlink: h.nlink,
      uid: h.uid,
      gid: h.gid,
      rdev: makedev(h.rdevMajor, h.rdevMinor),
      size: h.size,
      blksize: h.blksize,
      blocks: h.blocks,
      atime: { sec: h.atimeSec, nsec: h.atimeNsec },
      mtime: { sec: h.mtimeSec, nsec: h.mtimeNsec },
      ctime: { sec: h.ctimeSec, nsec: h.ctimeNsec },
      btime: { sec: h.btimeSec, nsec: h.btimeNsec },
    };
  }

  override open(flags: number): Opened | number {
    const h = fstat(this.fd);
    if (typeof h === 'number') return h;
    if ((h.mode & S_IFMT) === S_IFSOCK) return -E.ENXIO;
    if (this.bounded) {
      const acc = flags & O_ACCMODE;
      const have = fcntl(this.fd, F_GETFL, 0) & O_ACCMODE;
      const read = acc === O_RDONLY || acc === O_RDWR;
      const write = acc === O_WRONLY || acc === O_RDWR || (flags & O_TRUNC) !== 0;
      if ((read && have === O_WRONLY) || (write && have === O_RDONLY)) return -E.EACCES;
    }
    // Never block the sentry (a FIFO open waits for its other end): open
    // non-blocking, then give the guest the blocking mode it asked for.
    const fd = reopen(this.fd, (flags & (O_ACCMODE | O_APPEND | O_TRUNC)) | O_NONBLOCK);
    if (fd < 0) return fd;
    if (!(flags & O_NONBLOCK)) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) & ~O_NONBLOCK);
    return { hostFd: fd };
  }

  /**
   * The metadata is the host object's own; only its size may change, by the
   * object's rules (a memfd grows or shrinks, a pipe answers EINVAL), as
   * ftruncate on the guest's fd does natively in the balanced policy. (Found
   * by the syscall fuzzer: its ftruncate of a memfd failed with EPERM in
   * strict mode only.)
   */
  override setattr(a: SetAttr): number {
    if (a.size !== undefined && a.mode === undefined && a.uid === undefined && a.gid === undefined && !a.atime && !a.mtime) {
      return ftruncate(this.fd, a.size);
    }
    return -E.EPERM;
  }
}
