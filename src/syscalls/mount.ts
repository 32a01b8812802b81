// mount and umount2 inside the sandbox. Root inside (CAP_SYS_ADMIN) may
// mount what the sentry can make on its own: a tmpfs (size=, mode=, uid=,
// gid=), a proc, and bind mounts of the sandbox's own paths (MS_BIND, with
// MS_REC, made read-only by MS_REMOUNT|MS_BIND|MS_RDONLY); move a mount
// (MS_MOVE); remount to change flags; and unmount (EBUSY while a mount sits
// below, or a process has its working directory, root or an open file in
// it; MNT_DETACH takes it out at once). Every mount is the sandbox's own:
// nothing reaches the host's mount table. Propagation types (MS_PRIVATE,
// MS_SHARED, ...) change nothing: there is one mount namespace. Other
// filesystem types answer EPERM.
import { totalmem } from 'node:os';
import { E } from '../abi/errno.js';
import { ProcFs } from '../fs/proc/procfs.js';
import { Tmpfs } from '../fs/tmpfs/tmpfs.js';
import { CAP_SYS_ADMIN } from '../vfs/creds.js';
import type { Mount, MountOptions, VPath } from '../vfs/mount.js';
import { walk } from '../vfs/namei.js';
import type { Call } from './call.js';
import { startDir } from './common.js';
import type { SyscallFamily } from './types.js';

const MS_RDONLY = 1;
const MS_NOSUID = 2;
const MS_NODEV = 4;
const MS_NOEXEC = 8;
const MS_REMOUNT = 32;
const MS_BIND = 4096;
const MS_MOVE = 8192;
const MS_REC = 16384;
const MS_UNBINDABLE = 1 << 17;
const MS_PRIVATE = 1 << 18;
const MS_SLAVE = 1 << 19;
const MS_SHARED = 1 << 20;
const MS_PROPAGATION = MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED;
const MS_MGC_MSK = 0xffff0000;
const MS_MGC_VAL = 0xc0ed0000;

const MNT_FORCE = 1;
const MNT_DETACH = 2;
const MNT_EXPIRE = 4;
const UMOUNT_NOFOLLOW = 8;

/** mount(2)'s data is at most a page; the type a short name. */
const DATA_MAX = 4095;
const TYPE_MAX = 255;

function resolvePath(c: Call, idx: number, follow: boolean): VPath | number {
  const path = c.readPath(idx);
  if (typeof path === 'number') return path;
  const start = startDir(c, -100, path);
  if (typeof start === 'number') return start;
  return walk(c.kernel.nameiContext(c.task), start, path, { follow });
}

function readData(c: Call): string | number {
  const addr = c.ptr(4);
  if (!addr) return '';
  const s = c.readString(addr, DATA_MAX);
  return s === -E.ENAMETOOLONG ? -E.EINVAL : s;
}

/** The per-mount flags a mount(2) call asks for. */
function mntFlags(flags: number): Pick<MountOptions, 'readOnly' | 'nosuid' | 'nodev' | 'noexec'> {
  return { readOnly: !!(flags & MS_RDONLY), nosuid: !!(flags & MS_NOSUID), nodev: !!(flags & MS_NODEV), noexec: !!(flags & MS_NOEXEC) };
}

interface TmpfsParams {
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
}

