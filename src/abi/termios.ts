// Terminal ABI: the ioctl requests, struct termios as the kernel lays it out
// (not glibc's larger userspace struct), the flag bits the sentry looks at,
// and struct winsize. Values from include/uapi/asm-generic/{ioctls,termbits}.h,
// identical on x86_64 and arm64.

export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const TCSETSW = 0x5403;
export const TCSETSF = 0x5404;
export const TCGETA = 0x5405;
export const TCSETA = 0x5406;
export const TCSETAW = 0x5407;
export const TCSETAF = 0x5408;
export const TCSBRK = 0x5409;
export const TCXONC = 0x540a;
export const TCFLSH = 0x540b;
export const TIOCEXCL = 0x540c;
export const TIOCNXCL = 0x540d;
export const TIOCSCTTY = 0x540e;
export const TIOCGPGRP = 0x540f;
export const TIOCSPGRP = 0x5410;
export const TIOCOUTQ = 0x5411;
export const TIOCSTI = 0x5412;
export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;
export const TIOCINQ = 0x541b;
export const TIOCPKT = 0x5420;
export const TIOCNOTTY = 0x5422;
export const TIOCSETD = 0x5423;
export const TIOCGETD = 0x5424;
export const TCSBRKP = 0x5425;
export const TIOCSBRK = 0x5427;
export const TIOCCBRK = 0x5428;
export const TIOCGSID = 0x5429;
export const TCGETS2 = 0x802c542a;
export const TCSETS2 = 0x402c542b;
export const TCSETSW2 = 0x402c542c;
export const TCSETSF2 = 0x402c542d;
export const TIOCGPTN = 0x80045430;
export const TIOCSPTLCK = 0x40045431;
export const TIOCGDEV = 0x80045432;
export const TIOCSIG = 0x40045436;
export const TIOCVHANGUP = 0x5437;
export const TIOCGPKT = 0x80045438;
export const TIOCGPTLCK = 0x80045439;
export const TIOCGEXCL = 0x80045440;
export const TIOCGPTPEER = 0x5441;

/** struct termios (kernel): 4 flag words, c_line, c_cc[19]. */
export const TERMIOS_SIZE = 36;
/** struct termios2: termios + c_ispeed + c_ospeed. */
export const TERMIOS2_SIZE = 44;
/** struct termio (TCGETA): 16-bit flag words, c_line, c_cc[8]. */
export const TERMIO_SIZE = 18;
export const NCCS = 19;
export const NCC = 8;
export const WINSIZE_SIZE = 8;

export const OFF_IFLAG = 0;
export const OFF_OFLAG = 4;
export const OFF_CFLAG = 8;
export const OFF_LFLAG = 12;
export const OFF_LINE = 16;
export const OFF_CC = 17;

// c_cc indices
export const VINTR = 0;
export const VQUIT = 1;
export const VERASE = 2;
export const VKILL = 3;
export const VEOF = 4;
export const VTIME = 5;
export const VMIN = 6;
export const VSTART = 8;
export const VSTOP = 9;
export const VSUSP = 10;
export const VLNEXT = 15;

// c_iflag
export const IGNBRK = 0o1;
export const BRKINT = 0o2;
export const PARMRK = 0o10;
export const ISTRIP = 0o40;
export const INLCR = 0o100;
export const IGNCR = 0o200;
export const ICRNL = 0o400;
export const IUCLC = 0o1000;
export const IXON = 0o2000;

// c_oflag
export const OPOST = 0o1;

// c_cflag
export const CSIZE = 0o60;
export const CS8 = 0o60;
export const PARENB = 0o400;

// c_lflag
export const ISIG = 0o1;
export const ICANON = 0o2;
export const ECHO = 0o10;
export const ECHONL = 0o100;
export const NOFLSH = 0o200;
export const TOSTOP = 0o400;
export const ECHOCTL = 0o1000;
export const IEXTEN = 0o100000;
export const EXTPROC = 0o200000;

// TCFLSH / TCXONC arguments
export const TCIFLUSH = 0;
export const TCOFLUSH = 1;
export const TCIOFLUSH = 2;
export const TCOON = 1;

/** _POSIX_VDISABLE: a c_cc entry holding it matches no input byte. */
export const VDISABLE = 0;

/** The part of a termios the input side of the line discipline looks at. */
export interface TermiosView {
  iflag: number;
  lflag: number;
  cc: Uint8Array;
}

/** Reads the flag words and control characters of a kernel struct termios. */
export function termiosView(b: Uint8Array): TermiosView {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    iflag: v.getUint32(OFF_IFLAG, true),
    lflag: v.getUint32(OFF_LFLAG, true),
    cc: b.slice(OFF_CC, OFF_CC + NCCS),
  };
}

/** cfmakeraw(3) on a kernel struct termios, in place. */
export function makeRaw(b: Uint8Array): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setUint32(OFF_IFLAG, v.getUint32(OFF_IFLAG, true) & ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON), true);
  v.setUint32(OFF_OFLAG, v.getUint32(OFF_OFLAG, true) & ~OPOST, true);
  v.setUint32(OFF_LFLAG, v.getUint32(OFF_LFLAG, true) & ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN), true);
  v.setUint32(OFF_CFLAG, (v.getUint32(OFF_CFLAG, true) & ~(CSIZE | PARENB)) | CS8, true);
  b[OFF_CC + VMIN] = 1;
  b[OFF_CC + VTIME] = 0;
}
