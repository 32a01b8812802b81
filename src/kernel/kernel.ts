// The kernel: tasks, the process tree and its life cycle, driven by the
// platform's events (clone, exec, exit, stop) and asked for decisions (may
// this task clone or exec). It owns identity; the host only runs threads.
import { readFileSync } from 'node:fs';
import { E } from '../abi/errno.js';
import {
  AT_FDCWD, CLD_CONTINUED, CLD_DUMPED, CLD_EXITED, CLD_KILLED, CLD_STOPPED, CLONE_FILES, CLONE_FS, CLONE_NEWCGROUP,
  CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS, CLONE_PARENT, CLONE_PIDFD,
  CLONE_THREAD, CSIGNAL, RLIMIT_NPROC,
} from '../abi/flags.js';
import { Sig } from '../abi/signals.js';
import { kill as hostKill, queueSignal, schedAffinity, type SigInfo } from '../platform/host.js';
import type { ExecAnswer, NotifId, Platform, PlatformListener, Usage } from '../platform/platform.js';
import { Creds } from '../vfs/creds.js';
import { FdAccount, FdTable } from '../vfs/fdtable.js';
import type { OpenFile } from '../vfs/file.js';
import { FsContext } from '../vfs/fscontext.js';
import type { MountNamespace, VPath } from '../vfs/mount.js';
import type { NameiContext } from '../vfs/namei.js';
import { prepareExec, releaseExec } from './exec.js';
import { SandboxCgroup } from '../platform/cgroup2.js';
import { cpuMaskFor, cpuMicros, sentryCpuMask, formatBytes, type KernelLimits, residentBytes, WATCH_MS } from './limits.js';
import { PidNamespace } from './pidns.js';
import { Rlimits } from './rlimits.js';
import { sysctlValueRefusal } from './sysctl.js';
import { Task, ThreadGroup } from './task.js';

const CLONE_NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
const CLOSE_RANGE_UNSHARE = 2;
const CLOSE_RANGE_CLOEXEC = 4;
const SI_USER = 0;
const SI_KERNEL = 0x80;

/** The host's fs.suid_dumpable: what PR_GET_DUMPABLE says after a credential change. */
function hostSuidDumpable(): number {
  try {
    const v = Number(readFileSync('/proc/sys/fs/suid_dumpable', 'latin1').trim());
    return v === 1 || v === 2 ? v : 0;
  } catch {
    return 0;
  }
}

export interface KernelOptions {
  hostname: string;
  domainname?: string;
  mounts: MountNamespace;
  creds: Creds;
  /** Highest fd number + 1 a guest may hold (the platform reserves the rest). */
  fdLimit: number;
  /** Resource limits of the first process (and of processes started later), over the defaults. */
  rlimits?: { resource: number; soft: number; hard: number }[];
  log: (line: string) => void;
  /** Most tasks (threads included) the sandbox may hold at once, as cgroup pids.max: clone fails with EAGAIN beyond. */
  maxTasks?: number;
  /** Other sandbox-wide limits (open files, memory, CPU): see limits.ts. */
  limits?: KernelLimits;
  /** Hold the memory and task limits in a cgroup v2 of the sandbox's own where the host delegates one (default true). */
  cgroup?: boolean;
  /** The first process's oom_score_adj (and the floor it may not go below unprivileged, as a privileged write sets). */
  oomScoreAdj?: number;
}

/** A change of the limits of a running sandbox: a value sets one, null removes it, absent keeps it. */
export interface LimitChange {
  maxTasks?: number | null;
  memory?: number | null;
  cpus?: number | null;
}

export interface InitSpec {
  path: string;
  argv: string[];
  envp: string[];
  cwd: VPath;
  /** The init task's first fds (its stdio), already holding host fds of the sentry's. */
  files: { fd: number; file: OpenFile }[];
  /** Its umask (default 022). */
  umask?: number;
}

/** A call the sentry holds unanswered (wait4 with nothing to report yet...). */
interface DeferredCall {
  id: NotifId;
  /** Opaque tag of the call (its number), handed back to `onResume` for tracing. */
  tag: number;
  /** Forget the call's own bookkeeping (its waiter); the kernel answers it. */
  cancel: () => void;
}

/** What the init task was doing when it failed (native/addon/tracer.cc, ChildFail stages). */
const SPAWN_STAGES: Record<number, string> = {
  0: 'creating the init task',
  1: 'setting up stdio',
  2: 'installing the loader',
  3: 'setting up the control socket',
  4: 'PR_SET_NO_NEW_PRIVS',
  5: 'installing the seccomp filter',
  7: 'attaching with ptrace (PTRACE_SEIZE)',
  8: 'taking the seccomp listener (pidfd_getfd)',
  9: 'starting',
};

/** Linux's "interrupted; restart if the handler allows": the kernel applies SA_RESTART. */
const ERESTARTSYS = 512;
/** How often blocked calls look for signals the host queued (timers, the terminal). */
const SIGNAL_POLL_MS = 10;

export interface ExitInfo {
  /** Exit code as a shell reports it: the code, or 128 + signal. */
  code: number;
  signal: number;
  /** exec of the init command failed with this errno (the code is then 126/127). */
  execErrno: number;
  spawnError: string | null;
}

