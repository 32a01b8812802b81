// The sandbox's terminals: pseudo-terminals the sentry owns, with Linux's job
// control state (controlling terminal of a session, foreground process
// group) kept in virtual ids, and the part of the line discipline that
// raises signals played by the sentry (see ldisc.ts for why).
//
// Each terminal is a host pty pair whose slave the guest uses directly (its
// reads and writes run natively) and whose master only the sentry holds; the
// sentry relays between that master and the terminal's far side:
//   - the console (`tsvisor run -t`): the program embedding the sandbox
//     (the CLI relays its own stdin/stdout);
//   - a terminal a guest made through /dev/ptmx: the guest's master fd is
//     the master of a second, raw host pty whose slave the sentry reads and
//     writes, so the guest still holds a real terminal master (poll, EIO when
//     the slave side is gone) while every input byte passes the sentry.
// The host ptys run with ISIG off; the guest sees (TCGETS) and sets (TCSETS*)
// ISIG as if it were on the host.
import { readFileSync } from 'node:fs';
import { E } from '../../abi/errno.js';
import { O_ACCMODE, O_CLOEXEC, O_NOCTTY, O_NONBLOCK, O_RDONLY, O_RDWR } from '../../abi/flags.js';
import { Sig } from '../../abi/signals.js';
import {
  IXON, ISIG, NOFLSH, OFF_CC, OFF_LFLAG, TCFLSH, TCIOFLUSH, TCOON, TCXONC, termiosView, makeRaw, type TermiosView, VEOF,
} from '../../abi/termios.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Task, ThreadGroup } from '../../kernel/task.js';
import {
  close, getWinsize, ioctlArg, ioctlBuf, ptyOpen, ptyPeer, pwrite, setWinsize, tcgets, tcsets, type Winsize,
} from '../../platform/host.js';
import type { FilePrivate } from '../../vfs/file.js';
import { nowTimespec, type Timespec } from '../../vfs/inode.js';
import type { Mount, VPath } from '../../vfs/mount.js';
import { InputScanner, signalEcho } from './ldisc.js';
import { setNonblocking, TtyReader, TtyWriter } from './stream.js';

/** What the terminal's signals carry, as the kernel's own (kill_pgrp with SEND_SIG_PRIV): SI_KERNEL, no sender. */
const FROM_KERNEL = { code: 0x80 /* SI_KERNEL */, pid: 0, uid: 0 };

export type { Winsize } from '../../platform/host.js';

/** The group devpts gives new terminals (gid=5 in the mount options, as docker mounts it). */
export const TTY_GID = 5;
/** UNIX98_PTY_SLAVE_MAJOR: /dev/pts/N is (136, N). */
export const PTS_MAJOR = 136;
/**
 * Terminals one sandbox may have at once (devpts' max=): each takes host
 * ptys, of which the host has few (kernel.pty.max, 4096 by default) for
 * everyone; a guest must not be able to use them all up.
 */
export const MAX_PTYS = 256;

/** What an open file description of a terminal refers to (OpenFile.priv). */
export class TtyFile implements FilePrivate {
  constructor(
    readonly pty: Pty,
    /** The master side (a /dev/ptmx open) rather than the terminal itself. */
    readonly master: boolean,
    /** The sentry's host fd of this description. */
    readonly hostFd: number,
  ) {}

  release(): void {
    if (this.master) this.pty.masterClosed();
    else this.pty.slaves.delete(this.hostFd);
  }
}

export class Pty {
  /** Session (virtual sid) this is the controlling terminal of; 0: none. */
  session = 0;
  /** Foreground process group (virtual pgid); 0: none. */
  pgrp = 0;
  /** ISIG as the guest last set it; the host pty always runs without it. */
  guestIsig = true;
  mode = 0o620;
  readonly ctime: Timespec = nowTimespec();
  /** Host fds of the slave descriptions the sentry holds for guest opens. */
  readonly slaves = new Set<number>();
  /** A slave the sentry keeps open (the console), non-blocking, sentry-only. */
  kept = -1;
  closed = false;
  /** Where the terminal's output goes; false asks for a pause until resumeOutput(). */
  sink: ((b: Buffer) => boolean) | null = null;
  /** The input backlog was written out (after input() returned false). */
  onInputDrain: () => void = () => {};
  /** Every slave was closed: the far side should see the end. */
  onSlaveHangup: () => void = () => {};
  /** The master side is being torn down. */
  onClose: () => void = () => {};
  private readonly scanner = new InputScanner();
  private readonly writer: TtyWriter;
  private readonly reader: TtyReader;

