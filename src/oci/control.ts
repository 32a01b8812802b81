// The control socket of a container's sentry (STATE_DIR/ID/ctl.sock, mode
// 0600): one JSON object per line each way; file descriptors (an exec's
// stdio) ride with a request's first byte (SCM_RIGHTS). The server runs in
// the sentry's event loop; clients are the short-lived CLI commands.
import { closeSync, constants, openSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { acceptConn, type FdWatch, recvFds, sendFds, unixConnect, unixListen, unwatchFd, watchFd } from '../platform/oci-host.js';

export type Msg = Record<string, unknown>;

/**
 * Calls `f` with a name for unix socket `path` that fits in sun_path (108
 * bytes): the path itself, or its directory's /proc/self/fd link (Docker's
 * state directories are deeper than that).
 */
export function withSocketPath<T>(path: string, f: (p: string) => T): T {
  if (Buffer.byteLength(path) < 100) return f(path);
  const fd = openSync(dirname(path), constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    return f(`/proc/self/fd/${fd}/${basename(path)}`);
  } finally {
    closeSync(fd);
  }
}

const EAGAIN = 11;

/** One client connection as the server sees it. */
export interface Conn {
  send(m: Msg): void;
  close(): void;
  /** Called when the client hangs up (a foreground exec's client went away). */
  onClose: (() => void) | null;
}

export class ControlServer {
  private readonly watch: FdWatch;
  private readonly conns = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly handle: (m: Msg, fds: number[], c: Conn) => void,
  ) {
    const w = watchFd(fd, () => this.acceptAll());
    if (typeof w === 'number') throw new Error(`cannot watch the control socket: errno ${-w}`);
    this.watch = w;
  }

  static listen(path: string, handle: (m: Msg, fds: number[], c: Conn) => void): ControlServer | number {
    const fd = withSocketPath(path, (p) => unixListen(p, 64));
    if (fd < 0) return fd;
    return new ControlServer(fd, handle);
  }

  private acceptAll(): void {
    for (;;) {
      if (this.closed) return;
      const c = acceptConn(this.fd);
      if (c < 0) return;
      this.serve(c);
    }
  }

  private serve(fd: number): void {
    let buf = '';
    let fds: number[] = [];
    let done = false;
    const chunk = new Uint8Array(65536);
    const conn: Conn = {
      send: (m) => {
        if (!done) sendFds(fd, Buffer.from(JSON.stringify(m) + '\n'));
      },
      close: () => end(),
      onClose: null,
    };
    const end = (): void => {
      if (done) return;
      done = true;
      this.conns.delete(end);
      unwatchFd(w as FdWatch);
      closeSync(fd);
      for (const f of fds) closeSync(f);
      fds = [];
      conn.onClose?.();
    };
    const w = watchFd(fd, (readable, hangup) => {
      if (readable) {
        for (;;) {
          const r = recvFds(fd, chunk, false);
          if (typeof r === 'number') {
            if (r === -EAGAIN) break;
            return end();
          }
          if (r[0] === 0) return end();
          fds.push(...r[1]);
          buf += Buffer.from(chunk.subarray(0, r[0])).toString('utf8');
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            let m: Msg;
            try {
              m = JSON.parse(line) as Msg;
            } catch {
              conn.send({ error: 'bad request' });
              return end();
            }
            const mine = fds;
            fds = [];
            try {
              this.handle(m, mine, conn);
            } catch (e) {
              conn.send({ error: (e as Error).message });
            }
          }
        }
      } else if (hangup) {
        end();
      }
    });
    if (typeof w === 'number') {
      closeSync(fd);
      return;
    }
    this.conns.add(end);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    unwatchFd(this.watch);
    closeSync(this.fd);
    for (const end of [...this.conns]) end();
  }
}

/** A blocking client connection (the CLI's side). */
export class ControlClient {
  private buf = '';
  private readonly chunk = new Uint8Array(65536);

  private constructor(readonly fd: number) {}

  static connect(path: string): ControlClient | number {
    const fd = withSocketPath(path, (p) => unixConnect(p));
    return fd < 0 ? fd : new ControlClient(fd);
  }

  send(m: Msg, fds: number[] = []): boolean {
    return sendFds(this.fd, Buffer.from(JSON.stringify(m) + '\n'), fds) > 0;
  }

  /** The next message; null when the server hung up. Blocks. */
  read(): Msg | null {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        try {
          return JSON.parse(line) as Msg;
        } catch {
          return null;
        }
      }
      const r = recvFds(this.fd, this.chunk, true);
      if (typeof r === 'number' || r[0] === 0) return null;
      for (const f of r[1]) closeSync(f);
      this.buf += Buffer.from(this.chunk.subarray(0, r[0])).toString('utf8');
    }
  }

  /** Reads messages from the event loop (the connection becomes non-blocking); null: hung up. */
  readAsync(cb: (m: Msg | null) => void): void {
    let stopped = false;
    const w = watchFd(this.fd, (readable, hangup) => {
      if (stopped) return;
      if (readable) {
        for (;;) {
          const nl = this.buf.indexOf('\n');
          if (nl >= 0) {
            const line = this.buf.slice(0, nl);
            this.buf = this.buf.slice(nl + 1);
            let m: Msg | null = null;
            try {
              m = JSON.parse(line) as Msg;
            } catch {
              m = null;
            }
            cb(m);
            continue;
          }
          const r = recvFds(this.fd, this.chunk, false);
          if (typeof r === 'number' && r === -EAGAIN) return;
          if (typeof r === 'number' || r[0] === 0) {
            stopped = true;
            unwatchFd(w as FdWatch);
            cb(null);
            return;
          }
          for (const f of r[1]) closeSync(f);
          this.buf += Buffer.from(this.chunk.subarray(0, r[0])).toString('utf8');
        }
      } else if (hangup) {
        stopped = true;
        unwatchFd(w as FdWatch);
        cb(null);
      }
    });
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** One request and its answer (null: no sentry there, or it hung up). */
export function request(path: string, m: Msg, fds: number[] = []): Msg | null {
  const c = ControlClient.connect(path);
  if (typeof c === 'number') return null;
  try {
    if (!c.send(m, fds)) return null;
    return c.read();
  } finally {
    c.close();
  }
}
