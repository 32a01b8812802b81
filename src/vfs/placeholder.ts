// Host objects for guest fds whose bytes the sentry does not delegate:
// directories (getdents is emulated; the host fd only keeps read() answering
// EISDIR and carries the offset lseek moves natively) and O_PATH fds.
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { O_CLOEXEC, O_DIRECTORY, O_PATH, O_RDONLY } from '../abi/flags.js';
import { AT_FDCWD, openat2 } from '../platform/host.js';

let dir: string | null = null;

function emptyDir(): string {
  if (dir) return dir;
  dir = mkdtempSync(join(tmpdir(), 'tsvisor-empty-'));
  const d = dir;
  process.on('exit', () => {
    try {
      rmdirSync(d);
    } catch {
      // already gone
    }
  });
  return d;
}

/** A fresh open file description of an empty directory. */
export function openDirPlaceholder(): number {
  return openat2(AT_FDCWD, emptyDir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0);
}

/** An O_PATH fd: read, write and mmap on it fail with EBADF, as on any O_PATH fd. */
export function openPathPlaceholder(): number {
  return openat2(AT_FDCWD, emptyDir(), O_PATH | O_CLOEXEC, 0, 0);
}