export class Kernel implements PlatformListener {
  platform!: Platform;
  readonly pids = new PidNamespace();
  /** Every live task by host tid: the trap path's lookup. */
  readonly byHost = new Map<number, Task>();
  /** The task whose trap is being handled (procfs "self", logging). */
  current: Task | null = null;
  init: ThreadGroup | null = null;
  hostname: string;
  domainname: string;
  readonly mounts: MountNamespace;
  private initSpec: InitSpec | null = null;
  private readonly creds: Creds;
  readonly fdLimit: number;
  private readonly rlimitSpec: { resource: number; soft: number; hard: number }[];
  readonly suidDumpable = hostSuidDumpable();
  private initExecErrno = 0;
  private spawnError: string | null = null;
  private finished = false;
  private readonly deferred = new Map<Task, DeferredCall>();
  /** Called when a process has exited (terminals: a session leader's exit hangs up its terminal). */
  onGroupExit: ((g: ThreadGroup) => void) | null = null;
  /** A process's controlling terminal (tty_nr as new_encode_dev) and its foreground group; null: none (set by the terminals). */
  /** Directories of generated files other layers add to every proc mount (the network's /proc/net). */
  readonly procDirs = new Map<string, Record<string, () => string>>();
  cttyOf: (g: ThreadGroup) => { dev: number; pgrp: number } | null = () => null;
  /** Called when a deferred call is answered (--strace prints "resumed" lines). */
  onResume: ((t: Task, tag: number, result: number) => void) | null = null;
  private signalPoll: NodeJS.Timeout | null = null;
  private doneResolve!: (e: ExitInfo) => void;
  private result: ExitInfo | null = null;
  private tracerDone = false;
  readonly done: Promise<ExitInfo>;
  readonly log: (line: string) => void;
  /** KernelOptions.maxTasks (0: no limit); changed by setLimits. */
  maxTasks: number;
  readonly limits: KernelLimits;
  /** Every process is being killed (a limit was reached): tasks that appear now are killed too. */
  private killingAll = false;
  /** The sandbox-wide fd budget (limits.maxFiles), shared by every fd table. */
  readonly fdAccount: FdAccount | null;
  /** The CPUs guests may use (limits.cpus), a sched_setaffinity mask; null: any. */
  cpuMask: Uint8Array | null;
  /** Sysctl values set for the sandbox that nothing models, by dotted name: /proc/sys shows them. */
  private readonly sysctls = new Map<string, string>();
  /** Sysctls the sentry models (kernel.domainname; net.ipv4.ip_local_port_range, which the network stack adds): read and written through it. */
  readonly sysctlModels = new Map<string, { read: () => string; write: (value: string) => number }>();
  /** Called when a sandbox-wide limit ends the sandbox (137: memory, 124: timeout), before every process is killed. */
  onLimitReached: ((code: number, message: string) => void) | null = null;
  private readonly initOomScoreAdj: number;
  /** CPU time of processes that exited, µs (limits.cpuTime). */
  private exitedCpuUs = 0;
  private cpuWarned = false;
  private lastCheck = 0;
  private watch: NodeJS.Timeout | null = null;
  /** The sandbox was ended by a limit: its result, whatever init's status. */
  private forced: { code: number; signal: number } | null = null;
  private readonly useCgroup: boolean;
  /** The cgroup v2 holding the memory and task limits (null: the sentry's accounting alone). */
  cgroup: SandboxCgroup | null = null;
  /** Why there is no cgroup (limits were given but the host delegates none). */
  cgroupNote = '';

  constructor(o: KernelOptions) {
    this.hostname = o.hostname;
    this.domainname = o.domainname ?? '(none)';
    this.mounts = o.mounts;
    this.creds = o.creds;
    this.fdLimit = o.fdLimit;
    this.rlimitSpec = o.rlimits ?? [];
    this.log = o.log;
    this.done = new Promise((r) => (this.doneResolve = r));
    this.maxTasks = o.maxTasks ?? 0;
    this.limits = o.limits ?? {};
    this.fdAccount = this.limits.maxFiles !== undefined ? new FdAccount(this.limits.maxFiles) : null;
    this.cpuMask = this.limits.cpus !== undefined ? cpuMaskFor(this.limits.cpus) : null;
    this.useCgroup = o.cgroup ?? true;
    this.initOomScoreAdj = o.oomScoreAdj ?? 0;
    this.sysctlModels.set('kernel.domainname', {
      read: () => this.domainname,
      write: (v) => {
        this.domainname = v;
        return 0;
      },
    });
  }

  /**
   * Sets sysctl `name` (dotted) as a write to /proc/sys would: checked,
   * then given to what models it, else stored. Returns 0 or -errno.
   */
  setSysctl(name: string, value: string): number {
    if (sysctlValueRefusal(name, value)) return -E.EINVAL;
    const m = this.sysctlModels.get(name);
    if (m) return m.write(value);
    this.sysctls.set(name, value);
    return 0;
  }

  /** The value of sysctl `name` (dotted) as /proc/sys shows it, without the newline; undefined when it was neither set nor is modelled. */
  getSysctl(name: string): string | undefined {
    return this.sysctlModels.get(name)?.read() ?? this.sysctls.get(name);
  }

  /** Every sysctl that has a value: modelled or set. */
  sysctlNames(): string[] {
    return [...new Set([...this.sysctlModels.keys(), ...this.sysctls.keys()])];
  }