  constructor(
    readonly table: Terminals,
    /** N in /dev/pts/N. */
    readonly index: number,
    /** The sentry's host fd of the master (non-blocking). */
    readonly master: number,
    public uid: number,
    public gid: number,
  ) {
    this.writer = new TtyWriter(master, () => this.onInputDrain());
    this.reader = new TtyReader(
      master,
      (b) => {
        if (this.sink && this.sink(b) === false) this.reader.pause();
      },
      () => this.onSlaveHangup(),
      table.kernel.log,
    );
  }

  /** The terminal's device number as the kernel encodes it for userspace (new_encode_dev of 136:N). */
  get devNumber(): number {
    const minor = this.index;
    return ((minor & 0xff) | (PTS_MAJOR << 8) | ((minor & ~0xff) << 12)) >>> 0;
  }

  /** Starts relaying the terminal's output to `sink`. */
  startOutput(): number {
    return this.reader.start();
  }

  resumeOutput(): void {
    this.reader.resume();
  }

  /** Everything the guest wrote so far, to the sink, synchronously (the sandbox is ending). */
  drainOutput(): void {
    this.reader.drainSync();
  }

  // ---- termios as the guest sees it ----

  /**
   * Reads a termios-like struct (TCGETS, TCGETS2 or TCGETA: the host converts
   * between layouts) and shows the guest its own ISIG. `lflagAt` is where the
   * low byte of c_lflag sits in that layout.
   */
  getTermios(req: number, size: number, lflagAt: number): Buffer | number {
    const b = Buffer.alloc(size);
    const r = ioctlBuf(this.master, req, b);
    if (r < 0) return r;
    b[lflagAt] = this.guestIsig ? b[lflagAt]! | ISIG : b[lflagAt]! & ~ISIG;
    return b;
  }

  /**
   * Applies a termios-like struct the guest gave (TCSETS*, TCSETS2*, TCSETA*):
   * its ISIG is recorded, the host gets it without. Pty output is never held
   * in the driver, so the "wait for output" variants do not block the sentry.
   */
  setTermios(req: number, b: Buffer, lflagAt: number): number {
    const isig = (b[lflagAt]! & ISIG) !== 0;
    b[lflagAt] = b[lflagAt]! & ~ISIG;
    const r = ioctlBuf(this.master, req, b);
    if (r < 0) return r;
    this.guestIsig = isig;
    return 0;
  }

  /** The guest's view of the input flags and control characters. */
  private view(): TermiosView | null {
    const b = tcgets(this.master);
    if (typeof b === 'number') return null;
    const v = termiosView(b);
    v.lflag = this.guestIsig ? v.lflag | ISIG : v.lflag & ~ISIG;
    return v;
  }

  /** Turns the host's ISIG off at creation (a new pty starts with it on). */
  hostIsigOff(): number {
    const b = tcgets(this.master);
    if (typeof b === 'number') return b;
    this.guestIsig = (b.readUInt32LE(OFF_LFLAG) & ISIG) !== 0;
    b.writeUInt32LE(b.readUInt32LE(OFF_LFLAG) & ~ISIG, OFF_LFLAG);
    return tcsets(this.master, b);
  }

  // ---- input (the far side typing) ----

