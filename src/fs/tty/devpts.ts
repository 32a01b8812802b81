// devpts for one sandbox: /dev/pts lists the sandbox's own terminals (never
// the host's), pts/ptmx makes a new one, pts/N opens terminal N. And the
// character devices of /dev that name a terminal relative to the caller:
// /dev/tty (its controlling terminal) and /dev/console (the sandbox's).
import { E } from '../../abi/errno.js';
import { S_IFCHR, S_IFDIR } from '../../abi/flags.js';
import { type DirEntry, type FileSystem, Inode, type Opened, type SetAttr, type Stat } from '../../vfs/inode.js';
import { allocDev, makedev } from '../devices.js';
import { TmpInode, type Tmpfs } from '../tmpfs/tmpfs.js';
import { PTS_MAJOR, type Pty, type Terminals } from './pty.js';

const TTYAUX_MAJOR = 5;

function charStat(fs: FileSystem, ino: number, mode: number, uid: number, gid: number, rdev: number, time: Stat['atime']): Stat {
  return { dev: fs.dev, ino, mode: S_IFCHR | mode, nlink: 1, uid, gid, rdev, size: 0, blksize: 1024, blocks: 0, atime: time, mtime: time, ctime: time, btime: time };
}

export class Devpts implements FileSystem {
  readonly name = 'devpts';
  readonly dev = allocDev();
  readonly readOnly = false;
  readonly root: DevptsRoot;
  readonly ptmx: PtmxInode;
  readonly mounted = { sec: Math.floor(Date.now() / 1000), nsec: 0 };
  private readonly inodes = new WeakMap<Pty, PtsInode>();

  constructor(readonly terminals: Terminals) {
    this.root = new DevptsRoot(this);
    this.ptmx = new PtmxInode(this);
  }

  /** The inode of /dev/pts/N (one per terminal, so stat and fstat agree). */
  inodeOf(p: Pty): PtsInode {
    let i = this.inodes.get(p);
    if (!i) this.inodes.set(p, (i = new PtsInode(this, p)));
    return i;
  }
}

class DevptsRoot extends Inode {
  constructor(readonly pts: Devpts) {
    super(pts);
  }

  stat(): Stat {
    const t = this.pts.mounted;
    return { dev: this.fs.dev, ino: 1, mode: S_IFDIR | 0o755, nlink: 2, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 1024, blocks: 0, atime: t, mtime: t, ctime: t, btime: t };
  }

  override lookup(name: string): Inode | null | number {
    if (name === 'ptmx') return this.pts.ptmx;
    if (!/^(0|[1-9][0-9]{0,8})$/.test(name)) return null;
    const p = this.pts.terminals.ptys.get(Number(name));
    return p && !p.closed ? this.pts.inodeOf(p) : null;
  }

  override readdir(): DirEntry[] {
    const out: DirEntry[] = [{ name: 'ptmx', ino: 2, type: S_IFCHR }];
    const ids = [...this.pts.terminals.ptys.keys()].sort((a, b) => a - b);
    for (const n of ids) out.push({ name: String(n), ino: n + 3, type: S_IFCHR });
    return out;
  }

  // devpts' root has no operations that make names (simple_dir_inode_operations).
  override create(): number {
    return -E.EPERM;
  }
  override mkdir(): number {
    return -E.EPERM;
  }
  override mknod(): number {
    return -E.EPERM;
  }
  override symlink(): number {
    return -E.EPERM;
  }
  override link(): number {
    return -E.EPERM;
  }
  override unlink(): number {
    return -E.EPERM;
  }
  override rmdir(): number {
    return -E.EPERM;
  }
  override rename(): number {
    return -E.EPERM;
  }
  override setattr(): number {
    return -E.EPERM;
  }
}

/** pts/ptmx (ptmxmode=666): every open makes a terminal. */
class PtmxInode extends Inode {
  constructor(readonly pts: Devpts) {
    super(pts);
  }

  stat(): Stat {
    return charStat(this.fs, 2, 0o666, 0, 0, makedev(TTYAUX_MAJOR, 2), this.pts.mounted);
  }

  override open(flags: number): Opened | number {
    return this.pts.terminals.openPtmx(flags);
  }

  override setattr(): number {
    return -E.EPERM;
  }
}

/** pts/N: the terminal itself. Not cached: it goes when its master is closed. */
export class PtsInode extends Inode {
  constructor(
    readonly pts: Devpts,
    readonly pty: Pty,
  ) {
    super(pts);
  }

  override get cacheable(): boolean {
    return false;
  }

  stat(): Stat {
    const p = this.pty;
    return charStat(this.fs, p.index + 3, p.mode, p.uid, p.gid, makedev(PTS_MAJOR, p.index), p.ctime);
  }

  override open(flags: number): Opened | number {
    return this.pty.openSlave(flags, true);
  }

  /** chmod/chown as grantpt and terminal programs (mesg, write) use them. */
  override setattr(a: SetAttr): number {
    const p = this.pty;
    if (a.size !== undefined) return 0; // O_TRUNC on a terminal is ignored
    if (a.mode !== undefined) p.mode = a.mode & 0o7777;
    if (a.uid !== undefined) p.uid = a.uid;
    if (a.gid !== undefined) p.gid = a.gid;
    return 0;
  }
}

/**
 * A character device of /dev that opens a terminal chosen at open time:
 * /dev/tty (the caller's controlling terminal; ENXIO without one) and
 * /dev/console (the sandbox's console). Neither makes it the caller's
 * controlling terminal, as on Linux.
 */
export class TtyDeviceInode extends TmpInode {
  constructor(
    tfs: Tmpfs,
    private readonly terminals: Terminals,
    private readonly which: 'tty' | 'console',
    mode: number,
    uid = 0,
    gid = 0,
  ) {
    super(tfs, S_IFCHR | mode, uid, gid);
  }

  override stat(): Stat | number {
    const st = super.stat();
    if (typeof st !== 'number') st.rdev = makedev(TTYAUX_MAJOR, this.which === 'tty' ? 0 : 1);
    return st;
  }

  override open(flags: number): Opened | number {
    const ts = this.terminals;
    let p: Pty | null;
    if (this.which === 'console') p = ts.console;
    else {
      const t = ts.kernel.current;
      p = t ? ts.cttyOf(t.group) : null;
    }
    if (!p || p.closed) return -E.ENXIO;
    return p.openSlave(flags, false);
  }
}