  /**
   * Changes the limits of the running sandbox (runc update): the task
   * limit applies to the next clone, as cgroup pids.max (tasks beyond a
   * lowered limit keep running); the memory limit is checked at once, so a
   * limit below what the guests use kills them, as the cgroup OOM killer
   * would; CPUs move every guest thread at once.
   */
  setLimits(c: LimitChange): void {
    if (c.maxTasks !== undefined) this.maxTasks = c.maxTasks ?? 0;
    if (c.memory !== undefined) {
      if (c.memory === null) delete this.limits.memory;
      else this.limits.memory = c.memory;
    }
    if (c.cpus !== undefined) {
      if (c.cpus === null) delete this.limits.cpus;
      else this.limits.cpus = c.cpus;
      this.cpuMask = c.cpus === null ? null : cpuMaskFor(c.cpus);
      // No mask: back to every CPU the sentry may use (its own affinity).
      const mask = this.cpuMask ?? sentryCpuMask();
      if (mask) {
        for (const t of this.byHost.values()) {
          const r = schedAffinity(true, t.hostTid, mask);
          if (r < 0 && r !== -E.ESRCH) this.log(`tsvisor: cannot move task ${t.tid} to the sandbox's CPUs: errno ${-r}`);
        }
      }
    }
    // A cgroup that holds the limits takes the new values (the kernel enforces them exactly there).
    const cg = this.cgroup;
    if (cg) {
      for (const [key, v, heldBefore] of [
        ['memory', c.memory, cg.limits.memory !== undefined],
        ['pids', c.maxTasks, cg.limits.pids !== undefined],
      ] as const) {
        if (v === undefined || (v === null && !heldBefore)) continue;
        const err = cg.apply({ [key]: v ?? Infinity });
        // A controller the cgroup was made without: the sentry's accounting holds that limit.
        if (err && heldBefore) {
          this.log(`tsvisor: ${err}; the new ${key} limit is the sentry's accounting alone`);
          delete cg.limits[key];
        }
      }
    }
    if (this.limits.memory === undefined && this.limits.cpuTime === undefined) {
      if (this.watch) clearInterval(this.watch), (this.watch = null);
    } else if (this.init) {
      this.startWatch();
      this.checkUsage();
    }
  }

  /** Makes the sandbox's cgroup (memory, task limits) where the host delegates one. */
  private makeCgroup(): void {
    const memory = this.limits.memory;
    const pids = this.maxTasks > 0 ? this.maxTasks : undefined;
    if (!this.useCgroup || (memory === undefined && pids === undefined)) return;
    const cg = SandboxCgroup.create({ memory, pids });
    if (typeof cg === 'string') this.cgroupNote = cg;
    else this.cgroup = cg;
  }

  /** Puts a process started from outside (init, exec) on the sandbox's CPUs (limits.cpus) before it runs. */
  private toSandboxCpus(hostPid: number): void {
    if (!this.cpuMask) return;
    const r = schedAffinity(true, hostPid, this.cpuMask);
    if (r < 0) this.log(`tsvisor: cannot restrict the sandbox's CPUs: errno ${-r}`);
  }

  /** Puts a process started from outside (init, exec) in the cgroup before it runs. */
  private joinCgroup(hostPid: number): void {
    const err = this.cgroup?.add(hostPid);
    if (err) this.log(`tsvisor: ${err}; the limits are the sentry's accounting alone for it`);
  }

  /** The kernel's OOM killer acted in the sandbox's cgroup: every guest is gone (memory.oom.group); say so. */
  private checkCgroupOom(): boolean {
    const cg = this.cgroup;
    if (!cg || cg.limits.memory === undefined || cg.oomKills() === 0) return false;
    this.endByLimit(137, Sig.SIGKILL, `out of memory: the sandbox's processes went over the memory limit of ${formatBytes(cg.limits.memory)} (cgroup ${cg.path}); every process was killed`);
    return true;
  }

  // ---- sandbox-wide limits ----

  /** Tasks alive or being created (cgroup pids.current). */
  get taskCount(): number {
    let n = this.byHost.size;
    for (const t of this.byHost.values()) n += t.pendingClones.size;
    return n;
  }

  private startWatch(): void {
    const l = this.limits;
    if (this.watch || (l.memory === undefined && l.cpuTime === undefined)) return;
    this.watch = setInterval(() => this.checkUsage(), WATCH_MS);
    this.watch.unref();
  }

  /** Reads the guests' memory and CPU time; acts on a limit they passed. */
  checkUsage(): void {
    if (this.finished || this.forced) return;
    this.lastCheck = Date.now();
    const l = this.limits;
    const groups = new Set<ThreadGroup>();
    for (const t of this.byHost.values()) groups.add(t.group);
    if (this.checkCgroupOom()) return;
    // With a cgroup the kernel holds the memory limit exactly; sampling is the fallback.
    if (l.memory !== undefined && this.cgroup?.limits.memory === undefined) {
      let rss = 0;
      for (const g of groups) rss += residentBytes(g.hostTgid);
      if (rss > l.memory) {
        this.endByLimit(137, Sig.SIGKILL, `out of memory: the sandbox's processes used ${formatBytes(rss)}, over the memory limit of ${formatBytes(l.memory)}; every process was killed`);
        return;
      }
    }
    if (l.cpuTime !== undefined) {
      let us = this.exitedCpuUs;
      for (const g of groups) us += cpuMicros(g.hostTgid);
      const s = us / 1e6;
      if (s >= l.cpuTime + 1) {
        this.log(`tsvisor: CPU time limit: the sandbox used ${s.toFixed(2)} s of CPU, past ${l.cpuTime} s and the SIGXCPU that said so; every process was killed`);
        this.killingAll = true;
        this.killAll();
        if (this.watch) clearInterval(this.watch), (this.watch = null);
      } else if (s >= l.cpuTime && !this.cpuWarned) {
        // RLIMIT_CPU's soft limit: SIGXCPU (si_code SI_KERNEL) to every process; SIGKILL comes a CPU second later.
        this.cpuWarned = true;
        for (const g of groups) this.signalGroup(g, Sig.SIGXCPU, { code: SI_KERNEL, pid: 0, uid: 0 });
      }
    }
  }

