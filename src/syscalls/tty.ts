// Terminal ioctls on the sandbox's own terminals (src/fs/tty): job control
// with virtual sessions and process groups, termios with the guest's ISIG,
// window sizes with SIGWINCH to the virtual foreground group, and the ptmx
// requests (TIOCGPTN, TIOCSPTLCK, TIOCGPTPEER). Requests on a master fd act
// on its terminal (Linux's real_tty), as the kernel does.
import { E } from '../abi/errno.js';
import { O_CLOEXEC, O_LARGEFILE } from '../abi/flags.js';
import { Sig } from '../abi/signals.js';
import {
  OFF_LFLAG, TCFLSH, TCGETA, TCGETS, TCGETS2, TCSBRK, TCSBRKP, TCSETA, TCSETAF, TCSETAW, TCSETS, TCSETS2, TCSETSF,
  TCSETSF2, TCSETSW, TCSETSW2, TCXONC, TERMIO_SIZE, TERMIOS2_SIZE, TERMIOS_SIZE, TIOCCBRK, TIOCEXCL, TIOCGDEV,
  TIOCGETD, TIOCGEXCL, TIOCGPGRP, TIOCGPKT, TIOCGPTLCK, TIOCGPTN, TIOCGPTPEER, TIOCGSID, TIOCGWINSZ, TIOCNOTTY,
  TIOCNXCL, TIOCOUTQ, TIOCPKT, TIOCSBRK, TIOCSCTTY, TIOCSETD, TIOCSIG, TIOCSPGRP, TIOCSPTLCK, TIOCSTI, TIOCSWINSZ,
  TIOCVHANGUP, TOSTOP, WINSIZE_SIZE,
} from '../abi/termios.js';
import { TtyFile } from '../fs/tty/pty.js';
import { getWinsize, ioctlBuf, tcgets } from '../platform/host.js';
import { CONTINUE } from '../platform/trap-abi.js';
import { CAP_SYS_ADMIN } from '../vfs/creds.js';
import { OpenFile } from '../vfs/file.js';
import type { Call } from './call.js';
import { installAndReply } from './common.js';

/** Where the low byte of c_lflag sits: struct termios/termios2 (32-bit flags) and struct termio (16-bit). */
const LFLAG_TERMIO = 6;

/** The terminal an open file is (or is the master of), if it is one of the sandbox's. */
export function ttyOf(f: OpenFile): TtyFile | null {
  return f.priv instanceof TtyFile ? f.priv : null;
}