/** tmpfs's own options (mm/shmem.c): size=N[kmg%], mode=, uid=, gid=; nr_inodes and friends accepted. */
function tmpfsParams(data: string): TmpfsParams | number {
  const p: TmpfsParams = {};
  for (const opt of data.split(',')) {
    if (!opt) continue;
    const i = opt.indexOf('=');
    const k = i < 0 ? opt : opt.slice(0, i);
    const v = i < 0 ? '' : opt.slice(i + 1);
    switch (k) {
      case 'size': {
        const m = /^(\d+)([kKmMgGtT%]?)$/.exec(v);
        if (!m) return -E.EINVAL;
        const unit = m[2]!.toLowerCase();
        const n = Number(m[1]);
        const bytes = unit === '%' ? Math.floor((totalmem() * n) / 100) : n * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit] ?? 1);
        // Linux rounds up to pages.
        p.size = Math.ceil(bytes / 4096) * 4096;
        break;
      }
      case 'mode':
        if (!/^[0-7]{1,4}$/.test(v)) return -E.EINVAL;
        p.mode = parseInt(v, 8);
        break;
      case 'uid':
      case 'gid':
        if (!/^\d+$/.test(v)) return -E.EINVAL;
        p[k] = Number(v);
        break;
      case 'nr_inodes':
      case 'nr_blocks':
      case 'huge':
      case 'mpol':
      case 'inode32':
      case 'inode64':
      case 'noswap':
      case 'quota':
      case 'usrquota':
      case 'grpquota':
        break; // accepted; nothing the sentry's tmpfs keeps
      // Generic options a caller may leave in the data (libmount turns them into flags).
      case 'rw':
      case 'ro':
      case 'nosuid':
      case 'nodev':
      case 'noexec':
      case 'relatime':
      case 'noatime':
      case 'strictatime':
        break;
      default:
        return -E.EINVAL; // "tmpfs: Unknown parameter"
    }
  }
  return p;
}

function tmpfsData(fs: Tmpfs, mode: number): string {
  return [fs.sizeLimit ? `size=${Math.ceil(fs.sizeLimit / 1024)}k` : '', `mode=${mode.toString(8)}`].filter(Boolean).join(',');
}

/** The mount whose root is exactly at `p`, or -EINVAL (Linux: "not a mount point"). */
function mountAt(p: VPath): Mount | number {
  return p.d === p.mnt.root ? p.mnt : -E.EINVAL;
}

/** mount(source, target, fstype, flags, data) */
function sysMount(c: Call): number {
  if (!c.task.creds.hasCap(CAP_SYS_ADMIN)) return -E.EPERM;
  let flags = c.uint(3);
  if ((flags & MS_MGC_MSK) >>> 0 === MS_MGC_VAL) flags = (flags & ~MS_MGC_MSK) >>> 0;
  const ns = c.kernel.mounts;
  const target = resolvePath(c, 1, true);
  if (typeof target === 'number') return target;

  if (flags & MS_REMOUNT) {
    const m = mountAt(target);
    if (typeof m === 'number') return m;
    const data = readData(c);
    if (typeof data === 'number') return data;
    // The superblock's options (MS_REMOUNT alone): a tmpfs takes new size= and mode=.
    if (!(flags & MS_BIND) && m.root.inode.fs instanceof Tmpfs && data) {
      const p = tmpfsParams(data);
      if (typeof p === 'number') return p;
      const fs = m.root.inode.fs;
      if (p.mode !== undefined) return -E.EINVAL; // mode= only at mount time, as shmem_reconfigure
      if (p.size !== undefined) {
        // EBUSY below what is used, as shmem_reconfigure.
        const r = fs.resize(p.size);
        if (r < 0) return r;
      }
      m.opts.data = tmpfsData(fs, m.root.inode.mode & 0o7777);
    }
    Object.assign(m.opts, mntFlags(flags));
    return 0;
  }

  if (flags & MS_BIND) {
    const src = resolvePath(c, 0, true);
    if (typeof src === 'number') return src;
    if (src.d.inode.isDir() !== target.d.inode.isDir()) return -E.ENOTDIR;
    // A bind keeps the source mount's flags (a read-only source stays read-only); MS_RDONLY needs a remount.
    ns.bind(target, src, { ...src.mnt.opts }, (flags & MS_REC) !== 0);
    return 0;
  }

  if (flags & MS_PROPAGATION) {
    // One mount namespace, nothing to propagate to: every type is the same here.
    return typeof mountAt(target) === 'number' ? -E.EINVAL : 0;
  }

  if (flags & MS_MOVE) {
    const src = resolvePath(c, 0, true);
    if (typeof src === 'number') return src;
    const m = mountAt(src);
    if (typeof m === 'number') return m;
    if (!m.parent) return -E.EINVAL;
    if (m.root.inode.isDir() !== target.d.inode.isDir()) return -E.ENOTDIR;
    // Not below itself.
    for (let x: Mount | null = target.mnt; x; x = x.parent) if (x === m) return -E.ELOOP;
    ns.move(m, target);
    return 0;
  }

  if (!c.ptr(2)) return -E.EINVAL; // a new mount needs a type (do_new_mount)
  const type = c.readString(c.ptr(2), TYPE_MAX);
  if (typeof type === 'number') return type === -E.ENAMETOOLONG ? -E.ENODEV : type;
  const data = readData(c);
  if (typeof data === 'number') return data;
  if (!target.d.inode.isDir()) return -E.ENOTDIR;
  const source = c.ptr(0) ? c.readString(c.ptr(0), 4095) : 'none';
  const src = typeof source === 'number' ? 'none' : source;
  switch (type) {
    case 'tmpfs': {
      const p = tmpfsParams(data);
      if (typeof p === 'number') return p;
      const mode = p.mode ?? 0o1777;
      const fs = new Tmpfs({ size: p.size ?? 0, mode, uid: p.uid ?? 0, gid: p.gid ?? 0, hostBacked: true });
      ns.mount(target, fs.root, { source: src, type: 'tmpfs', data: tmpfsData(fs, mode), ...mntFlags(flags) });
      return 0;
    }
    case 'proc':
      ns.mount(target, new ProcFs(c.kernel).root, { source: src, type: 'proc', ...mntFlags(flags) });
      return 0;
    default:
      return -E.EPERM;
  }
}