  /**
   * Ends the sandbox because a limit was reached: every process is killed
   * and the sandbox exits with `code` (137 out of memory, 124 timeout).
   */
  endByLimit(code: number, signal: number, message: string): void {
    if (this.finished || this.forced) return;
    this.forced = { code, signal };
    this.killingAll = true;
    this.log(`tsvisor: ${message}`);
    this.onLimitReached?.(code, message);
    if (this.watch) clearInterval(this.watch), (this.watch = null);
    this.killAll();
  }

  // ---- start ----

  start(spec: InitSpec, stdio: [number, number, number], isolation: 'balanced' | 'strict', onTrap: () => number): number {
    this.initSpec = spec;
    this.pids.claim(1);
    return this.platform.spawn({ path: spec.path, argv: spec.argv, envp: spec.envp, stdio, initVtid: 1, isolation }, onTrap);
  }

  onSpawned(hostPid: number): void {
    const spec = this.initSpec!;
    const g = new ThreadGroup(1, null, 1, 1, this.creds.clone(), this.firstRlimits());
    g.oomScoreAdj = g.oomScoreAdjMin = this.initOomScoreAdj;
    const t = new Task(hostPid, 1, g);
    g.leader = t;
    g.hostTgid = hostPid;
    g.tasks.add(t);
    t.files = new FdTable(this.fdAccount);
    for (const { fd, file } of spec.files) t.files.install(fd, file, false);
    t.fs = new FsContext(this.mounts.rootPath(), spec.cwd, spec.umask ?? 0o022);
    this.init = g;
    this.pids.bindTask(t);
    this.pids.bindGroup(g);
    this.byHost.set(hostPid, t);
    if (this.killingAll) hostKill(hostPid, Sig.SIGKILL);
    // Init waits at its first execve for the sentry (this runs before): its children are born inside.
    this.makeCgroup();
    this.joinCgroup(hostPid);
    // Every guest inherits init's CPUs (limits.cpus); sched_setaffinity keeps to them.
    this.toSandboxCpus(hostPid);
    this.startWatch();
  }

  /**
   * Starts another process in the running sandbox (what `runc exec` does):
   * a process of its own session and group, with no parent inside (as a
   * process entering a pid namespace from outside: getppid 0); its orphans
   * go to init. Returns it, or -errno.
   */
  spawnProcess(spec: InitSpec, stdio: [number, number, number], creds: Creds | null): ThreadGroup | number {
    if (!this.init || !this.init.alive || this.finished) return -E.ESRCH;
    const vtid = this.pids.alloc();
    if (vtid === 0) return -E.EAGAIN;
    const hostPid = this.platform.spawnExtra({ path: spec.path, argv: spec.argv, envp: spec.envp, stdio, vtid });
    if (hostPid < 0) {
      this.pids.release(vtid);
      return hostPid;
    }
    const g = new ThreadGroup(vtid, null, vtid, vtid, (creds ?? this.creds).clone(), this.firstRlimits());
    const t = new Task(hostPid, vtid, g);
    g.leader = t;
    g.hostTgid = hostPid;
    g.tasks.add(t);
    t.files = new FdTable();
    for (const { fd, file } of spec.files) t.files.install(fd, file, false);
    t.fs = new FsContext(this.mounts.rootPath(), spec.cwd, spec.umask ?? 0o022);
    this.pids.bindTask(t);
    this.pids.bindGroup(g);
    this.byHost.set(hostPid, t);
    // The tracer thread that forked it is not on the sandbox's CPUs: move it there before it runs.
    this.toSandboxCpus(hostPid);
    this.joinCgroup(hostPid);
    const r = this.platform.startExtra(hostPid, true);
    return r < 0 ? r : g;
  }

  /** The limits a process started from outside gets: the defaults and what the options set (virtual, so above the host's own too). */
  private firstRlimits(): Rlimits {
    const r = new Rlimits(this.fdLimit);
    for (const l of this.rlimitSpec) if (l.resource >= 0 && l.resource < r.v.length) r.v[l.resource] = { soft: Math.min(l.soft, l.hard), hard: l.hard };
    return r;
  }

  onSpawnFailed(errno: number, stage: number): void {
    const what = SPAWN_STAGES[stage] ?? `stage ${stage}`;
    const hint = stage === 7 ? ' (is ptrace restricted, e.g. kernel.yama.ptrace_scope=3, or are we inside a seccomp sandbox that forbids it?)' : '';
    this.spawnError = `cannot start the sandbox: ${what} failed with errno ${-errno}${hint}`;
  }

  // ---- clone ----

