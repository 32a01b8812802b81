// The part of Linux's line discipline (drivers/tty/n_tty.c) the sentry has to
// play itself: recognising the characters that raise signals. Guest processes
// all live in one host process group, so the host's line discipline cannot
// signal the right (virtual) foreground group; the host pty runs with ISIG
// off, and the sentry scans the input the relay writes to the master with the
// guest's own termios. Everything else (canonical editing, echo of ordinary
// input, flow control, CR/NL mapping) stays with the host.
//
// Pure: no I/O, so it is unit-tested against the order n_tty applies its rules
// (checked on the host: see test/unit/ldisc.test.ts).
import { Sig } from '../../abi/signals.js';
import {
  ECHO, ECHOCTL, EXTPROC, ICANON, IEXTEN, ISIG, ISTRIP, IUCLC, IXON, type TermiosView, VDISABLE, VINTR, VLNEXT, VQUIT, VSTART,
  VSTOP, VSUSP,
} from '../../abi/termios.js';

/** A run of input bytes for the host, or a signal character the sentry handles. */
export type InputEvent = { kind: 'data'; start: number; end: number } | { kind: 'signal'; sig: number; char: number };

export class InputScanner {
  /**
   * The last byte was VLNEXT in canonical mode: the next one is taken
   * literally. The host's line discipline tracks the same state on the same
   * bytes (VLNEXT itself is passed on), so the two agree.
   */
  lnext = false;

  /**
   * Splits `buf` into data runs and signal characters, in order, as n_tty
   * would receive it under termios `t` (the guest's, with its ISIG).
   */
  scan(buf: Uint8Array, t: TermiosView): InputEvent[] {
    const out: InputEvent[] = [];
    const isig = (t.lflag & ISIG) !== 0 && (t.lflag & EXTPROC) === 0;
    const canonLnext = (t.lflag & (ICANON | IEXTEN)) === (ICANON | IEXTEN) && (t.lflag & EXTPROC) === 0;
    if (!isig && !canonLnext && !this.lnext) {
      if (buf.length) out.push({ kind: 'data', start: 0, end: buf.length });
      return out;
    }
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      if (this.lnext) {
        this.lnext = false;
        continue;
      }
      const c = effective(buf[i]!, t);
      if (c === VDISABLE) continue;
      // Flow control is decided before signals (n_tty_receive_char_special).
      if (t.iflag & IXON && (c === t.cc[VSTART] || c === t.cc[VSTOP])) continue;
      if (isig) {
        const sig = c === t.cc[VINTR] ? Sig.SIGINT : c === t.cc[VQUIT] ? Sig.SIGQUIT : c === t.cc[VSUSP] ? Sig.SIGTSTP : 0;
        if (sig) {
          if (i > start) out.push({ kind: 'data', start, end: i });
          out.push({ kind: 'signal', sig, char: c });
          start = i + 1;
          continue;
        }
      }
      if (canonLnext && c === t.cc[VLNEXT]) this.lnext = true;
    }
    if (start < buf.length) out.push({ kind: 'data', start, end: buf.length });
    return out;
  }
}

/** The byte n_tty compares with the control characters: after ISTRIP and IUCLC (the kernel's Latin-1 tolower). */
function effective(b: number, t: TermiosView): number {
  let c = b;
  if (t.iflag & ISTRIP) c &= 0x7f;
  if (t.iflag & IUCLC && t.lflag & IEXTEN && ((c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c !== 0xd7))) c += 0x20;
  return c;
}

/** What the terminal echoes for a signal character: "^C" under ECHOCTL, the byte itself under plain ECHO. */
export function signalEcho(char: number, t: TermiosView): Uint8Array {
  if (!(t.lflag & ECHO)) return new Uint8Array(0);
  // The kernel's iscntrl (lib/ctype.c): C0, DEL and C1.
  const cntrl = char < 0x20 || (char >= 0x7f && char <= 0x9f);
  if (t.lflag & ECHOCTL && cntrl && char !== 0x09) return Uint8Array.of(0x5e, char ^ 0x40);
  return Uint8Array.of(char);
}