/** ioctl on a sandbox terminal (or its master). */
export function ttyIoctl(c: Call, f: OpenFile, tf: TtyFile, req: number): number {
  const p = tf.pty;
  const ts = p.table;
  const t = c.task;
  const g = t.group;
  const arg = c.ptr(2);
  switch (req) {
    case TCGETS:
      return getTermios(c, tf, TCGETS, TERMIOS_SIZE, OFF_LFLAG);
    case TCGETS2:
      return getTermios(c, tf, TCGETS2, TERMIOS2_SIZE, OFF_LFLAG);
    case TCGETA:
      return getTermios(c, tf, TCGETA, TERMIO_SIZE, LFLAG_TERMIO);
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
      return setTermios(c, tf, req, TERMIOS_SIZE, OFF_LFLAG);
    case TCSETS2:
    case TCSETSW2:
    case TCSETSF2:
      return setTermios(c, tf, req, TERMIOS2_SIZE, OFF_LFLAG);
    case TCSETA:
    case TCSETAW:
    case TCSETAF:
      return setTermios(c, tf, req, TERMIO_SIZE, LFLAG_TERMIO);
    case TIOCGWINSZ: {
      // Asked of the terminal itself: a guest's master fd is a relay's, not this terminal's.
      const w = getWinsize(p.master);
      if (typeof w === 'number') return w;
      const b = c.out(WINSIZE_SIZE);
      b.writeUInt16LE(w.rows, 0);
      b.writeUInt16LE(w.cols, 2);
      b.writeUInt16LE(w.xpixel, 4);
      b.writeUInt16LE(w.ypixel, 6);
      return c.write(arg, b);
    }
    case TIOCSWINSZ: {
      const b = c.read(arg, WINSIZE_SIZE);
      if (typeof b === 'number') return b;
      return p.resize({ rows: b.readUInt16LE(0), cols: b.readUInt16LE(2), xpixel: b.readUInt16LE(4), ypixel: b.readUInt16LE(6) });
    }
    case TIOCGPGRP:
      if (!tf.master && ts.cttyOf(g) !== p) return -E.ENOTTY;
      return c.writeI32(arg, p.pgrp);
    case TIOCGSID:
      if (!tf.master && ts.cttyOf(g) !== p) return -E.ENOTTY;
      if (!p.session) return -E.ENOTTY;
      return c.writeI32(arg, p.session);
    case TIOCSPGRP: {
      // tiocspgrp: a background caller is stopped first; EIO from that check reads ENOTTY here.
      const chk = ts.checkBackground(t, p, Sig.SIGTTOU);
      if (chk === -E.EIO) return -E.ENOTTY;
      if (chk) return chk;
      const b = c.read(arg, 4);
      if (typeof b === 'number') return b;
      const n = b.readInt32LE(0);
      if (n < 0) return -E.EINVAL;
      if (ts.cttyOf(g) !== p || p.session !== g.sid) return -E.ENOTTY;
      const sid = ts.sessionOf(n);
      if (!sid) return -E.ESRCH;
      if (sid !== g.sid) return -E.EPERM;
      p.pgrp = n;
      return 0;
    }
    case TIOCSCTTY: {
      // tiocsctty: a session leader without a terminal takes one no session has,
      // or steals it with arg 1 and CAP_SYS_ADMIN.
      const leader = g.sid === g.tgid;
      if (leader && p.session === g.sid) return 0;
      if (!leader || ts.cttyOf(g)) return -E.EPERM;
      const admin = t.creds.hasCap(CAP_SYS_ADMIN);
      if (p.session) {
        if (c.int(2) !== 1 || !admin) return -E.EPERM;
      }
      if (!f.readable && !admin) return -E.EPERM;
      p.session = g.sid;
      p.pgrp = g.pgid;
      return 0;
    }
    case TIOCNOTTY:
      // Compared with the fd's own tty: on a master fd this is never the caller's terminal.
      if (tf.master || ts.cttyOf(g) !== p) return -E.ENOTTY;
      if (g.sid === g.tgid) ts.disassociate(p, false);
      else ts.detach(g);
      return 0;
    case TIOCGPTN:
      if (!tf.master) return -E.ENOTTY;
      return c.writeI32(arg, p.index);
    case TIOCSPTLCK: {
      if (!tf.master) return -E.ENOTTY;
      const b = c.readCopy(arg, 4);
      if (typeof b === 'number') return b;
      return ioctlBuf(p.master, TIOCSPTLCK, b);
    }
    case TIOCGPTLCK: {
      if (!tf.master) return -E.ENOTTY;
      const b = c.out(4);
      const r = ioctlBuf(p.master, TIOCGPTLCK, b);
      return r < 0 ? r : c.write(arg, b);
    }
    case TIOCGPTPEER: {
      if (!tf.master) return -E.ENOTTY;
      const flags = c.int(2);
      const path = ts.slavePath(p);
      if (!path) return -E.EIO;
      const s = p.openSlave(flags, true);
      if (typeof s === 'number') return s;
      const file = new OpenFile(path, path.d.inode, (flags & ~O_CLOEXEC) | O_LARGEFILE, s.hostFd, 'file', path.d.name);
      file.priv = s.priv;
      return installAndReply(c, file, (flags & O_CLOEXEC) !== 0);
    }
    case TIOCPKT: {
      // Packet mode would need the relay to keep read boundaries: not offered.
      if (!tf.master) return -E.ENOTTY;
      const b = c.read(arg, 4);
      if (typeof b === 'number') return b;
      return b.readInt32LE(0) === 0 ? 0 : -E.EINVAL;
    }
    case TIOCGPKT:
      if (!tf.master) return -E.ENOTTY;
      return c.writeI32(arg, 0);
    case TIOCSIG: {
      // pty_signal: the master raises a terminal signal in the foreground group.
      if (!tf.master) return -E.ENOTTY;
      const sig = c.int(2);
      if (sig !== Sig.SIGINT && sig !== Sig.SIGQUIT && sig !== Sig.SIGTSTP) return -E.EINVAL;
      ts.signalPgrp(p.pgrp, sig, true);
      return 0;
    }
    case TIOCGDEV:
      return c.writeI32(arg, p.devNumber);
    case TCSBRK:
    case TCSBRKP:
    case TCXONC:
    case TCFLSH: {
      // tty_check_change first; then the host does it on the guest's own fd
      // (the terminal for a slave fd, the relay for a master fd).
      if (!tf.master) {
        const chk = ts.checkBackground(t, p, Sig.SIGTTOU);
        if (chk) return chk;
      }
      return CONTINUE;
    }
    case TIOCSBRK:
    case TIOCCBRK:
    case TIOCOUTQ:
    case TIOCEXCL:
    case TIOCNXCL:
    case TIOCGEXCL:
    case TIOCGETD:
      return CONTINUE;
    case TIOCSETD: {
      // Only N_TTY: other line disciplines are host kernel surface the guest does not get.
      const b = c.read(arg, 4);
      if (typeof b === 'number') return b;
      return b.readInt32LE(0) === 0 ? 0 : -E.EPERM;
    }
    case TIOCSTI:
    case TIOCVHANGUP:
      return -E.EPERM;
    default:
      return -E.ENOTTY;
  }
}

function getTermios(c: Call, tf: TtyFile, req: number, size: number, lflagAt: number): number {
  const b = tf.pty.getTermios(req, size, lflagAt);
  return typeof b === 'number' ? b : c.write(c.ptr(2), b);
}

function setTermios(c: Call, tf: TtyFile, req: number, size: number, lflagAt: number): number {
  const chk = tf.pty.table.checkBackground(c.task, tf.pty, Sig.SIGTTOU);
  if (chk) return chk;
  const b = c.readCopy(c.ptr(2), size);
  if (typeof b === 'number') return b;
  return tf.pty.setTermios(req, b, lflagAt);
}

/**
 * Job control on reads and writes of the caller's terminal (job_control and
 * n_tty_write's TOSTOP check): only reachable where the sentry sees them, in
 * the strict policy. 0 lets the call run.
 */
export function ttyReadWriteCheck(c: Call, f: OpenFile, write: boolean): number {
  const tf = ttyOf(f);
  if (!tf || tf.master) return 0;
  const p = tf.pty;
  if (write) {
    const t = tcgets(p.master);
    if (typeof t === 'number' || !(t.readUInt32LE(OFF_LFLAG) & TOSTOP)) return 0;
    return p.table.checkBackground(c.task, p, Sig.SIGTTOU);
  }
  return p.table.checkBackground(c.task, p, Sig.SIGTTIN);
}