  askClone(tid: number, flags: number, _kind: number, _ptid: number, _ctid: number): number {
    const t = this.byHost.get(tid);
    if (!t) return -E.ESRCH;
    if (flags & CLONE_NAMESPACES) return -E.EPERM;
    if (flags & CLONE_PIDFD) return -E.EINVAL;
    // Init has no parent to share (Linux: EINVAL for a pid namespace's init).
    if (flags & CLONE_PARENT && !(flags & CLONE_THREAD) && t.group === this.init) return -E.EINVAL;
    if (!(flags & CLONE_THREAD)) {
      const nproc = t.group.rlimits.get(RLIMIT_NPROC).soft;
      if (t.creds.uid !== 0 && this.processesOf(t.creds.uid) >= nproc) return -E.EAGAIN;
    }
    // The sandbox's task limit (cgroup pids.max counts threads too): EAGAIN, as fork and clone give there.
    if (this.maxTasks && this.taskCount >= this.maxTasks) return -E.EAGAIN;
    // A new fd table copies every fd: it must fit in the sandbox's budget (dup_fd's EMFILE).
    const a = this.fdAccount;
    if (a && !(flags & CLONE_FILES) && a.open + t.files.count > a.max) return -E.EMFILE;
    const vtid = this.pids.alloc();
    if (!vtid) return -E.EAGAIN;
    t.pendingClones.set(vtid, flags);
    return vtid;
  }

  private processesOf(uid: number): number {
    let n = 0;
    for (const g of this.pids.groups.values()) if (g.alive && g.creds.uid === uid) n++;
    return n;
  }

  onCloneFailed(parentTid: number, vtid: number, _errno: number): void {
    this.byHost.get(parentTid)?.pendingClones.delete(vtid);
    this.pids.release(vtid);
  }

  onNewTask(parentTid: number, childTid: number, vtid: number, flags: number): void {
    const p = this.byHost.get(parentTid);
    if (!p) {
      // The parent vanished between its clone and this event: nothing owns the child.
      hostKill(childTid, Sig.SIGKILL);
      this.pids.release(vtid);
      return;
    }
    p.pendingClones.delete(vtid);
    let g: ThreadGroup;
    if (flags & CLONE_THREAD) {
      g = p.group;
    } else {
      const pg = p.group;
      const parent = flags & CLONE_PARENT ? pg.parent ?? pg : pg;
      // A sibling made with CLONE_PARENT signals the shared parent with the
      // caller's own exit signal, not one the caller picks (copy_process):
      // otherwise any process could have its parent, init included, sent
      // SIGKILL when the sibling exits.
      const exitSignal = flags & CLONE_PARENT ? pg.exitSignal : flags & CSIGNAL;
      g = new ThreadGroup(vtid, parent, pg.pgid, pg.sid, pg.creds.clone(), pg.rlimits.copy(), exitSignal);
      g.hostTgid = childTid;
      g.sigchld = pg.sigchld;
      g.noCldWait = pg.noCldWait;
      g.noCldStop = pg.noCldStop;
      g.exe = pg.exe;
      g.exeName = pg.exeName;
      g.argv = pg.argv;
      g.envp = pg.envp;
      g.dumpable = pg.dumpable;
      g.noNewPrivs = pg.noNewPrivs; // inherited by every child, kept across exec
      g.parentTask = flags & CLONE_PARENT ? pg.parentTask : p;
      g.parentExecCount = flags & CLONE_PARENT ? pg.parentExecCount : pg.execCount;
      g.oomScoreAdj = pg.oomScoreAdj;
      g.oomScoreAdjMin = pg.oomScoreAdjMin;
      parent.children.add(g);
      this.pids.bindGroup(g);
    }
    const t = new Task(childTid, vtid, g);
    if (!(flags & CLONE_THREAD)) g.leader = t;
    g.tasks.add(t);
    t.comm = p.comm;
    if (flags & CLONE_FILES) {
      t.files = p.files;
      p.files.users++;
    } else {
      t.files = p.files.fork();
    }
    if (flags & CLONE_FS) {
      t.fs = p.fs;
      p.fs.users++;
    } else {
      t.fs = p.fs.copy();
    }
    this.pids.bindTask(t);
    this.byHost.set(childTid, t);
    if (this.killingAll) hostKill(childTid, Sig.SIGKILL);
    // A burst of processes is looked at between the timer's rounds too.
    if (this.limits.memory !== undefined && Date.now() - this.lastCheck >= 10) this.checkUsage();
  }

  // ---- exec ----

  askExec(tid: number, kind: number, dirfd: number, pathPtr: number, argvPtr: number, envpPtr: number, flags: number): ExecAnswer | number {
    const t = this.byHost.get(tid);
    if (!t) return -E.ESRCH;
    const pf = this.platform;
    const path = pf.readString(tid, pathPtr, 4095);
    if (typeof path === 'number') return path;
    const argv = pf.readStringArray(tid, argvPtr, 1 << 20, 1 << 26);
    if (typeof argv === 'number') return argv;
    const envp = pf.readStringArray(tid, envpPtr, 1 << 20, 1 << 26);
    if (typeof envp === 'number') return envp;
    let dirPath: VPath | null = null;
    if (kind === 1 && dirfd !== AT_FDCWD) {
      const e = t.files.get(dirfd);
      if (!e) return -E.EBADF;
      dirPath = e.file.path;
      if (!dirPath) return -E.EACCES;
      if (path.length && !e.file.inode.isDir() && path[0] !== '/') return -E.ENOTDIR;
    }
    const p = prepareExec({
      task: t,
      ctx: this.nameiContext(t),
      cwd: t.fs.cwd,
      dirPath,
      dirfd,
      path,
      argv,
      envp,
      flags: kind === 1 ? flags : 0,
    });
    if (typeof p === 'number') {
      if (t.group === this.init && t.group.exe === null) this.initExecErrno = -p;
      return p;
    }
    if (t.pendingExec) releaseExec(t.pendingExec);
    t.pendingExec = p;
    // Point the host at bytes the guest already has: the path's NUL, the
    // guest's own argv (so host tools like ps show the guest's command line;
    // the loader takes its real argv from us), and the NULL ending envp.
    return {
      emptyPath: pathPtr + path.length,
      argv: argvPtr,
      envp: envpPtr === 0 ? 0 : envpPtr + 8 * envp.length,
    };
  }