  /**
   * Bytes typed at the terminal: the guest's signal characters are taken out
   * and acted on, the rest goes to the master. False while a backlog waits
   * for the guest to read (onInputDrain tells when it went).
   */
  input(data: Uint8Array): boolean {
    if (this.closed) return true;
    const t = this.view();
    if (!t) return this.writer.write(data);
    let ok = true;
    // What signal characters need, set up once per chunk: a guest can write
    // thousands of them to its master in one go.
    let slave = -2;
    const sent = new Set<number>();
    for (const ev of this.scanner.scan(data, t)) {
      if (ev.kind === 'data') {
        ok = this.writer.write(data.subarray(ev.start, ev.end));
        continue;
      }
      if (slave === -2) slave = this.sentrySlave();
      this.signalChar(ev.char, t, slave);
      // Ordinary signals do not queue: one per chunk is what the guest can see.
      if (!sent.has(ev.sig)) sent.add(ev.sig), this.table.signalPgrp(this.pgrp, ev.sig, true);
    }
    if (slave >= 0 && slave !== this.kept) close(slave);
    return ok && this.writer.backlog === 0;
  }

  /** End of input: the guest reads end-of-file (its VEOF character, as `script` sends). */
  endOfInput(): void {
    const t = tcgets(this.master);
    const eof = typeof t === 'number' ? 4 : t[OFF_CC + VEOF]!;
    if (eof) this.writer.write(Uint8Array.of(eof));
  }

  /**
   * What n_tty does for a signal character before and besides signalling:
   * flush unless NOFLSH, restart output stopped by VSTOP, echo. `slave` is a
   * sentry-only slave fd (-1: none, then only the relay's backlog is dropped).
   */
  private signalChar(ch: number, t: TermiosView, slave: number): void {
    const flush = !(t.lflag & NOFLSH);
    if (flush) this.writer.discard();
    if (slave < 0) return;
    if (flush) ioctlArg(slave, TCFLSH, TCIOFLUSH);
    if (t.iflag & IXON) ioctlArg(slave, TCXONC, TCOON);
    const echo = signalEcho(ch, t);
    if (echo.length) pwrite(slave, echo, 0, echo.length, -1);
  }

