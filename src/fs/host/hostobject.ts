// An inode for a host object with no name in the sandbox: pipes, memfds, the
// stdio the sandbox was started with. Its metadata is the host object's, on a
// device of the sentry's.
import { E } from '../../abi/errno.js';
import { fstat } from '../../platform/host.js';
import { type FileSystem, Inode, type SetAttr, type Stat } from '../../vfs/inode.js';
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

  override setattr(_a: SetAttr): number {
    return -E.EPERM;
  }
}
