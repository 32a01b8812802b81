// /dev: a small tmpfs with the devices a sandbox offers. Each device node opens
// the same host device (null, zero, full, random, urandom carry no state we
// must own); the terminal devices (tty, console, ptmx) are the sandbox's own
// (src/fs/tty); everything else in /dev is a name the sentry holds.
import { O_ACCMODE, O_APPEND, O_CLOEXEC, O_NONBLOCK, S_IFCHR } from '../../abi/flags.js';
import { AT_FDCWD, openat2 } from '../../platform/host.js';
import type { Creds } from '../../vfs/creds.js';
import { type Opened, type Stat } from '../../vfs/inode.js';
import { makedev } from '../devices.js';
import { TmpInode, Tmpfs } from '../tmpfs/tmpfs.js';
import { TtyDeviceInode } from '../tty/devpts.js';
import { type Terminals, TTY_GID } from '../tty/pty.js';

export class DeviceInode extends TmpInode {
  constructor(
    tfs: Tmpfs,
    readonly hostPath: string,
    readonly rdev: number,
    mode = 0o666,
  ) {
    super(tfs, S_IFCHR | mode, 0, 0);
  }

  override stat(): Stat | number {
    const st = super.stat();
    if (typeof st !== 'number') st.rdev = this.rdev;
    return st;
  }

  override open(flags: number): Opened | number {
    const fd = openat2(AT_FDCWD, this.hostPath, (flags & (O_ACCMODE | O_APPEND | O_NONBLOCK)) | O_CLOEXEC, 0, 0);
    return fd < 0 ? fd : { hostFd: fd };
  }
}

const DEVICES: [string, number, number][] = [
  ['null', 1, 3],
  ['zero', 1, 5],
  ['full', 1, 7],
  ['random', 1, 8],
  ['urandom', 1, 9],
];

export interface DevfsOptions {
  terminals?: Terminals;
  /** The sandbox has a console (/dev/console), owned by this uid. */
  console?: { uid: number };
}

/** A fresh /dev for one sandbox. */
export function makeDevfs(o: DevfsOptions = {}): Tmpfs {
  const fs = new Tmpfs({ mode: 0o755, name: 'devtmpfs' });
  const root = fs.root;
  const creds = { fsuid: 0, fsgid: 0 } as Creds;
  for (const [name, maj, min] of DEVICES) root.entries.set(name, new DeviceInode(fs, `/dev/${name}`, makedev(maj, min)));
  if (o.terminals) {
    root.entries.set('tty', new TtyDeviceInode(fs, o.terminals, 'tty', 0o666, 0, TTY_GID));
    if (o.console) root.entries.set('console', new TtyDeviceInode(fs, o.terminals, 'console', 0o620, o.console.uid, TTY_GID));
    // As container runtimes lay it out: the devpts instance's ptmx.
    root.symlink('ptmx', 'pts/ptmx', creds);
  }
  root.symlink('fd', '/proc/self/fd', creds);
  root.symlink('stdin', '/proc/self/fd/0', creds);
  root.symlink('stdout', '/proc/self/fd/1', creds);
  root.symlink('stderr', '/proc/self/fd/2', creds);
  root.symlink('core', '/proc/kcore', creds);
  root.mkdir('pts', 0o755, creds);
  root.mkdir('shm', 0o1777, creds);
  root.mkdir('mqueue', 0o1777, creds);
  return fs;
}
