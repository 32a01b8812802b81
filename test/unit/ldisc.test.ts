// The signal characters of the line discipline the sentry plays
// (src/fs/tty/ldisc.ts), in the order n_tty applies its rules. Each rule was
// checked on the host first (a pty, ISIG on, bytes written to the master,
// what the slave reads): _POSIX_VDISABLE (0) matches nothing; flow control
// wins over a signal character equal to VSTOP; ISTRIP applies before the
// comparison (0x83 is ^C); VLNEXT quotes only in canonical mode with IEXTEN;
// EXTPROC turns the signal characters off.
import t from 'tap';
import { Sig } from '../../src/abi/signals.js';
import {
  ECHO, ECHOCTL, EXTPROC, ICANON, IEXTEN, ISIG, ISTRIP, IUCLC, IXON, NCCS, type TermiosView, VINTR, VLNEXT, VQUIT, VSTART,
  VSTOP, VSUSP,
} from '../../src/abi/termios.js';
import { type InputEvent, InputScanner, signalEcho } from '../../src/fs/tty/ldisc.js';

/** Linux's default termios for a new pty (tty_std_termios). */
function termios(lflag = ISIG | ICANON | ECHO | ECHOCTL | IEXTEN, iflag = IXON): TermiosView {
  const cc = new Uint8Array(NCCS);
  cc[VINTR] = 0x03;
  cc[VQUIT] = 0x1c;
  cc[VSUSP] = 0x1a;
  cc[VSTART] = 0x11;
  cc[VSTOP] = 0x13;
  cc[VLNEXT] = 0x16;
  return { iflag, lflag, cc };
}

/** Events as short strings: data runs by content, signals by number. */
function show(buf: Uint8Array, evs: InputEvent[]): string[] {
  return evs.map((e) => (e.kind === 'data' ? Buffer.from(buf.subarray(e.start, e.end)).toString('latin1') : `sig${e.sig}`));
}

function scan(s: string, tv = termios(), sc = new InputScanner()): string[] {
  const b = Buffer.from(s, 'latin1');
  return show(b, sc.scan(b, tv));
}

t.test('ordinary input is one data run', (t) => {
  t.same(scan('ls -l\r'), ['ls -l\r']);
  t.same(scan(''), []);
  t.end();
});

t.test('VINTR, VQUIT, VSUSP raise SIGINT, SIGQUIT, SIGTSTP and are taken out', (t) => {
  t.same(scan('sleep\x03x'), ['sleep', `sig${Sig.SIGINT}`, 'x']);
  t.same(scan('\x1c'), [`sig${Sig.SIGQUIT}`]);
  t.same(scan('a\x1a\x1ab'), ['a', `sig${Sig.SIGTSTP}`, `sig${Sig.SIGTSTP}`, 'b']);
  t.end();
});

t.test('without ISIG (the guest turned it off) nothing is special', (t) => {
  t.same(scan('a\x03b\x1a', termios(ICANON | ECHO)), ['a\x03b\x1a']);
  t.end();
});

t.test('EXTPROC turns the signal characters off', (t) => {
  t.same(scan('a\x03c', termios(ISIG | EXTPROC)), ['a\x03c']);
  t.end();
});

t.test('the characters are the guest\'s own, and 0 disables one', (t) => {
  const tv = termios();
  tv.cc[VINTR] = 0x07;
  t.same(scan('a\x03\x07', tv), ['a\x03', `sig${Sig.SIGINT}`]);
  tv.cc[VINTR] = 0;
  t.same(scan('a\x00b', tv), ['a\x00b'], 'NUL is not a signal with VINTR disabled');
  t.end();
});

t.test('flow control is decided before signals', (t) => {
  const tv = termios();
  tv.cc[VINTR] = 0x13; // same as VSTOP
  t.same(scan('x\x13y', tv), ['x\x13y'], 'with IXON ^S is VSTOP');
  const noixon = termios(undefined, 0);
  noixon.cc[VINTR] = 0x13;
  t.same(scan('x\x13y', noixon), ['x', `sig${Sig.SIGINT}`, 'y'], 'without IXON it is VINTR');
  t.end();
});

t.test('ISTRIP and IUCLC apply before the comparison', (t) => {
  t.same(scan('a\x83c', termios(undefined, ISTRIP)), ['a', `sig${Sig.SIGINT}`, 'c']);
  t.same(scan('a\x83c', termios()), ['a\x83c'], 'no ISTRIP: 0x83 is data');
  const tv = termios(ISIG | IEXTEN, IUCLC);
  tv.cc[VINTR] = 0x71; // 'q'
  t.same(scan('aQb', tv), ['a', `sig${Sig.SIGINT}`, 'b']);
  t.end();
});

t.test('VLNEXT quotes the next byte in canonical mode with IEXTEN, across reads', (t) => {
  t.same(scan('a\x16\x03c'), ['a\x16\x03c'], 'the host sees both and inserts ^C');
  const sc = new InputScanner();
  t.same(scan('a\x16', termios(), sc), ['a\x16']);
  t.same(scan('\x03b\x03', termios(), sc), ['\x03b', `sig${Sig.SIGINT}`], 'quoted at the start of the next read');
  t.same(scan('a\x16\x03', termios(ISIG)), ['a\x16', `sig${Sig.SIGINT}`], 'not special in non-canonical mode');
  t.same(scan('a\x16\x03', termios(ISIG | ICANON)), ['a\x16', `sig${Sig.SIGINT}`], 'not special without IEXTEN');
  t.end();
});

t.test('echo of a signal character', (t) => {
  t.same([...signalEcho(0x03, termios())], [0x5e, 0x43], '^C under ECHO|ECHOCTL');
  t.same([...signalEcho(0x1c, termios())], [0x5e, 0x5c], '^\\');
  t.same([...signalEcho(0x7f, termios())], [0x5e, 0x3f], 'DEL as ^?');
  t.same([...signalEcho(0x03, termios(ISIG | ECHO))], [0x03], 'plain ECHO: the byte');
  t.same([...signalEcho(0x71, termios())], [0x71], 'a printable character as itself');
  t.same([...signalEcho(0x03, termios(ISIG | ICANON))], [], 'no ECHO: nothing (readline echoes ^C itself)');
  t.end();
});