  /**
   * A non-blocking slave fd only the sentry uses: the kept one, or a fresh one
   * (the caller closes it) while some guest has the slave open — opening one
   * when none is would make the master's next read fail with EIO. -1: none.
   */
  private sentrySlave(): number {
    if (this.kept >= 0) return this.kept;
    if (!this.slaves.size) return -1;
    const fd = ptyPeer(this.master, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    return fd < 0 ? -1 : fd;
  }

  // ---- window size ----

  /** TIOCSWINSZ as tty_do_resize: SIGWINCH to the foreground group when the size changed. */
  resize(w: Winsize): number {
    const cur = getWinsize(this.master);
    const r = setWinsize(this.master, w);
    if (r < 0) return r;
    const same = typeof cur !== 'number' && cur.rows === w.rows && cur.cols === w.cols && cur.xpixel === w.xpixel && cur.ypixel === w.ypixel;
    if (!same) this.table.signalPgrp(this.pgrp, Sig.SIGWINCH, false);
    return 0;
  }

  // ---- opens ----

  /** A new open of the slave side for the calling task (/dev/pts/N, /dev/tty, TIOCGPTPEER). */
  openSlave(flags: number, mayAcquire: boolean): { hostFd: number; priv: TtyFile } | number {
    if (this.closed) return -E.EIO;
    const fd = ptyPeer(this.master, (flags & (O_ACCMODE | O_NONBLOCK)) | O_CLOEXEC);
    if (fd < 0) return fd;
    this.slaves.add(fd);
    if (mayAcquire && !(flags & O_NOCTTY)) this.acquireOnOpen(flags);
    if (!this.reader.running && this.sink) {
      // A slave is back after every one had closed (the master read EIO): relay again.
      this.onRevive();
      this.reader.start();
    }
    return { hostFd: fd, priv: new TtyFile(this, false, fd) };
  }

  /** The relay of a guest-made terminal restarts its far side here. */
  onRevive: () => void = () => {};

  /** tty_open_proc_set_tty: a session leader without a terminal opening one for reading gets it. */
  private acquireOnOpen(flags: number): void {
    const t = this.table.kernel.current;
    if (!t || this.session) return;
    const acc = flags & O_ACCMODE;
    if (acc !== O_RDONLY && acc !== O_RDWR) return;
    const g = t.group;
    if (g.sid !== g.tgid || this.table.cttyOf(g)) return;
    this.session = g.sid;
    this.pgrp = g.pgid;
  }

  // ---- the end ----

  /** The last guest reference to the master went (pty_close): hang up the terminal. */
  masterClosed(): void {
    if (this.closed) return;
    this.table.hangup(this);
    this.close();
  }

  /** Releases every host object (the terminal is gone for the guests). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.reader.stop();
    this.writer.close();
    if (this.kept >= 0) close(this.kept), (this.kept = -1);
    close(this.master);
    this.table.ptys.delete(this.index);
  }
}

/** The far side of a terminal a guest made: the slave of a raw host pty whose master the guest holds. */
class GuestLine {
  private slave = -1;
  private reader: TtyReader | null = null;
  private writer: TtyWriter | null = null;
  private hangingUp = false;

  constructor(
    private readonly pty: Pty,
    /** The sentry's host fd of the guest's master description (owned by its OpenFile). */
    private readonly guestMaster: number,
  ) {}

  /** Connects `slave` (a raw, non-blocking slave of the guest's master) to the terminal. */
  start(slave: number): number {
    this.slave = slave;
    const pty = this.pty;
    this.writer = new TtyWriter(slave, () => {
      if (this.hangingUp) this.closeSlave();
      else pty.resumeOutput();
    });
    this.reader = new TtyReader(
      slave,
      (b) => {
        if (!pty.input(b)) this.reader?.pause();
      },
      () => {},
      pty.table.kernel.log,
    );
    pty.sink = (b) => this.writer?.write(b) ?? true;
    pty.onInputDrain = () => this.reader?.resume();
    pty.onSlaveHangup = () => this.hangup();
    pty.onRevive = () => this.revive();
    pty.onClose = () => this.closeSlave();
    const r = this.reader.start();
    if (r < 0) return r;
    return pty.startOutput();
  }

  /** Every slave of the terminal closed: once its output is through, the guest's master reads EIO. */
  private hangup(): void {
    this.hangingUp = true;
    if (!this.writer || this.writer.backlog === 0) this.closeSlave();
  }

  private revive(): void {
    this.hangingUp = false;
    if (this.slave >= 0) return;
    const s = ptyPeer(this.guestMaster, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (s >= 0) this.start(s);
  }

  private closeSlave(): void {
    this.reader?.stop();
    this.writer?.close();
    this.reader = null;
    this.writer = null;
    if (this.slave >= 0) close(this.slave), (this.slave = -1);
  }
}

/** Signal state of a host thread, from /proc (blocked, ignored, caught masks). */
function sigMasks(hostTid: number): { blocked: bigint; ignored: bigint; caught: bigint } | null {
  let s: string;
  try {
    s = readFileSync(`/proc/${hostTid}/status`, 'latin1');
  } catch {
    return null;
  }
  const field = (name: string): bigint => {
    const m = new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(s);
    return m ? BigInt('0x' + m[1]) : 0n;
  };
  return { blocked: field('SigBlk'), ignored: field('SigIgn'), caught: field('SigCgt') };
}

const bit = (sig: number): bigint => 1n << BigInt(sig - 1);

/** One sandbox's terminals, and the controlling terminals of its sessions. */
export class Terminals {
  readonly ptys = new Map<number, Pty>();
  console: Pty | null = null;
  /** Where devpts is mounted: the paths of /dev/pts/N (for /proc/PID/fd and TIOCGPTPEER). */
  devpts: Mount | null = null;
  /** Non-leaders that gave up their terminal (TIOCNOTTY), with the session they did it in. */
  private readonly detached = new WeakMap<ThreadGroup, number>();

  constructor(readonly kernel: Kernel) {}

  /** The lowest free /dev/pts number, as devpts allocates. */
  private freeIndex(): number {
    let i = 0;
    while (this.ptys.has(i)) i++;
    return i;
  }

  /** The path /dev/pts/N of a terminal (null before devpts is mounted). */
  slavePath(p: Pty): VPath | null {
    const m = this.devpts;
    if (!m) return null;
    const d = m.root.child(String(p.index));
    return d && typeof d !== 'number' ? { mnt: m, d } : null;
  }

  /**
   * The sandbox's console: an unlocked terminal the init process gets as its
   * stdio and controlling terminal (session 1, foreground group 1), as a
   * container runtime sets it up. Its far side is the embedding program.
   */
  openConsole(uid: number, gid: number, size?: Winsize): Pty | number {
    const p = this.openTerminal(uid, gid, size);
    if (typeof p === 'number') return p;
    p.session = 1;
    p.pgrp = 1;
    this.console = p;
    return p;
  }

  /**
   * A terminal whose far side is the embedding program, as the console but
   * of no session yet (a process started later into the sandbox with a
   * terminal of its own: `exec -t`).
   */
  openTerminal(uid: number, gid: number, size?: Winsize): Pty | number {
    if (this.ptys.size >= MAX_PTYS) return -E.ENOSPC;
    const a = ptyOpen(true);
    if (typeof a === 'number') return a;
    const master = a[0];
    setNonblocking(master);
    const kept = ptyPeer(master, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (kept < 0) {
      close(master);
      return kept;
    }
    const p = new Pty(this, this.freeIndex(), master, uid, gid);
    p.kept = kept;
    const r = p.hostIsigOff();
    if (r < 0) {
      p.close();
      return r;
    }
    if (size) setWinsize(master, size);
    this.ptys.set(p.index, p);
    return p;
  }

  /**
   * /dev/ptmx: a new terminal, locked until the guest unlocks it
   * (TIOCSPTLCK), owned by the caller. Returns the guest's master.
   */
  openPtmx(flags: number): { hostFd: number; priv: TtyFile } | number {
    if (this.ptys.size >= MAX_PTYS) return -E.ENOSPC;
    const creds = this.kernel.current?.creds;
    const a = ptyOpen(false);
    if (typeof a === 'number') return a;
    const master = a[0];
    setNonblocking(master);
    const b = ptyOpen(true);
    if (typeof b === 'number') {
      close(master);
      return b;
    }
    const guestMaster = b[0];
    const slave = ptyPeer(guestMaster, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    const raw = slave < 0 ? slave : tcgets(slave);
    if (typeof raw === 'number') {
      if (slave >= 0) close(slave);
      close(guestMaster);
      close(master);
      return raw;
    }
    makeRaw(raw);
    tcsets(slave, raw);
    if (flags & O_NONBLOCK) setNonblocking(guestMaster);
    const p = new Pty(this, this.freeIndex(), master, creds?.fsuid ?? 0, TTY_GID);
    this.ptys.set(p.index, p);
    const line = new GuestLine(p, guestMaster);
    const r = p.hostIsigOff();
    const s = r < 0 ? r : line.start(slave);
    if (s < 0) {
      close(slave);
      p.close();
      close(guestMaster);
      return s;
    }
    return { hostFd: guestMaster, priv: new TtyFile(p, true, guestMaster) };
  }

  // ---- sessions and process groups ----

  /** The controlling terminal of a process. */
  cttyOf(g: ThreadGroup): Pty | null {
    if (this.detached.get(g) === g.sid) return null;
    for (const p of this.ptys.values()) if (p.session !== 0 && p.session === g.sid) return p;
    return null;
  }

  /** TIOCNOTTY by a process that is not its session's leader: only it loses the terminal. */
  detach(g: ThreadGroup): void {
    this.detached.set(g, g.sid);
  }

  /**
   * A session leader giving up its terminal (TIOCNOTTY: SIGHUP and SIGCONT to
   * the foreground group) or exiting (SIGHUP only), as disassociate_ctty.
   */
  disassociate(p: Pty, onExit: boolean): void {
    const fg = p.pgrp;
    p.session = 0;
    p.pgrp = 0;
    if (!fg) return;
    this.signalPgrp(fg, Sig.SIGHUP, false);
    if (!onExit) this.signalPgrp(fg, Sig.SIGCONT, false);
  }

  /** A process exited: a session leader takes its session's terminal with it. */
  groupExited(g: ThreadGroup): void {
    if (g.sid !== g.tgid) return;
    for (const p of this.ptys.values()) if (p.session === g.sid) this.disassociate(p, true);
  }

  /** The master went away (tty_vhangup): SIGHUP and SIGCONT to the session's leader. */
  hangup(p: Pty): void {
    const sid = p.session;
    p.session = 0;
    p.pgrp = 0;
    if (!sid) return;
    const leader = this.kernel.groupByPid(sid);
    if (leader && leader.alive && leader.sid === sid) {
      this.kernel.signalGroup(leader, Sig.SIGHUP, FROM_KERNEL);
      this.kernel.signalGroup(leader, Sig.SIGCONT, FROM_KERNEL);
    }
  }

  /**
   * Sends `sig` to every process of a group, as the terminal does
   * (kill_pgrp). A stop signal the terminal raises for an orphaned group is
   * dropped where its action is the default, as Linux drops it at delivery:
   * the host would stop those processes (all guests share a host group that
   * is never orphaned), with no one left to continue them.
   */
  signalPgrp(pgid: number, sig: number, fromTerminal: boolean, caller?: Task): number {
    if (!pgid) return 0;
    const stop = fromTerminal && (sig === Sig.SIGTSTP || sig === Sig.SIGTTIN || sig === Sig.SIGTTOU);
    const orphaned = stop && this.orphaned(pgid);
    let n = 0;
    for (const g of [...this.kernel.pids.groups.values()]) {
      if (!g.alive || g.pgid !== pgid) continue;
      if (orphaned) {
        const m = sigMasks(g.hostTgid);
        if (!m || !(m.caught & bit(sig))) continue;
      }
      // The caller's own thread gets it: its call returns ERESTARTSYS, which
      // only a thread with a signal pending turns into a restart.
      const r = caller && caller.group === g ? this.kernel.signalTask(caller, sig, FROM_KERNEL) : this.kernel.signalGroup(g, sig, FROM_KERNEL);
      if (r === 0) n++;
    }
    return n;
  }

  /** An orphaned process group: no member has a parent in another group of the same session. */
  orphaned(pgid: number): boolean {
    for (const g of this.kernel.pids.groups.values()) {
      if (!g.alive || g.pgid !== pgid) continue;
      const p = g.parent;
      if (p && p.alive && p.pgid !== pgid && p.sid === g.sid) return false;
    }
    return true;
  }

  /** session_of_pgrp: the session of a process group, or of a process by that id (0: none). */
  sessionOf(id: number): number {
    let byPid = 0;
    for (const g of this.kernel.pids.groups.values()) {
      if (!g.alive) continue;
      if (g.pgid === id) return g.sid;
      if (g.tgid === id) byPid = g.sid;
    }
    return byPid;
  }

  /**
   * tty_check_change / job_control for a task touching terminal `p`: 0 to go
   * on, -EIO, or -ERESTARTSYS after sending `sig` (SIGTTOU, SIGTTIN) to its
   * group. Only a background process whose controlling terminal this is is
   * stopped; SIGTTOU that is blocked or ignored lets it through, SIGTTIN
   * ignored or blocked makes it EIO, as does an orphaned group.
   */
  checkBackground(t: Task, p: Pty, sig: number): number {
    const g = t.group;
    if (this.cttyOf(g) !== p || !p.pgrp || g.pgid === p.pgrp) return 0;
    const m = sigMasks(t.hostTid);
    const ignored = m !== null && ((m.blocked | m.ignored) & bit(sig)) !== 0n;
    if (ignored) return sig === Sig.SIGTTIN ? -E.EIO : 0;
    if (this.orphaned(g.pgid)) return -E.EIO;
    this.signalPgrp(g.pgid, sig, false, t);
    return -ERESTARTSYS;
  }

  /** Releases every terminal (the sandbox ended). */
  dispose(): void {
    for (const p of [...this.ptys.values()]) p.close();
    this.console = null;
  }
}

/** Linux's "interrupted; restart if the handler allows" (the kernel applies SA_RESTART). */
export const ERESTARTSYS = 512;