/** Whether a process holds something inside mount `m` (working directory, root, open file, its executable). */
function inUse(c: Call, m: Mount): boolean {
  const inside = (p: VPath | null | undefined) => !!p && p.mnt === m;
  for (const t of c.kernel.pids.tasks.values()) {
    if (inside(t.fs?.cwd) || inside(t.fs?.root) || inside(t.group.exe)) return true;
    if (t.files) for (const [, e] of t.files.fds()) if (inside(e.file.path)) return true;
  }
  return false;
}

/** Mounts marked by a first MNT_EXPIRE (a second one unmounts them if still unused). */
const expiring = new WeakSet<Mount>();

/** umount2(target, flags) */
function sysUmount2(c: Call): number {
  const flags = c.int(1);
  if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return -E.EINVAL;
  if (flags & MNT_EXPIRE && flags & (MNT_FORCE | MNT_DETACH)) return -E.EINVAL;
  if (!c.task.creds.hasCap(CAP_SYS_ADMIN)) return -E.EPERM;
  const p = resolvePath(c, 0, !(flags & UMOUNT_NOFOLLOW));
  if (typeof p === 'number') return p;
  const m = mountAt(p);
  if (typeof m === 'number') return m;
  if (!m.parent || !m.mountpoint) return -E.EINVAL; // the root of the namespace
  const ns = c.kernel.mounts;
  if (flags & MNT_DETACH) {
    ns.detach(m);
    return 0;
  }
  if (m.children.size || inUse(c, m)) return -E.EBUSY;
  if (flags & MNT_EXPIRE && !expiring.has(m)) {
    expiring.add(m);
    return -E.EAGAIN;
  }
  const r = ns.umount(m);
  // A tmpfs no other mount shows any more lets go of its host tmpfs (open files keep it).
  const fs = m.root.inode.fs;
  if (r === 0 && fs instanceof Tmpfs && !ns.list().some((x) => x.root.inode.fs === fs)) fs.dispose();
  return r;
}

export const mountSyscalls: SyscallFamily = {
  mount: {
    fn: sysMount,
    args: 'str,path,str,hex,str',
    partial: 'tmpfs, proc, bind mounts of sandbox paths, MS_MOVE, remount; other types EPERM',
  },
  umount2: { fn: sysUmount2, args: 'path,hex' },
};
