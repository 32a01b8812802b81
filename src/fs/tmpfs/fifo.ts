// Named FIFOs of the sentry's filesystems. The bytes flow through a host pipe
// the sentry made and reaches only by an O_PATH fd; every guest open of the
// FIFO is a new open file description of that pipe (reopened through the
// sentry's /proc/self/fd, as fifo_open would do), opened non-blocking so the
// sentry never waits. What Linux's fifo_open decides by blocking — a reader
// waits for a writer, a writer for a reader — the sentry decides with the
// counters fifo_open keeps, and hands the waiting to the VFS (OpenWait).
import { E } from '../../abi/errno.js';
import { F_GETFL, F_SETFL, O_ACCMODE, O_APPEND, O_CLOEXEC, O_NONBLOCK, O_PATH, O_RDONLY, O_RDWR, O_WRONLY } from '../../abi/flags.js';
import { AT_FDCWD, close, fcntl, openat2, pipe2, reopen } from '../../platform/host.js';
import type { Opened, OpenWait } from '../../vfs/inode.js';

export class Fifo {
  /** O_PATH fd of the host pipe; -1 while nobody has the FIFO open. */
  private pipePath = -1;
  private readers = 0;
  private writers = 0;
  /** Opens for reading/writing ever made: a waiter watches the other one change. */
  private rCounter = 0;
  private wCounter = 0;
  private readonly wakers = new Set<() => void>();

  private path(): number {
    if (this.pipePath >= 0) return this.pipePath;
    const p = pipe2(O_CLOEXEC);
    if (typeof p === 'number') return p;
    const fd = openat2(AT_FDCWD, `/proc/self/fd/${p[0]}`, O_PATH | O_CLOEXEC, 0, 0);
    close(p[0]);
    close(p[1]);
    if (fd < 0) return fd;
    return (this.pipePath = fd);
  }

  /** A new host description of the pipe, in the guest's blocking mode. */
  private hostOpen(flags: number): number {
    const path = this.path();
    if (path < 0) return path;
    const fd = reopen(path, (flags & (O_ACCMODE | O_APPEND)) | O_NONBLOCK);
    if (fd < 0) return fd;
    if (!(flags & O_NONBLOCK)) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) & ~O_NONBLOCK);
    return fd;
  }

  private wake(): void {
    if (this.wakers.size) for (const w of [...this.wakers]) w();
  }

  private wait(ready: () => boolean, finish: () => number, cancel: () => void): Opened {
    const wait: OpenWait = {
      ready,
      subscribe: (wake) => {
        this.wakers.add(wake);
        return () => {
          this.wakers.delete(wake);
          this.idle();
        };
      },
      finish,
      cancel: () => {
        cancel();
        this.idle();
      },
    };
    return { hostFd: -1, wait };
  }

  open(flags: number): Opened | number {
    // Waiters whose caller went away (a signal, death) cancel now, so the
    // counts below are the live ones.
    this.wake();
    switch (flags & O_ACCMODE) {
      case O_RDONLY: {
        // The read end exists at once (so writers may open); the open returns when a writer came.
        const fd = this.hostOpen(flags);
        if (fd < 0) return fd;
        this.rCounter++;
        this.readers++;
        this.wake();
        if (flags & O_NONBLOCK || this.writers > 0) return { hostFd: fd };
        const since = this.wCounter;
        return this.wait(
          () => this.wCounter !== since,
          () => fd,
          () => {
            close(fd);
            this.readers--;
          },
        );
      }
      case O_WRONLY: {
        if (flags & O_NONBLOCK && this.readers === 0) return -E.ENXIO;
        this.wCounter++;
        this.writers++;
        if (this.readers > 0) {
          const fd = this.hostOpen(flags);
          if (fd < 0) this.writers--;
          else this.wake();
          return fd < 0 ? fd : { hostFd: fd };
        }
        this.wake();
        const since = this.rCounter;
        return this.wait(
          () => this.rCounter !== since,
          () => {
            const fd = this.hostOpen(flags);
            if (fd < 0) this.writers--;
            return fd;
          },
          () => {
            this.writers--;
          },
        );
      }
      case O_RDWR: {
        const fd = this.hostOpen(flags);
        if (fd < 0) return fd;
        this.rCounter++;
        this.wCounter++;
        this.readers++;
        this.writers++;
        this.wake();
        return { hostFd: fd };
      }
      default:
        return -E.EINVAL; // access mode 3: neither end
    }
  }

  /** The last reference to a description opened with `flags` went. */
  release(flags: number): void {
    if (flags & O_PATH) return;
    const acc = flags & O_ACCMODE;
    if (acc === O_RDONLY || acc === O_RDWR) this.readers--;
    if (acc === O_WRONLY || acc === O_RDWR) this.writers--;
    this.idle();
  }

  /** Nobody has it open: the pipe and what it buffered go, as in Linux. */
  private idle(): void {
    if (this.readers > 0 || this.writers > 0 || this.wakers.size || this.pipePath < 0) return;
    close(this.pipePath);
    this.pipePath = -1;
  }
}