  onExec(tid: number, formerTid: number): void {
    const t = this.byHost.get(formerTid);
    if (!t) return;
    const g = t.group;
    if (formerTid !== tid) {
      // A non-leader exec'd: it takes over the leader's host tid and virtual id.
      const old = this.byHost.get(tid);
      if (old && old !== t) this.dropTask(old);
      this.byHost.delete(formerTid);
      this.pids.unbindTask(t);
      t.hostTid = tid;
      t.tid = g.tgid;
      g.leader = t;
      this.byHost.set(tid, t);
      this.pids.bindTask(t);
    }
    const p = t.pendingExec;
    t.pendingExec = null;
    if (!p) {
      this.log(`exec of task ${t.tid} without a prepared image`);
      hostKill(tid, Sig.SIGKILL);
      return;
    }
    if (t.files.users > 1) {
      const own = t.files.fork();
      t.files.users--;
      t.files = own;
    }
    t.files.closeOnExec();
    if (g.sigchld === 'handler') g.sigchld = 'default';
    g.noCldStop = false;
    if (g.sigchld !== 'ignore') g.noCldWait = false;
    g.didExec = true;
    g.execCount++;
    g.exe = p.exe;
    g.exeName = p.exeName;
    g.argv = p.argv;
    g.envp = p.envp;
    t.comm = p.comm;
    // fs/exec.c begin_new_exec: set-id images get fs.suid_dumpable.
    const cr = t.creds;
    g.dumpable = cr.euid === cr.uid && cr.egid === cr.gid ? 1 : this.suidDumpable;
    const [a, b] = this.platform.execSlots;
    t.loading = { exec: p, slots: new Set(p.interp ? [a, b] : [a]) };
  }

  /** The loader closed one of its slots; the exec is complete when all are. */
  loaderClosed(t: Task, fd: number): boolean {
    const l = t.loading;
    if (!l || !l.slots.delete(fd)) return false;
    if (l.slots.size === 0) {
      releaseExec(l.exec);
      t.loading = null;
    }
    return true;
  }

  // ---- exit, stop, continue ----

  onExit(tid: number, status: number, usage: Usage): void {
    const t = this.byHost.get(tid);
    if (!t) return;
    const g = t.group;
    g.usage.utimeUs += usage.utimeUs;
    g.usage.stimeUs += usage.stimeUs;
    g.usage.maxrssKb = Math.max(g.usage.maxrssKb, usage.maxrssKb);
    this.dropTask(t);
    if (g.tasks.size === 0) this.groupExited(g, status, t);
    else this.threadExited(t);
  }

  private dropTask(t: Task): void {
    t.dead = true;
    const d = this.deferred.get(t);
    if (d) {
      this.finishDeferred(t);
      d.cancel();
    }
    this.byHost.delete(t.hostTid);
    const g = t.group;
    g.tasks.delete(t);
    if (t !== g.leader) this.pids.unbindTask(t);
    if (--t.files.users === 0) t.files.releaseAll();
    t.fs.users--;
    if (t.pendingExec) releaseExec(t.pendingExec), (t.pendingExec = null);
    if (t.loading) releaseExec(t.loading.exec), (t.loading = null);
    for (const v of t.pendingClones.keys()) this.pids.release(v);
    t.pendingClones.clear();
  }

  /**
   * A thread died and its process lives on: the processes it created now
   * belong to another of its threads, and learn it by their pdeathsig
   * (kernel/exit.c forget_original_parent: the parent is a thread).
   */
  private threadExited(t: Task): void {
    const g = t.group;
    const heir = g.tasks.values().next().value ?? null;
    for (const c of g.children) {
      if (c.parentTask !== t) continue;
      c.parentTask = heir;
      this.sendPdeathsig(c, t);
    }
  }

  private sendPdeathsig(c: ThreadGroup, dying: Task): void {
    for (const ct of c.tasks) {
      if (ct.pdeathsig) this.signalGroup(c, ct.pdeathsig, { code: SI_USER, pid: dying.group.tgid, uid: dying.creds.uid });
    }
  }

  /** The reaper of an exiting process's children: the nearest living subreaper above it, else init. */
  private reaperFor(g: ThreadGroup): ThreadGroup | null {
    for (let r = g.parent; r; r = r.parent) if (r.subreaper && r.alive) return r;
    return this.init && this.init.alive && this.init !== g ? this.init : null;
  }

  private groupExited(g: ThreadGroup, status: number, last: Task): void {
    g.exitStatus = status;
    this.exitedCpuUs += g.usage.utimeUs + g.usage.stimeUs;
    this.onGroupExit?.(g);
    this.pids.unbindTask(g.leader);
    const reaper = this.reaperFor(g);
    const heir = reaper ? (reaper.tasks.values().next().value ?? null) : null;
    for (const c of g.children) {
      c.parent = reaper;
      c.parentTask = heir;
      // kernel/exit.c reparent_leader: an orphan always signals SIGCHLD.
      c.exitSignal = Sig.SIGCHLD;
      c.parentExecCount = reaper ? reaper.execCount : 0;
      this.sendPdeathsig(c, last);
      if (reaper) {
        reaper.children.add(c);
        if (c.zombie) this.notifyParent(reaper, c, 'exited');
      } else if (c.zombie) {
        this.reap(c);
      }
    }
    g.children.clear();
    if (g === this.init) {
      this.killAll();
      this.finish(g);
    }
    const p = g.parent;
    if (!p || !p.alive) {
      this.reap(g);
      return;
    }
    this.notifyParent(p, g, 'exited');
  }

