// The platform: one sandbox's trap channel (seccomp listener), its tracer
// thread, and guest memory. The kernel above implements PlatformListener; the
// syscall layer answers traps through the trap buffer and the reply helpers.
import { openSync, closeSync, constants as fsc } from 'node:fs';
import { Ev } from './events.js';
import { compileBytes, restartBitmap, type Isolation } from './policy.js';
import { loaderPath, native, type NativeSandbox } from './native.js';
import { Slot } from './trap-abi.js';

const N = native();
const O_PATH = 0o10000000;

/** CPU time and peak memory of an exited host thread (from wait4). */
export interface Usage {
  utimeUs: number;
  stimeUs: number;
  maxrssKb: number;
}

/** A notification id kept for a deferred reply. */
export interface NotifId {
  readonly lo: number;
  readonly hi: number;
  /** The listener it came from: init's, or that of a process spawned later (spawnExtra). */
  readonly lfd: number;
}

export interface ExecAnswer {
  /** Guest pointer to a NUL byte (the empty path for execveat). */
  emptyPath: number;
  /** Guest pointers to NULL-terminated arrays the host exec may read (ignored by the loader). */
  argv: number;
  envp: number;
}

export interface PlatformListener {
  onSpawned(hostPid: number): void;
  onSpawnFailed(errno: number, stage: number): void;
  onNewTask(parentTid: number, childTid: number, vtid: number, flags: number): void;
  onCloneFailed(parentTid: number, vtid: number, errno: number): void;
  onExec(tid: number, formerTid: number): void;
  onExit(tid: number, status: number, usage: Usage): void;
  onStopped(tid: number, sig: number): void;
  onContinued(tid: number): void;
  onKilled(tid: number, reason: number): void;
  onDone(): void;
  /** The host closed (or marked close-on-exec) guest fds [first, last]. */
  onCloseRange(tid: number, first: number, last: number, flags: number): void;
  /** May `tid` clone? The virtual tid of the new task, or -errno. */
  askClone(tid: number, flags: number, kind: number, ptid: number, ctid: number): number;
  /** May `tid` exec? Where the tracer should point the loader's execveat, or -errno. */
  askExec(tid: number, kind: number, dirfd: number, path: number, argv: number, envp: number, flags: number): ExecAnswer | number;
}

export interface SpawnOptions {
  path: string;
  argv: string[];
  envp: string[];
  stdio: [number, number, number];
  initVtid: number;
  isolation: Isolation;
}

/** Facts about the host the platform depends on, read once. */
export interface HostLimits {
  /** The fd number our loader occupies in every guest (top of the host table). */
  loaderSlot: number;
  /** First fd number reserved for the platform; guests get fds below it. */
  reservedBase: number;
}

export function hostLimits(): HostLimits {
  const rl = N.getrlimit(7 /* RLIMIT_NOFILE */);
  const hard = typeof rl === 'number' ? 1024 : rl[1];
  const top = Math.min(Number.isFinite(hard) ? hard : 1 << 20, 1 << 16);
  const loaderSlot = top - 1;
  return { loaderSlot, reservedBase: loaderSlot - 3 };
}

export class Platform {
  readonly trapBuf = new Int32Array(Slot.Count);
  private sb: NativeSandbox | null = null;
  private lfd = -1;
  private loaderFd = -1;
  /**
   * Put the init task (and so every guest process) in a host process group
   * of its own, in tsvisor's session. Done when the init task is reported,
   * which is before its first exec completes (the tracer waits for our
   * answer to that exec), the last moment a parent may move a child.
   */
  ownProcessGroup = false;
  /** Start init in namespaces of its own with an empty root, where the kernel allows (docs/security.md). */
  namespaces = true;
  /** Whether it was: set when init has started. */
  namespaced = false;
  /** Whether the guests also got a pid namespace of their own (docs/security.md): set when init has started. */
  pidNamespace = false;

  constructor(
    private readonly listener: PlatformListener,
    readonly limits: HostLimits = hostLimits(),
  ) {}

  /** Exec slots the loader maps its program and interpreter from. */
  get execSlots(): [number, number] {
    return [this.limits.loaderSlot - 2, this.limits.loaderSlot - 3];
  }

  /** Starts the sandbox's init task; `onTrap` answers every notification. */
  spawn(o: SpawnOptions, onTrap: () => number): number {
    if (this.sb) return -16; // EBUSY: one init per platform
    this.sb = N.createSandbox(this.trapBuf, onTrap, (type, tid, a0, a1, a2, a3, a4, a5) =>
      this.onEvent(type, tid, a0, a1, a2, a3, a4, a5),
    );
    this.loaderFd = openSync(loaderPath(), fsc.O_RDONLY | O_PATH);
    return N.spawn(this.sb, {
      path: o.path,
      argv: o.argv,
      envp: o.envp,
      stdio: o.stdio,
      loaderFd: this.loaderFd,
      loaderSlot: this.limits.loaderSlot,
      initVtid: o.initVtid,
      filter: compileBytes(o.isolation),
      restartNoIntr: restartBitmap(o.isolation),
      namespaces: this.namespaces,
    });
  }

