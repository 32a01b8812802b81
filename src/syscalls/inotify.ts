// inotify: init, add_watch, rm_watch. The instance (src/fs/anon/inotify.ts)
// is a host socket the guest reads natively; the events come from the
// notifier (src/vfs/fsnotify.ts), which the other families call after each
// change.
import { E } from '../abi/errno.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDONLY } from '../abi/flags.js';
import { InotifyInode } from '../fs/anon/inotify.js';
import { OpenFile } from '../vfs/file.js';
import { fsnotify, IN_DONT_FOLLOW, IN_MASK_ADD, IN_MASK_CREATE, IN_ONLYDIR } from '../vfs/fsnotify.js';
import { walk } from '../vfs/namei.js';
import { MAY_READ, permission } from '../vfs/perm.js';
import type { Call } from './call.js';
import { installAndReply, ioFileOf } from './common.js';
import type { SyscallFamily } from './types.js';

/** Every bit inotify_add_watch knows (ALL_INOTIFY_BITS): a mask with none of them is EINVAL. */
const ALL_INOTIFY_BITS = 0xf700efff;

/** inotify_init1(flags) */
function init(c: Call, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -E.EINVAL;
  const inode = InotifyInode.create(c.task.creds.uid, (flags & O_NONBLOCK) !== 0);
  if (typeof inode === 'number') return inode;
  const f = new OpenFile(null, inode, O_RDONLY | (flags & O_NONBLOCK), inode.guestFd, 'anon', 'anon_inode:inotify');
  return installAndReply(c, f, (flags & O_CLOEXEC) !== 0);
}

function instance(c: Call, fd: number): InotifyInode | number {
  const f = ioFileOf(c, fd);
  if (typeof f === 'number') return f;
  return f.inode instanceof InotifyInode ? f.inode : -E.EINVAL;
}

/** inotify_add_watch(fd, path, mask): Linux's order of checks (fs/notify/inotify/inotify_user.c). */
function addWatch(c: Call): number {
  const mask = c.uint(2);
  if (mask & IN_MASK_ADD && mask & IN_MASK_CREATE) return -E.EINVAL;
  if (!(mask & ALL_INOTIFY_BITS)) return -E.EINVAL;
  const inst = instance(c, c.int(0));
  if (typeof inst === 'number') return inst;
  const path = c.readPath(1);
  if (typeof path === 'number') return path;
  const p = walk(c.kernel.nameiContext(c.task), c.task.fs.cwd, path, { follow: !(mask & IN_DONT_FOLLOW), directory: (mask & IN_ONLYDIR) !== 0 });
  if (typeof p === 'number') return p;
  // One may watch only what one may read.
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  const perm = permission(st, c.task.creds, MAY_READ);
  if (perm < 0) return perm;
  const key = fsnotify.keyOf(p.d.inode);
  if (key === null) return -E.ENOENT;
  return inst.addWatch(p.d.inode, key, mask);
}

/** inotify_rm_watch(fd, wd) */
function rmWatch(c: Call): number {
  const inst = instance(c, c.int(0));
  return typeof inst === 'number' ? inst : inst.rmWatch(c.int(1));
}

export const inotifySyscalls: SyscallFamily = {
  inotify_init1: { fn: (c) => init(c, c.int(0)), args: 'hex', ret: 'fd', partial: 'each read returns one event; IN_ACCESS and IN_MODIFY of native reads and writes are not seen (docs/differences.md)' },
  inotify_init: { fn: (c) => init(c, 0), ret: 'fd', partial: 'each read returns one event; IN_ACCESS and IN_MODIFY of native reads and writes are not seen (docs/differences.md)' },
  inotify_add_watch: { fn: addWatch, args: 'fd,path,hex' },
  inotify_rm_watch: { fn: rmWatch, args: 'fd,int' },
};
