// Host objects for guest fds whose bytes the sentry does not delegate:
// directories (getdents is emulated; the host fd only keeps read() answering
// EISDIR and carries the offset lseek moves natively) and O_PATH fds.
// A host O_PATH fd cannot be installed into the guest (SECCOMP_IOCTL_NOTIF_ADDFD
// takes its source with fget(), which refuses O_PATH files), so an O_PATH fd is
// an empty memfd opened with access mode 3: no read, no write, no mmap.
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { O_ACCMODE, O_CLOEXEC, O_DIRECTORY, O_PATH, O_RDONLY } from '../abi/flags.js';
import { AT_FDCWD, memfdCreate, openat2, reopen } from '../platform/host.js';

let dirFd = -1;

/** An O_PATH fd of the empty directory (made once; removed at exit, the fd keeps it usable). */
function emptyDirFd(): number {
  if (dirFd >= 0) return dirFd;
  const d = mkdtempSync(join(tmpdir(), 'tsvisor-empty-'));
  process.on('exit', () => {
    try {
      rmdirSync(d);
    } catch {
      // already gone
    }
  });
  const fd = openat2(AT_FDCWD, d, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0);
  if (fd >= 0) dirFd = fd;
  return fd;
}

/**
 * A fresh open file description of an empty directory: "." of a kept fd
 * (one component to resolve, not the whole host path, on every opendir).
 */
export function openDirPlaceholder(): number {
  const d = emptyDirFd();
  return d < 0 ? d : openat2(d, '.', O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0);
}

let pathMemfd = -1;

/**
 * A fresh open file description for an O_PATH fd: read and write on it fail
 * with EBADF, as on any O_PATH fd (lseek and fsync, which run natively in the
 * balanced policy, succeed on it: docs/differences.md).
 */
export function openPathPlaceholder(): number {
  if (pathMemfd < 0) {
    pathMemfd = memfdCreate('tsvisor-opath', 1 /* MFD_CLOEXEC */);
    if (pathMemfd < 0) return pathMemfd;
  }
  return reopen(pathMemfd, O_ACCMODE);
}
