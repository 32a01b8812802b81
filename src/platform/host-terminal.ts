// `tsvisor run -t` and `tsvisor-oci run` of a process with a terminal:
// our own stdin and stdout become the far side of the sandbox's console. A host terminal on stdin is put in raw mode for the
// run (the guest's terminal does the line editing, echo and signal keys) and
// restored after it: at the end, on errors, when tsvisor is stopped
// (SIGTSTP: restored, raw again on SIGCONT), and at process exit.
import { makeRaw } from '../abi/termios.js';
import { getWinsize, isatty, tcgets, tcsets } from './host.js';

/** What the relay needs of the sandbox's console (Sandbox.console is one). */
export interface ConsolePeer {
  write(data: Uint8Array): boolean;
  onDrain: () => void;
  end(): void;
  resize(rows: number, cols: number): void;
  hangup(): void;
}

export interface HostTerminal {
  /** The console's window size now (from the host terminal; 0x0 when there is none). */
  rows: number;
  cols: number;
  /** Writes the guest's output to our stdout. */
  output(b: Buffer): void;
  /** Starts relaying stdin to the console and following the window size. */
  attach(con: ConsolePeer): void;
  /** Stops relaying and restores the host terminal; idempotent. */
  detach(): void;
}

/** The fd of the host terminal tsvisor runs in: stdout's, else stdin's, else -1. */
function sizeFd(): number {
  if (isatty(1)) return 1;
  if (isatty(0)) return 0;
  return -1;
}

/**
 * Prepares the host side. `interactive` (-i): the end of stdin is passed on
 * (the guest reads end-of-file); without it the terminal stays open after
 * stdin ends, as `docker run -t` leaves it.
 */
export function hostTerminal(interactive: boolean): HostTerminal {
  const saved = isatty(0) ? tcgets(0) : null;
  const original = saved && typeof saved !== 'number' ? Buffer.from(saved) : null;
  const fd = sizeFd();
  const ws = fd >= 0 ? getWinsize(fd) : -1;
  let con: ConsolePeer | null = null;
  let attached = false;
  // Our stdout gone (a closed pipe): for the guest this is its terminal hanging up.
  let broken = false;
  const onOutError = (): void => {
    if (broken) return;
    broken = true;
    con?.hangup();
  };

  const raw = (): void => {
    if (!original) return;
    const b = Buffer.from(original);
    makeRaw(b);
    tcsets(0, b);
  };
  const restore = (): void => {
    if (original) tcsets(0, original);
  };
  const onData = (b: Buffer): void => {
    if (con && !con.write(b)) process.stdin.pause();
  };
  const onEnd = (): void => {
    if (con && interactive) con.end();
  };
  const onWinch = (): void => {
    if (!con || fd < 0) return;
    const w = getWinsize(fd);
    if (typeof w !== 'number') con.resize(w.rows, w.cols);
  };
  const onTstp = (): void => {
    // Stopped from outside (the terminal is raw, so not by a key): give the
    // user a sane terminal while we are stopped.
    restore();
    process.kill(process.pid, 'SIGSTOP');
  };
  const onCont = (): void => {
    raw();
    onWinch();
  };
  const onExit = (): void => restore();

  process.stdout.on('error', onOutError);
  return {
    rows: typeof ws === 'number' ? 0 : ws.rows,
    cols: typeof ws === 'number' ? 0 : ws.cols,
    output(b: Buffer): void {
      if (!broken) process.stdout.write(b);
    },
    attach(c: ConsolePeer): void {
      con = c;
      attached = true;
      c.onDrain = () => process.stdin.resume();
      raw();
      process.on('exit', onExit);
      if (original) {
        process.on('SIGTSTP', onTstp);
        process.on('SIGCONT', onCont);
      }
      process.on('SIGWINCH', onWinch);
      process.stdin.on('data', onData);
      process.stdin.on('end', onEnd);
      process.stdin.on('error', onEnd);
    },
    detach(): void {
      if (!attached) return;
      attached = false;
      con = null;
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.off('error', onEnd);
      process.stdin.pause();
      // Reading stdin holds the event loop open; tsvisor must exit when the guest did.
      process.stdin.destroy();
      process.off('SIGWINCH', onWinch);
      process.off('SIGTSTP', onTstp);
      process.off('SIGCONT', onCont);
      restore();
      process.off('exit', onExit);
    },
  };
}
