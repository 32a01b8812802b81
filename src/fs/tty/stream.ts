// Moving bytes in and out of host terminal fds from the sentry's event loop
// without ever blocking it: a blocked sentry answers no system call, and the
// guest that should drain the other end may be waiting for exactly that.
import type { ReadStream } from 'node:tty';
import { E } from '../../abi/errno.js';
import { F_DUPFD_CLOEXEC, F_GETFL, F_SETFL, O_NONBLOCK } from '../../abi/flags.js';
import { lazyBuiltin } from '../../platform/builtin.js';
import { close, fcntl, pread, pwrite } from '../../platform/host.js';
import { writeDiag } from '../../platform/diag.js';

const nodeTty = lazyBuiltin<typeof import('node:tty')>('node:tty');

/** How long a full terminal is left alone before the next write attempt: doubling up to the cap. */
const RETRY_MIN_MS = 2;
const RETRY_MAX_MS = 50;

export function setNonblocking(fd: number): number {
  const fl = fcntl(fd, F_GETFL, 0);
  return fl < 0 ? fl : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/**
 * Reads a host terminal fd as it becomes readable (libuv watches a dup of it,
 * which it owns and closes). EIO — a master whose every slave is closed —
 * and any other error end the reader.
 */
export class TtyReader {
  private stream: ReadStream | null = null;
  private ended = false;

  constructor(
    private readonly fd: number,
    private readonly onData: (b: Buffer) => void,
    private readonly onEnd: () => void,
    private readonly log: (line: string) => void = (l) => writeDiag(l + '\n'),
  ) {}

  /** 0, or -errno when the host fd cannot be watched. */
  start(): number {
    if (this.stream) return 0;
    const dup = fcntl(this.fd, F_DUPFD_CLOEXEC, 3);
    if (dup < 0) return dup;
    setNonblocking(dup);
    let s: ReadStream;
    try {
      s = new (nodeTty().ReadStream)(dup);
    } catch {
      close(dup);
      return -E.EIO;
    }
    // libuv reopens a slave by its name to get a description of its own and
    // watches that fd instead, leaving ours open (it would keep the terminal
    // from ever hanging up): close ours then. A master it watches as given,
    // and closes when the stream is destroyed.
    const watched = (s as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof watched === 'number' && watched >= 0 && watched !== dup) close(dup);
    this.ended = false;
    this.stream = s;
    s.on('data', (b: Buffer) => {
      // Guest bytes drive this: a bug here must not take the sentry down.
      try {
        this.onData(b);
      } catch (err) {
        this.log(`tsvisor: internal error in the terminal relay: ${(err as Error)?.stack ?? err}`);
      }
    });
    s.on('error', () => this.end());
    s.on('end', () => this.end());
    return 0;
  }

  get running(): boolean {
    return this.stream !== null;
  }

  pause(): void {
    this.stream?.pause();
  }

  resume(): void {
    this.stream?.resume();
  }

  /**
   * Delivers everything readable now, synchronously: what the stream holds
   * while paused, then the fd until it would block. A read on a pty master
   * first waits for the kernel's pending buffer work, so nothing written
   * before this call is missed.
   */
  drainSync(): void {
    const s = this.stream;
    if (s) {
      for (let b = s.read() as Buffer | null; b !== null; b = s.read() as Buffer | null) this.onData(b);
    }
    const buf = Buffer.allocUnsafe(65536);
    const fl = fcntl(this.fd, F_GETFL, 0);
    if (fl >= 0 && !(fl & O_NONBLOCK)) fcntl(this.fd, F_SETFL, fl | O_NONBLOCK);
    for (let i = 0; i < 4096; i++) {
      const n = pread(this.fd, buf, 0, buf.length, -1);
      if (n <= 0) break;
      this.onData(Buffer.from(buf.subarray(0, n)));
    }
  }

  stop(): void {
    const s = this.stream;
    this.stream = null;
    if (s) {
      s.removeAllListeners('data');
      s.removeAllListeners('end');
      s.on('error', () => {});
      s.destroy();
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stop();
    this.onEnd();
  }
}

/**
 * Writes to a non-blocking host terminal fd, keeping what does not fit and
 * trying again shortly (a terminal has no writable notification Node could
 * give us without a second watcher on the same file).
 */
export class TtyWriter {
  private queue: Buffer[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_MIN_MS;
  private closed = false;
  /** write() returned false: onDrain is owed. */
  private owed = false;

  constructor(
    private readonly fd: number,
    /** Called when a backlog has been written out. */
    private readonly onDrain: () => void = () => {},
    /** Called when the fd refuses bytes for good (EIO: the other side hung up). */
    private readonly onError: (errno: number) => void = () => {},
  ) {}

  /** Queues `b`; false when a backlog remains (the caller should stop producing until onDrain). */
  write(b: Uint8Array): boolean {
    if (this.closed || b.length === 0) return !this.closed;
    this.queue.push(Buffer.from(b));
    this.bytes += b.length;
    this.flush();
    if (this.bytes === 0) return true;
    this.owed = true;
    return false;
  }

  get backlog(): number {
    return this.bytes;
  }

  /** Drops the backlog (a terminal flush); a producer waiting for room may go on. */
  discard(): void {
    this.queue = [];
    this.bytes = 0;
    if (this.timer) clearTimeout(this.timer), (this.timer = null);
    if (this.owed && !this.closed) {
      this.owed = false;
      setImmediate(this.onDrain);
    }
  }

  close(): void {
    this.closed = true;
    this.discard();
  }

  private flush(): void {
    if (this.timer) return;
    while (this.queue.length) {
      const b = this.queue[0]!;
      const n = pwrite(this.fd, b, 0, b.length, -1);
      if (n === -E.EAGAIN || n === 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.flush();
        }, this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
        return;
      }
      this.retryMs = RETRY_MIN_MS;
      if (n < 0) {
        this.owed = false;
        this.discard();
        this.onError(n);
        return;
      }
      this.bytes -= n;
      if (n < b.length) this.queue[0] = b.subarray(n);
      else this.queue.shift();
    }
    if (this.owed) {
      this.owed = false;
      this.onDrain();
    }
  }
}
