// Extended attributes: user.* on files the sentry holds (tmpfs, the overlay's
// upper layer, where setting one copies the file up). Lower-layer files show
// none; other namespaces are not supported (EOPNOTSUPP), as on a filesystem
// mounted without them.
import { E } from '../abi/errno.js';
import { AT_FDCWD } from '../abi/flags.js';
import { OverlayInode } from '../fs/overlay/overlay.js';
import { TmpInode } from '../fs/tmpfs/tmpfs.js';
import type { Inode } from '../vfs/inode.js';
import type { Dentry, Mount } from '../vfs/mount.js';
import { fsnotify, IN_ATTRIB } from '../vfs/fsnotify.js';
import { walk } from '../vfs/namei.js';
import { MAY_WRITE, permission } from '../vfs/perm.js';
import type { Call } from './call.js';
import { ioFileOf, startDir } from './common.js';
import type { SyscallFamily } from './types.js';

const XATTR_CREATE = 1;
const XATTR_REPLACE = 2;
const XATTR_NAME_MAX = 255;
const XATTR_SIZE_MAX = 65536;

/** What an xattr call acts on; `d` is the name it was reached by (for the notifier). */
type Target = { inode: Inode; mnt: Mount | null; d: Dentry | null };

function byPath(c: Call, follow: boolean): Target | number {
  const path = c.readPath(0);
  if (typeof path === 'number') return path;
  const start = startDir(c, AT_FDCWD, path);
  if (typeof start === 'number') return start;
  const p = walk(c.kernel.nameiContext(c.task), start, path, { follow });
  return typeof p === 'number' ? p : { inode: p.d.inode, mnt: p.mnt, d: p.d };
}

function byFd(c: Call): Target | number {
  const f = ioFileOf(c, c.int(0));
  if (typeof f === 'number') return f;
  return { inode: f.inode, mnt: f.path?.mnt ?? null, d: f.path?.d ?? null };
}

/** The attribute store behind an inode, if it has one (copying up when asked to write). */
function store(inode: Inode, forWrite: boolean): Map<string, Buffer> | null | number {
  let real: Inode = inode;
  if (inode instanceof OverlayInode) {
    if (forWrite) {
      const r = inode.copyUp();
      if (r < 0) return r;
    }
    if (!inode.upper) return null;
    real = inode.upper;
  }
  if (!(real instanceof TmpInode)) return forWrite ? -E.EOPNOTSUPP : null;
  if (!real.xattrs && forWrite) real.xattrs = new Map();
  return real.xattrs;
}

function readName(c: Call, idx: number): string | number {
  const n = c.readString(c.ptr(idx), XATTR_NAME_MAX + 1);
  if (typeof n === 'number') return n === -E.ENAMETOOLONG ? -E.ERANGE : n;
  if (!n.length || n.length > XATTR_NAME_MAX) return -E.ERANGE;
  return n;
}

function getx(c: Call, t: Target | number): number {
  if (typeof t === 'number') return t;
  const name = readName(c, 1);
  if (typeof name === 'number') return name;
  if (!name.startsWith('user.')) return name.startsWith('security.') || name.startsWith('system.') || name.startsWith('trusted.') ? -E.ENODATA : -E.EOPNOTSUPP;
  const s = store(t.inode, false);
  if (typeof s === 'number') return s;
  const v = s?.get(name);
  if (!v) return -E.ENODATA;
  const size = c.ptr(3);
  if (size === 0) return v.length;
  if (size < v.length) return -E.ERANGE;
  const r = c.write(c.ptr(2), v);
  return r < 0 ? r : v.length;
}

function setx(c: Call, t: Target | number): number {
  if (typeof t === 'number') return t;
  const flags = c.int(4);
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return -E.EINVAL;
  const name = readName(c, 1);
  if (typeof name === 'number') return name;
  if (!name.startsWith('user.')) return -E.EOPNOTSUPP;
  const size = c.ptr(3);
  if (size > XATTR_SIZE_MAX) return -E.E2BIG;
  if (t.mnt?.opts.readOnly) return -E.EROFS;
  const st = t.inode.stat();
  if (typeof st === 'number') return st;
  if (!t.inode.isRegular() && !t.inode.isDir()) return -E.EPERM;
  const perm = permission(st, c.task.creds, MAY_WRITE);
  if (perm < 0) return perm;
  const value = c.readCopy(c.ptr(2), size);
  if (typeof value === 'number') return value;
  const s = store(t.inode, true);
  if (typeof s === 'number') return s;
  if (!s) return -E.EOPNOTSUPP;
  if (flags & XATTR_CREATE && s.has(name)) return -E.EEXIST;
  if (flags & XATTR_REPLACE && !s.has(name)) return -E.ENODATA;
  s.set(name, value);
  fsnotify.event(t.d, t.inode, IN_ATTRIB);
  return 0;
}

function listx(c: Call, t: Target | number): number {
  if (typeof t === 'number') return t;
  const s = store(t.inode, false);
  if (typeof s === 'number') return s;
  const names = s ? [...s.keys()] : [];
  const b = Buffer.from(names.map((n) => n + '\0').join(''), 'latin1');
  const size = c.ptr(2);
  if (size === 0) return b.length;
  if (size < b.length) return -E.ERANGE;
  const r = c.write(c.ptr(1), b);
  return r < 0 ? r : b.length;
}

function removex(c: Call, t: Target | number): number {
  if (typeof t === 'number') return t;
  const name = readName(c, 1);
  if (typeof name === 'number') return name;
  if (!name.startsWith('user.')) return -E.EOPNOTSUPP;
  if (t.mnt?.opts.readOnly) return -E.EROFS;
  const cur = store(t.inode, false);
  if (typeof cur === 'number') return cur;
  if (!cur?.has(name)) return -E.ENODATA;
  const s = store(t.inode, true);
  if (typeof s === 'number') return s;
  s?.delete(name);
  fsnotify.event(t.d, t.inode, IN_ATTRIB);
  return 0;
}

export const xattrSyscalls: SyscallFamily = {
  getxattr: { fn: (c) => getx(c, byPath(c, true)), args: 'path,str,ptr,size', partial: 'user.* only' },
  lgetxattr: { fn: (c) => getx(c, byPath(c, false)), args: 'path,str,ptr,size', partial: 'user.* only' },
  fgetxattr: { fn: (c) => getx(c, byFd(c)), args: 'fd,str,ptr,size', partial: 'user.* only' },
  setxattr: { fn: (c) => setx(c, byPath(c, true)), args: 'path,str,ptr,size,hex', partial: 'user.* only' },
  lsetxattr: { fn: (c) => setx(c, byPath(c, false)), args: 'path,str,ptr,size,hex', partial: 'user.* only' },
  fsetxattr: { fn: (c) => setx(c, byFd(c)), args: 'fd,str,ptr,size,hex', partial: 'user.* only' },
  listxattr: { fn: (c) => listx(c, byPath(c, true)), args: 'path,ptr,size' },
  llistxattr: { fn: (c) => listx(c, byPath(c, false)), args: 'path,ptr,size' },
  flistxattr: { fn: (c) => listx(c, byFd(c)), args: 'fd,ptr,size' },
  removexattr: { fn: (c) => removex(c, byPath(c, true)), args: 'path,str', partial: 'user.* only' },
  lremovexattr: { fn: (c) => removex(c, byPath(c, false)), args: 'path,str', partial: 'user.* only' },
  fremovexattr: { fn: (c) => removex(c, byFd(c)), args: 'fd,str', partial: 'user.* only' },
};
