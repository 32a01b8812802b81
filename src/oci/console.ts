// --console-socket: as runc does, a host pseudo-terminal is made and its
// master sent over the caller's unix socket (SCM_RIGHTS, with the slave's
// name as the message). The guest's terminal is the sandbox's own virtual
// console; the sentry relays between it and the host pty's slave, which it
// keeps raw: bytes pass unchanged, and the window size the far side sets on
// the master is passed on (polled: the sentry is not in the slave's session,
// so no SIGWINCH reaches it).
import { closeSync, readSync, writeSync } from 'node:fs';
import { makeRaw } from '../abi/termios.js';
import { getWinsize, ptyOpen, ptyPeer, setWinsize, tcgets, tcsets } from '../platform/host.js';
import { type FdWatch, sendFds, unixConnect, unwatchFd, watchFd } from '../platform/oci-host.js';
import type { SandboxConsole, TerminalOptions } from '../sandbox.js';
import { withSocketPath } from './control.js';

const O_RDWR = 2;
const EAGAIN = 'EAGAIN';
const RESIZE_POLL_MS = 200;

export interface ConsoleBridge {
  /** The sandbox's `tty` option: the guest's output goes to the host pty. */
  tty: TerminalOptions;
  /** Starts relaying input and window sizes to the sandbox's console. */
  attach(con: SandboxConsole): void;
  close(): void;
}

/** Makes the pty, sends its master to `socketPath`; an error message on failure. */
export function consoleBridge(socketPath: string, size: { height: number; width: number } | null): ConsoleBridge | string {
  const p = ptyOpen(true);
  if (typeof p === 'number') return `cannot create a pseudo-terminal: errno ${-p}`;
  const [master, index] = p;
  const rd = ptyPeer(master, O_RDWR);
  const wr = ptyPeer(master, O_RDWR);
  if (rd < 0 || wr < 0) {
    for (const fd of [master, rd, wr]) if (fd >= 0) closeSync(fd);
    return `cannot open the pseudo-terminal's slave: errno ${-(rd < 0 ? rd : wr)}`;
  }
  const t = tcgets(rd);
  if (typeof t !== 'number') {
    makeRaw(t);
    tcsets(rd, t);
  }
  if (size && (size.height || size.width)) setWinsize(master, { rows: size.height, cols: size.width, xpixel: 0, ypixel: 0 });
  const sock = withSocketPath(socketPath, (p) => unixConnect(p));
  if (sock < 0) {
    for (const fd of [master, rd, wr]) closeSync(fd);
    return `cannot connect to the console socket ${socketPath}: errno ${-sock}`;
  }
  const sent = sendFds(sock, Buffer.from(`/dev/pts/${index}`), [master]);
  closeSync(sock);
  closeSync(master);
  if (sent < 0) {
    closeSync(rd);
    closeSync(wr);
    return `cannot send the terminal to ${socketPath}: errno ${-sent}`;
  }

  let watch: FdWatch | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let gone = false;
  const buf = Buffer.alloc(65536);
  const ws0 = getWinsize(rd);
  const bridge: ConsoleBridge = {
    tty: {
      rows: typeof ws0 === 'number' ? 0 : ws0.rows,
      cols: typeof ws0 === 'number' ? 0 : ws0.cols,
      output: (b: Buffer) => {
        if (closed || gone) return;
        let off = 0;
        while (off < b.length) {
          try {
            off += writeSync(wr, b, off);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === EAGAIN) continue;
            gone = true; // the far side closed the master: output is dropped
            return;
          }
        }
      },
    },
    attach(con: SandboxConsole): void {
      let last = typeof ws0 === 'number' ? null : ws0;
      const w = watchFd(rd, (readable, hangup) => {
        if (closed) return;
        if (readable) {
          for (;;) {
            let n: number;
            try {
              n = readSync(rd, buf, 0, buf.length, null);
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code === EAGAIN) return;
              n = 0;
            }
            if (n === 0) break;
            con.write(buf.subarray(0, n));
          }
        }
        if (hangup || readable) {
          // EIO or end: the master is closed (conmon went away).
          if (watch) unwatchFd(watch), (watch = null);
          gone = true;
          con.hangup();
        }
      });
      if (typeof w !== 'number') watch = w;
      timer = setInterval(() => {
        const ws = getWinsize(rd);
        if (typeof ws === 'number') return;
        if (!last || ws.rows !== last.rows || ws.cols !== last.cols) con.resize(ws.rows, ws.cols);
        last = ws;
      }, RESIZE_POLL_MS);
      timer.unref();
    },
    close(): void {
      if (closed) return;
      closed = true;
      if (watch) unwatchFd(watch), (watch = null);
      if (timer) clearInterval(timer), (timer = null);
      closeSync(rd);
      closeSync(wr);
    },
  };
  return bridge;
}