  /**
   * Tells a parent about a child's exit, stop or continue as kernel/signal.c
   * do_notify_parent(_cldstop) does: SIGCHLD with the child's siginfo, then
   * waiters. An exit that would signal SIGCHLD to a parent ignoring it (or
   * with SA_NOCLDWAIT) reaps the child at once; other exit signals never do.
   */
  private notifyParent(p: ThreadGroup, c: ThreadGroup, what: 'exited' | 'stopped' | 'continued'): void {
    let sig: number = Sig.SIGCHLD;
    let autoreap = false;
    if (what === 'exited') {
      sig = c.exitSignal;
      // A parent that exec'd since may not know that signal: it gets SIGCHLD.
      if (sig !== Sig.SIGCHLD && c.parentExecCount !== p.execCount) sig = Sig.SIGCHLD;
      if (sig === Sig.SIGCHLD && (p.sigchld === 'ignore' || p.noCldWait)) {
        autoreap = true;
        if (p.sigchld === 'ignore') sig = 0;
      }
    } else if (p.sigchld === 'ignore' || p.noCldStop) {
      sig = 0;
    }
    if (autoreap) this.reap(c);
    // As on Linux, the signal is pending before any waiter returns (a
    // program that waited for the child and then unblocks SIGCHLD gets it at
    // once; two children's signals coalesce), and a wait this event
    // satisfies returns the child instead of being restarted by the signal.
    const queued = sig && p.alive ? this.signalGroup(p, sig, this.childInfo(c, what), false) === 0 : false;
    this.wakeWaiters(p);
    if (queued) for (const t of p.tasks) this.interrupt(t);
  }

  /** The siginfo of a child's SIGCHLD: CLD_* code, its status, and its CPU time in clock ticks. */
  private childInfo(c: ThreadGroup, what: 'exited' | 'stopped' | 'continued'): SigInfo {
    const info: SigInfo = { code: CLD_EXITED, pid: c.tgid, uid: c.creds.uid, status: 0 };
    if (what === 'stopped') {
      info.code = CLD_STOPPED;
      info.status = c.stopReport;
    } else if (what === 'continued') {
      info.code = CLD_CONTINUED;
      info.status = Sig.SIGCONT;
    } else {
      const st = c.exitStatus ?? 0;
      if ((st & 0x7f) === 0) {
        info.status = (st >> 8) & 0xff;
      } else {
        info.code = st & 0x80 ? CLD_DUMPED : CLD_KILLED;
        info.status = st & 0x7f;
      }
      info.utimeTicks = Math.floor(c.usage.utimeUs / 1e4);
      info.stimeTicks = Math.floor(c.usage.stimeUs / 1e4);
    }
    return info;
  }

  wakeWaiters(p: ThreadGroup): void {
    for (const w of [...p.waiters]) if (w.retry()) p.waiters.delete(w);
  }

  reap(g: ThreadGroup): void {
    if (g.reaped) return;
    g.reaped = true;
    const p = g.parent;
    if (p) {
      p.childUsage.utimeUs += g.usage.utimeUs + g.childUsage.utimeUs;
      p.childUsage.stimeUs += g.usage.stimeUs + g.childUsage.stimeUs;
      p.childUsage.maxrssKb = Math.max(p.childUsage.maxrssKb, g.usage.maxrssKb, g.childUsage.maxrssKb);
    }
    g.parent?.children.delete(g);
    this.pids.unbindGroup(g);
  }

  onStopped(tid: number, sig: number): void {
    const t = this.byHost.get(tid);
    if (!t) return;
    const g = t.group;
    if (g.stopped) return;
    g.stopped = true;
    g.stopReport = sig;
    g.continuedReport = false;
    if (g.parent && g.parent.alive) this.notifyParent(g.parent, g, 'stopped');
  }

  onContinued(tid: number): void {
    const t = this.byHost.get(tid);
    if (!t) return;
    const g = t.group;
    if (!g.stopped) return;
    g.stopped = false;
    g.stopReport = 0;
    g.continuedReport = true;
    if (g.parent && g.parent.alive) this.notifyParent(g.parent, g, 'continued');
  }

  onKilled(tid: number, reason: number): void {
    this.log(`task ${this.byHost.get(tid)?.tid ?? '?'} (host ${tid}) killed: ${reason === 1 ? 'exec of something other than the loader' : reason}`);
  }

  onCloseRange(tid: number, first: number, last: number, flags: number): void {
    const t = this.byHost.get(tid);
    if (!t) return;
    if (flags & CLOSE_RANGE_UNSHARE && t.files.users > 1) {
      const own = t.files.fork();
      t.files.users--;
      t.files = own;
    }
    if (flags & CLOSE_RANGE_CLOEXEC) t.files.setCloexecRange(first, last);
    else for (const e of t.files.removeRange(first, last)) e.file.unref();
  }

  onDone(): void {
    if (this.init && this.init.alive) {
      // The host says every task is gone but we missed init's exit.
      this.init.exitStatus = 0x7f00;
    }
    this.tracerDone = true;
    // The host says every task is gone: any whose exit we did not see lets go
    // of its descriptors now, so nothing of the sandbox stays open in ours.
    for (const t of [...this.byHost.values()]) this.dropTask(t);
    this.platform.dispose();
    this.cgroup?.remove();
    if (this.finished && this.result) this.doneResolve(this.result);
    else this.finish(this.init);
  }