  private onEvent(type: number, tid: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): void {
    const l = this.listener;
    switch (type) {
      case Ev.Listener:
        // A process spawned later (a1 = 1) has a listener of its own, which the
        // native side polls; its notifications carry it in Slot.Lfd.
        if (a1 === 0) this.lfd = a0;
        return;
      case Ev.Spawned:
        this.namespaced = a0 === 1;
        this.pidNamespace = a1 === 1;
        if (this.ownProcessGroup) N.setpgid(tid, tid);
        return l.onSpawned(tid);
      case Ev.SpawnFailed:
        return l.onSpawnFailed(a0, a1);
      case Ev.NewTask:
        return l.onNewTask(tid, a0, a1, a2 + a3 * 2 ** 32);
      case Ev.CloneFailed:
        return l.onCloneFailed(tid, a0, a1);
      case Ev.Exec:
        return l.onExec(tid, a0);
      case Ev.Exit:
        return l.onExit(tid, a0, { utimeUs: a1, stimeUs: a2, maxrssKb: a3 });
      case Ev.Stopped:
        return l.onStopped(tid, a0);
      case Ev.Continued:
        return l.onContinued(tid);
      case Ev.Killed:
        return l.onKilled(tid, a0);
      case Ev.Done:
        this.lfd = -1;
        if (this.loaderFd >= 0) closeSync(this.loaderFd), (this.loaderFd = -1);
        return l.onDone();
      case Ev.CloseRange:
        return l.onCloseRange(tid, a0, a1, a2);
      case Ev.AskClone: {
        const r = l.askClone(tid, a0 + a1 * 2 ** 32, a2, a3, a4);
        N.answer(this.sb!, r);
        return;
      }
      case Ev.AskExec: {
        const r = l.askExec(tid, a0, a1, a2, a3, a4, a5);
        if (typeof r === 'number') N.answer(this.sb!, r);
        else N.answer(this.sb!, this.limits.loaderSlot, r.emptyPath, r.argv, r.envp);
        return;
      }
    }
  }

  dispose(): void {
    if (this.sb) N.dispose(this.sb);
    this.sb = null;
  }

  // ---- replies to the current or a kept notification ----

  /** The id of the notification being handled now. */
  currentId(): NotifId {
    return { lo: this.trapBuf[Slot.IdLo]!, hi: this.trapBuf[Slot.IdHi]!, lfd: this.trapBuf[Slot.Lfd]! };
  }

  reply(id: NotifId, val: number): number {
    return N.notifReply(id.lfd, id.lo, id.hi, val);
  }

  continueCall(id: NotifId): number {
    return N.notifContinue(id.lfd, id.lo, id.hi);
  }

  idValid(id: NotifId): boolean {
    return this.lfd >= 0 && N.notifIdValid(id.lfd, id.lo, id.hi);
  }

  /** Installs host fd `src` into the trapping guest at `dst` (-1: lowest free); `send` also replies with it. */
  addFd(src: number, dst: number, cloexec: boolean, send: boolean): number {
    const b = this.trapBuf;
    return N.notifAddFd(b[Slot.Lfd]!, b[Slot.IdLo]!, b[Slot.IdHi]!, src, dst, cloexec, send);
  }

  /** addFd for a kept notification (a deferred call completing later). */
  addFdFor(id: NotifId, src: number, dst: number, cloexec: boolean, send: boolean): number {
    return N.notifAddFd(id.lfd, id.lo, id.hi, src, dst, cloexec, send);
  }

  /**
   * Starts another process in the running sandbox (OCI exec): same filter
   * and loader as init, a listener of its own. It is held before its filter
   * until `startExtra`; returns its host pid or -errno.
   */
  spawnExtra(o: { path: string; argv: string[]; envp: string[]; stdio: [number, number, number]; vtid: number }): number {
    if (!this.sb || this.lfd < 0) return -3; // ESRCH: the sandbox is not running
    return N.spawnExtra(this.sb, o);
  }

  /** Lets a process from spawnExtra run (go) or kills it. */
  startExtra(hostPid: number, go: boolean): number {
    if (!this.sb) return -3;
    return N.startExtra(this.sb, hostPid, go);
  }

  // ---- guest memory (host tid of any thread of the target process) ----

  read(tid: number, addr: number, buf: Uint8Array, off = 0, len = buf.length - off): number {
    return N.memRead(tid, addr, buf, off, len);
  }

  write(tid: number, addr: number, buf: Uint8Array, off = 0, len = buf.length - off): number {
    return N.memWrite(tid, addr, buf, off, len);
  }

  readString(tid: number, addr: number, max: number): string | number {
    return N.memReadString(tid, addr, max);
  }

  readStringArray(tid: number, addr: number, maxCount: number, maxBytes: number): string[] | number {
    return N.memReadStringArray(tid, addr, maxCount, maxBytes);
  }
}