  /**
   * The sandbox's result is init's exit; `done` resolves once the tracer
   * also reported that every host task is gone (the others were killed when
   * init exited), so nothing of the sandbox outlives it.
   */
  private finish(g: ThreadGroup | null): void {
    if (this.finished) return;
    // Init may be gone before the watch saw the OOM kill that ended it.
    if (!this.forced) this.checkCgroupOom();
    this.finished = true;
    if (this.watch) clearInterval(this.watch), (this.watch = null);
    const st = g?.exitStatus ?? 0;
    const signaled = (st & 0x7f) !== 0 && (st & 0x7f) !== 0x7f;
    const code = this.spawnError ? 125 : signaled ? 128 + (st & 0x7f) : (st >> 8) & 0xff;
    this.result = { code, signal: signaled ? st & 0x7f : 0, execErrno: this.initExecErrno, spawnError: this.spawnError };
    if (this.forced && !this.spawnError) Object.assign(this.result, this.forced);
    if (this.tracerDone) this.doneResolve(this.result);
  }

  // ---- signals ----

  /** Sends a process-directed signal (as kill does) carrying the siginfo its receiver must see. */
  signalGroup(g: ThreadGroup, sig: number, info: SigInfo, interruptCalls = true): number {
    if (!g.alive || g.tasks.size === 0) return 0;
    if (sig === 0) return 0;
    const r = queueSignal(g.hostTgid, -1, sig, info);
    if (r === 0 && interruptCalls) for (const t of g.tasks) this.interrupt(t);
    return r;
  }

  /** Sends a thread-directed signal (as tgkill does). */
  signalTask(t: Task, sig: number, info: SigInfo): number {
    if (t.dead) return -E.ESRCH;
    if (sig === 0) return 0;
    const r = queueSignal(t.group.hostTgid, t.hostTid, sig, info);
    if (r === 0) this.interrupt(t);
    return r;
  }

  // ---- calls the sentry holds ----

  /**
   * Registers a call answered later. Guests wait for the sentry killably (see
   * native/addon/tracer.cc), so a signal does not end the wait by itself: the
   * sentry answers ERESTARTSYS when one arrives, and the kernel then restarts
   * the call or returns EINTR as the handler's SA_RESTART says.
   */
  deferCall(t: Task, id: NotifId, tag: number, cancel: () => void): void {
    this.deferred.set(t, { id, tag, cancel });
    if (!this.signalPoll) {
      this.signalPoll = setInterval(() => this.pollSignals(), SIGNAL_POLL_MS);
      this.signalPoll.unref();
    }
  }

  /** The deferred call of `t` was answered with `result` (undefined: abandoned). */
  finishDeferred(t: Task, result?: number): void {
    const d = this.deferred.get(t);
    if (d && result !== undefined) this.onResume?.(t, d.tag, result);
    this.deferred.delete(t);
    if (this.deferred.size === 0 && this.signalPoll) clearInterval(this.signalPoll), (this.signalPoll = null);
  }

  /** Ends `t`'s deferred call with ERESTARTSYS (a signal is pending, or may be). */
  interrupt(t: Task): void {
    const d = this.deferred.get(t);
    if (!d) return;
    this.finishDeferred(t, -ERESTARTSYS);
    d.cancel();
    this.platform.reply(d.id, -ERESTARTSYS);
  }

  /** Signals queued by the host (timers, the terminal, other host processes) for blocked tasks. */
  private pollSignals(): void {
    for (const [t, d] of [...this.deferred]) {
      if (t.dead || !this.platform.idValid(d.id)) {
        this.finishDeferred(t);
        d.cancel();
        continue;
      }
      if (hasPendingSignal(t.hostTid)) this.interrupt(t);
    }
  }

  /** Stops everything: init died, or the sandbox is being torn down. */
  killAll(): void {
    for (const t of this.byHost.values()) hostKill(t.hostTid, Sig.SIGKILL);
  }

  // ---- helpers for syscalls ----

  nameiContext(t: Task): NameiContext {
    return { root: t.fs.root, creds: t.creds };
  }

  groupByPid(pid: number): ThreadGroup | undefined {
    const g = this.pids.groups.get(pid);
    return g && !g.reaped ? g : undefined;
  }

  /**
   * The process a pid names, as Linux's find_task_by_vpid sees it: the id of
   * any of its live threads, or its tgid while it is unreaped (a zombie, or a
   * leader thread that exited before the others).
   */
  processOf(pid: number): ThreadGroup | undefined {
    const t = this.taskByTid(pid);
    return t ? t.group : this.groupByPid(pid);
  }

  taskByTid(tid: number): Task | undefined {
    const t = this.pids.tasks.get(tid);
    return t && !t.dead ? t : undefined;
  }
}

/** Whether a host thread has an unblocked signal pending (thread or process queue). */
function hasPendingSignal(hostTid: number): boolean {
  let s: string;
  try {
    s = readFileSync(`/proc/${hostTid}/status`, 'latin1');
  } catch {
    return false;
  }
  const field = (name: string): bigint => {
    const m = new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(s);
    return m ? BigInt('0x' + m[1]) : 0n;
  };
  return ((field('SigPnd') | field('ShdPnd')) & ~field('SigBlk')) !== 0n;
}
