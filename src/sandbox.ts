// The Sandbox API: one guest process tree under its own sentry. It assembles
// the layers (mount namespace and filesystems, kernel, syscall table,
// platform) and runs a command to completion. The CLI, the OCI runtime and
// the CI runner are built on this and add no logic of their own to it.
import { closeSync, fstatSync, openSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, relative, isAbsolute } from 'node:path';
import { E } from './abi/errno.js';
import { F_DUPFD_CLOEXEC, F_GETFL, F_SETFL, O_ACCMODE, O_LARGEFILE, O_NONBLOCK, O_RDWR } from './abi/flags.js';
import { makeDevfs } from './fs/dev/devfs.js';
import { HostObjectInode } from './fs/host/hostobject.js';
import { type HiddenName, HostFs, InoMap } from './fs/host/hostfs.js';
import { LayeredFs } from './fs/layers/layered.js';
import { DiskUpper } from './fs/overlay/diskupper.js';
import { OverlayFs } from './fs/overlay/overlay.js';
import { TmpfsUpper } from './fs/overlay/upper.js';
import { ProcFs } from './fs/proc/procfs.js';
import { hostLimits as hostCgroupLimits, makeCgroupFs, makeSysfs } from './fs/sys/sysfs.js';
import { Tmpfs } from './fs/tmpfs/tmpfs.js';
import { Devpts } from './fs/tty/devpts.js';
import { MAX_PTYS, type Pty, Terminals, TTY_GID } from './fs/tty/pty.js';
import { type ExitInfo, type InitSpec, Kernel } from './kernel/kernel.js';
import { dottedSysctl, parsePortRange, sysctlRefusal, sysctlValueRefusal } from './kernel/sysctl.js';
import type { ThreadGroup } from './kernel/task.js';
import { AT_FDCWD, fcntl, isatty, statAt } from './platform/host.js';
import { checkHost } from './platform/hostcheck.js';
import { hostLimits, Platform } from './platform/platform.js';
import type { Isolation } from './platform/policy.js';
import { Dispatcher, type SyscallStats } from './syscalls/dispatch.js';
import { SyscallTable } from './syscalls/table.js';
import { errnoText } from './syscalls/strace.js';
import { type CapSets, capsAfterExec, Creds, setCaps } from './vfs/creds.js';
import { OpenFile } from './vfs/file.js';
import type { Inode } from './vfs/inode.js';
import { MountNamespace, type VPath } from './vfs/mount.js';
import { walk } from './vfs/namei.js';
import { writeDiag } from './platform/diag.js';
import { type Publish, parsePublish, publish } from './net/outbound.js';
import { type AllowRule, NetPolicy, parseRule } from './net/policy.js';
import { procNetFiles } from './net/procnet.js';
import { stdioSocket } from './net/stdio.js';
import { attachNet, NetStack, type NetworkMode } from './net/stack.js';

export type { ExitInfo } from './kernel/kernel.js';
export type { CapSets } from './vfs/creds.js';
export type { Isolation } from './platform/policy.js';

/** Kernel notes are printed once per process. */
let noted = false;

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A host file or directory seen at `target` inside (docker's `-v SOURCE:TARGET[:ro]`). */
export interface BindMountSpec {
  type: 'bind';
  /** Host path (a directory or a file). */
  source: string;
  /** Absolute path inside the sandbox; missing directories are made in the upper layer. */
  target: string;
  /** EROFS for every change; otherwise changes write through to the host, there and nowhere else. */
  readOnly?: boolean;
}

/** A tmpfs of its own at `target` (docker's `--tmpfs TARGET[:size=...,mode=...]`). */
export interface TmpfsMountSpec {
  type: 'tmpfs';
  target: string;
  /** Byte limit (ENOSPC beyond; see docs/filesystems.md for what enforces it); 0 or absent: none. */
  size?: number;
  /** Mode of its root (default 01777). */
  mode?: number;
  readOnly?: boolean;
  noexec?: boolean;
}

export type MountSpec = BindMountSpec | TmpfsMountSpec;

/**
 * Sandbox-wide resource limits (docs/security.md, "Resource limits"). Each is
 * off when absent. Enforced by the sentry's own accounting (the host's cgroup
 * controllers are not used): what a guest sees at each is what Linux gives.
 */
export interface SandboxLimits {
  /** Tasks (processes and threads) at once; fork and clone fail with EAGAIN at the limit (docker --pids-limit). */
  processes?: number;
  /**
   * Resident memory of all guest processes together, bytes. Checked every
   * 50 ms and at each fork: beyond it every process is killed (SIGKILL, as
   * the OOM killer of a cgroup with memory.oom.group) and the run ends with 137.
   */
  memory?: number;
  /** CPUs the guests may run on: the first N of ours (a fraction is rounded up; sched_setaffinity). */
  cpus?: number;
  /**
   * CPU seconds of the whole sandbox (every process, living and exited): at
   * the limit each process gets SIGXCPU, a CPU second later all are killed
   * (RLIMIT_CPU's soft and hard limits, sandbox-wide).
   */
  cpuTime?: number;
  /** Wall-clock seconds: then every process is killed and the run ends with 124 (as timeout(1)). */
  timeout?: number;
  /** Open fds across all processes; open, dup, pipe, socket... fail with EMFILE at the limit, fork too when its copy would not fit. */
  files?: number;
  /** Bytes of the in-memory upper layer (the sandbox's changes to /) and, separately, of the default /tmp: ENOSPC beyond. */
  upper?: number;
}

/** Why a SandboxLimits value is not usable, or null. */
export function checkLimits(l: SandboxLimits): string | null {
  const count = (name: string, v: number | undefined, min: number): string | null =>
    v === undefined || (Number.isSafeInteger(v) && v >= min) ? null : `limits.${name}: expected an integer >= ${min}, got ${v}`;
  const positive = (name: string, v: number | undefined): string | null =>
    v === undefined || (Number.isFinite(v) && v > 0) ? null : `limits.${name}: expected a number > 0, got ${v}`;
  return (
    count('processes', l.processes, 1) ?? count('memory', l.memory, 1) ?? positive('cpus', l.cpus) ?? positive('cpuTime', l.cpuTime) ??
    positive('timeout', l.timeout) ?? count('files', l.files, 3) ?? count('upper', l.upper, 1)
  );
}

/** A mount of SandboxOptions.mounts could not be made: which one, and why. */
export class MountSetupError extends Error {
  constructor(
    readonly spec: MountSpec,
    message: string,
  ) {
    super(message);
  }
}

export interface SandboxOptions {
  /** Host directory to use as the read-only lower layer of `/` (default: the host's `/`). */
  rootfs?: string;
  /**
   * Image layers (host directories, bottom layer first) merged into the
   * read-only lower layer of `/`, honouring `.wh.NAME` whiteouts and
   * `.wh..wh..opq` opaque directories. Instead of `rootfs`.
   */
  layers?: string[];
  /**
   * A host directory that holds the overlay's upper layer (the sandbox's
   * changes to `/`) instead of memory: OCI layer layout, see
   * docs/filesystems.md. It must not lie inside a layer, the rootfs or a
   * bind source's tree, or contain one; the sandbox hides it from them.
   */
  upper?: string;
  /** Mounts on top of the defaults (/proc, /dev, /dev/shm, /tmp, /sys), parents before children. */
  mounts?: MountSpec[];
  isolation?: Isolation;
  /** Environment of the first process; PATH, HOME and HOSTNAME are added when absent. */
  env?: Record<string, string>;
  /** Working directory inside the sandbox (default `/`). */
  cwd?: string;
  hostname?: string;
  /** NIS domain name (uname's domainname; default "(none)"). */
  domainname?: string;
  /** Supplementary groups of the first process. */
  groups?: number[];
  /** Host fds the guest gets as 0, 1, 2 (default: ours). */
  stdio?: [number, number, number];
  /** Print each trapped call to `log`. */
  strace?: boolean;
  /** Count traps and time the sentry per syscall (see `stats()`). */
  stats?: boolean;
  uid?: number;
  gid?: number;
  /**
   * Resource limits of the guest's processes (RLIMIT_* numbers; Infinity for
   * none), over the defaults. They are virtual: getrlimit reports them and
   * the sentry applies the ones it implements (RLIMIT_NOFILE, RLIMIT_NPROC...);
   * values above the host's own limits are accepted.
   */
  rlimits?: { resource: number; soft: number; hard: number }[];
  /** Where the sandbox's own diagnostics go (default: stderr). */
  log?: (line: string) => void;
  /**
   * Give the guest a terminal (`docker run -t`): its stdin, stdout and stderr
   * are a pseudo-terminal the sentry owns, which is also the controlling
   * terminal of init's session. What the guest writes arrives at `output`;
   * keyboard input goes in through `Sandbox.console` once `run` was called.
   */
  tty?: TerminalOptions;
  /**
   * The sandbox's network (docs/network.md): 'none' (default) is its own
   * loopback and interface only; 'host' also reaches outside through the
   * sentry, where `allowNet` permits.
   */
  network?: NetworkMode;
  /** --allow-net rules: CIDR[:PORT], HOST[:PORT], [IPv6]:PORT or '*'. */
  allowNet?: string[];
  /** --publish specs: [ADDR:]HOSTPORT:GUESTPORT[/udp]. */
  publish?: string[];
  /**
   * Start the guests in user, mount, ipc, uts, net and pid namespaces of their
   * own with an empty root, where the kernel allows (default true;
   * docs/security.md). `namespaced` says whether they got them, `namespaces`
   * which.
   */
  namespaces?: boolean;
  /** Resource limits of the whole sandbox (docs/security.md). */
  limits?: SandboxLimits;
  /**
   * Sysctls (`--sysctl`, OCI linux.sysctl): only those Linux keeps per IPC,
   * network or UTS namespace (src/kernel/sysctl.ts); /proc/sys shows them and
   * the ones the sentry models take effect.
   */
  sysctl?: Record<string, string>;
  /**
   * Paths hidden from the guest (OCI linux.maskedPaths): a file reads as
   * empty (/dev/null over it), a directory as an empty read-only tmpfs;
   * missing paths are skipped.
   */
  maskedPaths?: string[];
  /** Paths made read-only where they are, with what is mounted below them (OCI linux.readonlyPaths); missing ones are skipped. */
  readonlyPaths?: string[];
  /** The first process's umask (default 022). */
  umask?: number;
  /**
   * The capability sets the first process is given before it executes its
   * program (OCI process.capabilities); it then holds what Linux's exec
   * leaves of them (capsAfterExec). Default: root's full sets.
   */
  capabilities?: CapSets;
  /** The first process's /proc/self/oom_score_adj (-1000..1000), inherited by its children. */
  oomScoreAdj?: number;
}

export interface ExecOptions {
  env?: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Supplementary groups. */
  groups?: number[];
  /** Host fds the process gets as 0, 1, 2 (default: ours). */
  stdio?: [number, number, number];
  /** A terminal of its own (`docker exec -t`) instead of `stdio`; its far side is `ExecHandle.console`. */
  tty?: TerminalOptions;
  /** Its umask (default 022). */
  umask?: number;
  /** Its capability sets before it executes its program, as SandboxOptions.capabilities. */
  capabilities?: CapSets;
}

/** A process `Sandbox.exec` started. */
export interface ExecHandle {
  hostPid: number;
  /** Its pid inside. */
  pid: number;
  /** Its exit code once it is gone (the code, or 128 + signal). */
  exit: Promise<number>;
  /** Sends it a signal (from outside: no sender pid). */
  signal(sig: number): void;
  /** The far side of its terminal (with `tty`). */
  console: SandboxConsole | null;
}

export interface TerminalOptions {
  /** The terminal's output; returning false pauses it until `console.resumeOutput()`. */
  output: (data: Buffer) => boolean | void;
  /** Initial window size (default 0x0, as a new pty). */
  rows?: number;
  cols?: number;
}

/** The far side of the sandbox's console: what a terminal emulator would hold. */
export interface SandboxConsole {
  /**
   * Keyboard input. The guest's VINTR, VQUIT and VSUSP characters signal its
   * foreground process group, as the terminal driver would. False while a
   * backlog waits for the guest to read; `onDrain` is called when it went.
   */
  write(data: Uint8Array): boolean;
  onDrain: () => void;
  /** No more input: the guest reads end-of-file (its VEOF character). */
  end(): void;
  /** The window changed size: the guest's foreground process group gets SIGWINCH. */
  resize(rows: number, cols: number): void;
  /** Sends a signal to the foreground process group (what a key would, without the key). */
  signalForeground(sig: number): void;
  /**
   * The far side went away (a closed window, a broken pipe): the session's
   * leader gets SIGHUP and SIGCONT, as on a terminal hangup, and further
   * output is dropped.
   */
  hangup(): void;
  resumeOutput(): void;
}

export interface RunResult extends ExitInfo {
  /** Set when the command could not be started: the message a shell would print. */
  error?: string;
}

export interface StatsRow {
  name: string;
  count: number;
  totalMs: number;
  meanUs: number;
  errors: number;
}

export class Sandbox {
  readonly kernel: Kernel;
  private readonly platform: Platform;
  private readonly dispatcher: Dispatcher;
  private readonly table = new SyscallTable();
  /** Host trees to let go of at the end: lower layer(s), upper directory, binds. */
  private readonly disposers: (() => void)[] = [];
  /** The upper directory as every host tree must hide it (set with `upper`). */
  private upperHidden: HiddenName | null = null;
  private readonly log: (line: string) => void;
  private started = false;
  private readonly terminals: Terminals;
  private consolePty: Pty | null = null;
  /** The console's far side, once `run` created it (with the `tty` option). */
  console: SandboxConsole | null = null;
  readonly net: NetStack;
  private readonly published: Publish[] = [];
  private disposed = false;
  /** Processes started by `exec`, until they exit: who wants their wait status. */
  private readonly exitWatch = new Map<ThreadGroup, (status: number) => void>();
  /** The limits in force (SandboxOptions.limits, then what updateLimits changed). */
  private readonly lim: SandboxLimits;

  constructor(private readonly opts: SandboxOptions = {}) {
    this.log = opts.log ?? ((l) => writeDiag(l + '\n'));
    const bad = checkLimits(opts.limits ?? {});
    if (bad) throw new Error(`tsvisor: ${bad}`);
    this.lim = { ...opts.limits };
    const sysctls = checkSysctls(opts.sysctl ?? {});
    if (typeof sysctls === 'string') throw new Error(`tsvisor: ${sysctls}`);
    const badMask = umaskRefusal(opts.umask);
    if (badMask) throw new Error(`tsvisor: ${badMask}`);
    if (opts.oomScoreAdj !== undefined && !(Number.isInteger(opts.oomScoreAdj) && Math.abs(opts.oomScoreAdj) <= 1000)) {
      throw new Error(`tsvisor: oomScoreAdj ${opts.oomScoreAdj}: expected an integer from -1000 to 1000`);
    }
    const host = checkHost();
    if (!host.ok) throw new Error(`tsvisor: ${host.error}`);
    if (host.notes.length && !noted) {
      noted = true;
      for (const n of host.notes) this.log(`tsvisor: note: ${n}`);
    }
    let mounts: MountNamespace;
    try {
      mounts = this.assembleRoot(opts);
    } catch (e) {
      this.dispose();
      throw e;
    }
    const creds = opts.uid !== undefined && opts.uid !== 0 ? Creds.user(opts.uid, opts.gid ?? opts.uid) : Creds.root();
    if (opts.uid === 0 && opts.gid) creds.gid = creds.egid = creds.sgid = creds.fsgid = opts.gid;
    if (opts.groups) creds.groups = opts.groups.slice();
    if (opts.capabilities) setCaps(creds, capsAfterExec(opts.capabilities, opts.uid ?? 0));
    const limits = hostLimits();
    const lim = opts.limits ?? {};
    this.kernel = new Kernel({
      hostname: opts.hostname ?? 'tsvisor',
      domainname: opts.domainname,
      mounts,
      creds,
      fdLimit: limits.reservedBase,
      rlimits: opts.rlimits,
      log: this.log,
      maxTasks: lim.processes,
      limits: { maxFiles: lim.files, memory: lim.memory, cpuTime: lim.cpuTime, cpus: lim.cpus },
      oomScoreAdj: opts.oomScoreAdj,
    });
    this.platform = new Platform(this.kernel, limits);
    this.kernel.platform = this.platform;
    this.dispatcher = new Dispatcher(this.kernel, this.platform, this.table, { strace: !!opts.strace, stats: !!opts.stats, write: this.log });
    this.terminals = new Terminals(this.kernel);
    this.kernel.onGroupExit = (g) => {
      this.terminals.groupExited(g);
      const w = this.exitWatch.get(g);
      if (w) this.exitWatch.delete(g), w(g.exitStatus ?? 0);
    };
    this.kernel.cttyOf = (g) => {
      const p = this.terminals.cttyOf(g);
      return p ? { dev: p.devNumber, pgrp: p.pgrp } : null;
    };
    try {
      const rules: AllowRule[] = [];
      for (const r of opts.allowNet ?? []) {
        const p = parseRule(r);
        if (typeof p === 'string') throw new Error(`tsvisor: ${p}`);
        rules.push(p);
      }
      if (rules.length && opts.network !== 'host') throw new Error('tsvisor: --allow-net needs --network host');
      for (const x of opts.publish ?? []) {
        const p = parsePublish(x);
        if (typeof p === 'string') throw new Error(`tsvisor: ${p}`);
        this.published.push(p);
      }
      this.net = new NetStack(opts.network ?? 'none', new NetPolicy(rules), this.log);
      attachNet(this.kernel, this.net);
      const net = this.net;
      this.kernel.sysctlModels.set('net.ipv4.ip_local_port_range', {
        read: () => net.portRange.join('\t'),
        write: (v) => {
          const r = parsePortRange(v);
          if (!r) return -E.EINVAL;
          net.portRange = r;
          return 0;
        },
      });
      for (const [k, v] of Object.entries(sysctls)) this.kernel.setSysctl(k, v);
      this.mountDefaults(mounts, this.kernel);
      this.mountUser(mounts, opts.mounts ?? []);
      restrictPaths(mounts, opts.maskedPaths ?? [], opts.readonlyPaths ?? []);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /**
   * The root: an overlay of the lower layer (the host's /, a rootfs, or image
   * layers) and the upper layer (memory, or a host directory).
   */
  private assembleRoot(opts: SandboxOptions): MountNamespace {
    if (opts.layers && opts.rootfs !== undefined) throw new Error('tsvisor: rootfs and layers exclude each other');
    if (opts.layers && !opts.layers.length) throw new Error('tsvisor: layers: at least one layer');
    const real = (what: string, p: string): string => {
      try {
        const r = realpathSync(p);
        if (!statSync(r).isDirectory()) throw new Error('not a directory');
        return r;
      } catch (e) {
        throw new Error(`tsvisor: ${what} ${p}: ${(e as Error).message}`);
      }
    };
    const lowerPaths = opts.layers ? opts.layers.map((l) => real('layer', l)) : [real('rootfs', opts.rootfs ?? '/')];
    const inoMap = new InoMap();
    let hide: HiddenName[] = [];
    let upperDir: string | null = null;
    if (opts.upper !== undefined) {
      upperDir = real('upper', opts.upper);
      const binds: string[] = [];
      for (const m of opts.mounts ?? []) {
        if (m.type !== 'bind') continue;
        try {
          binds.push(realpathSync(m.source));
        } catch {
          // reported when it is mounted
        }
      }
      for (const p of [...lowerPaths, ...binds]) {
        // The upper directory's contents must have no other name inside: nothing in it may be a layer or bound.
        if (within(p, upperDir)) throw new Error(`tsvisor: upper ${opts.upper}: ${p} lies inside it`);
      }
      this.upperHidden = hiddenName(upperDir);
      hide = [this.upperHidden];
    }
    let lowerRoot: Inode;
    let data: string;
    if (opts.layers) {
      const lfs = new LayeredFs(lowerPaths, { hide, inoMap });
      this.disposers.push(() => lfs.dispose());
      lowerRoot = lfs.root;
      data = 'lowerdir=' + [...lowerPaths].reverse().join(':');
    } else {
      const hfs = new HostFs(lowerPaths[0]!, { readOnly: true, hide, inoMap });
      this.disposers.push(() => hfs.dispose());
      lowerRoot = hfs.root;
      data = 'lowerdir=' + (opts.rootfs ?? '/');
    }
    let upper: DiskUpper | undefined;
    if (upperDir !== null) {
      upper = new DiskUpper(upperDir, lowerRoot, inoMap);
      this.disposers.push(() => upper!.dispose());
      data += ',upperdir=' + upperDir;
    }
    const size = opts.limits?.upper;
    const overlay = new OverlayFs(lowerRoot, upper ?? (size ? new TmpfsUpper(lowerRoot, { size, hostBacked: true }) : undefined));
    if (size && !upper) data += `,size=${Math.ceil(size / 1024)}k`;
    return new MountNamespace(overlay.root, { source: 'overlay', type: 'overlay', data });
  }

  /** Binds and tmpfs mounts asked for, parents before children (the order given among equals). */
  private mountUser(ns: MountNamespace, specs: MountSpec[]): void {
    const depth = (p: string) => p.split('/').filter(Boolean).length;
    const sorted = specs.map((m, i) => ({ m, i })).sort((a, b) => depth(a.m.target) - depth(b.m.target) || a.i - b.i);
    for (const { m } of sorted) {
      try {
        this.mountOne(ns, m);
      } catch (e) {
        throw new MountSetupError(m, (e as Error).message);
      }
    }
  }

  private mountOne(ns: MountNamespace, m: MountSpec): void {
    {
      if (!isAbsolute(m.target)) throw new Error(`tsvisor: mount target ${m.target}: not an absolute path`);
      // The root is the overlay of the lower and upper layers: rootfs, layers and upper say what it is.
      if (!m.target.split('/').some((c) => c && c !== '.')) throw new Error(`tsvisor: mount target ${m.target}: cannot mount over / (use rootfs or layers)`);
      if (m.type === 'tmpfs') {
        const fs = new Tmpfs({ mode: m.mode ?? 0o1777, size: m.size ?? 0, readOnly: false, hostBacked: true });
        const data = [m.size ? `size=${Math.ceil(m.size / 1024)}k` : '', `mode=${(m.mode ?? 0o1777).toString(8)}`].filter(Boolean).join(',');
        ns.mount(this.mountPoint(ns, m.target, true), fs.root, { source: 'tmpfs', type: 'tmpfs', data, nosuid: true, nodev: true, readOnly: !!m.readOnly, noexec: !!m.noexec });
        return;
      }
      let src: string;
      let isDir: boolean;
      try {
        src = realpathSync(m.source);
        isDir = statSync(src).isDirectory();
      } catch (e) {
        throw new Error(`tsvisor: bind source ${m.source}: ${(e as Error).message}`);
      }
      const hide = this.upperHidden ? [this.upperHidden] : [];
      let root: Inode;
      if (isDir) {
        const hfs = new HostFs(src, { readOnly: !!m.readOnly, hide });
        this.disposers.push(() => hfs.dispose());
        root = hfs.root;
      } else {
        // A file: its directory is opened, and only the file is reachable (the mount's root is the file).
        const hfs = new HostFs(dirname(src), { readOnly: !!m.readOnly, hide });
        this.disposers.push(() => hfs.dispose());
        const f = hfs.root.lookup(basename(src));
        if (f === null || typeof f === 'number' || f.isDir()) throw new Error(`tsvisor: bind source ${m.source}: cannot open it`);
        root = f;
      }
      ns.mount(this.mountPoint(ns, m.target, isDir), root, { source: src, type: 'bind', readOnly: !!m.readOnly });
    }
  }

  /**
   * The directory (or, for a file bind, the file) at `path`, made in the
   * upper layer (or whatever filesystem holds its parent) where missing.
   */
  private mountPoint(ns: MountNamespace, path: string, dir: boolean): VPath {
    const ctx = { root: ns.rootPath(), creds: Creds.root() };
    let cur = ns.rootPath();
    const comps = path.split('/').filter((c) => c && c !== '.');
    if (comps.includes('..')) throw new Error(`tsvisor: mount target ${path}: ".." is not allowed`);
    for (let i = 0; i < comps.length; i++) {
      const name = comps[i]!;
      const last = i === comps.length - 1;
      const p = walk(ctx, cur, name, { follow: true });
      if (typeof p !== 'number') {
        if (last && p.d.inode.isDir() !== dir) {
          throw new Error(`tsvisor: mount target ${path}: ${dir ? 'not a directory' : 'a directory (the source is a file)'}`);
        }
        if (!last && !p.d.inode.isDir()) throw new Error(`tsvisor: mount target ${path}: ${name} is not a directory`);
        cur = p;
        continue;
      }
      if (p !== -E.ENOENT) throw new Error(`tsvisor: mount target ${path}: ${errnoText(-p)}`);
      const made = !last || dir ? cur.d.inode.mkdir(name, 0o755, Creds.root()) : cur.d.inode.create(name, 0o644, Creds.root());
      if (typeof made === 'number') throw new Error(`tsvisor: cannot create the mount point ${path}: ${errnoText(-made)}`);
      cur = { mnt: cur.mnt, d: cur.d.add(name, made) };
    }
    return cur;
  }

  private mountDefaults(ns: MountNamespace, kernel: Kernel): void {
    const ctx = { root: ns.rootPath(), creds: Creds.root() };
    const dirAt = (path: string): VPath => {
      const p = walk(ctx, ns.rootPath(), path, { follow: true });
      if (typeof p !== 'number' && p.d.inode.isDir()) return p;
      // Missing in the lower layer: make the mount point in the upper one.
      const parent = walk(ctx, ns.rootPath(), path.slice(0, path.lastIndexOf('/')) || '/', { follow: true });
      if (typeof parent === 'number') throw new Error(`tsvisor: cannot mount at ${path}`);
      const name = path.slice(path.lastIndexOf('/') + 1);
      const made = parent.d.inode.mkdir(name, 0o755, Creds.root());
      if (typeof made === 'number') throw new Error(`tsvisor: cannot create ${path}: ${errnoText(-made)}`);
      return { mnt: parent.mnt, d: parent.d.add(name, made) };
    };
    const common = { nosuid: true, nodev: true };
    kernel.procDirs.set('net', procNetFiles(this.net));
    ns.mount(dirAt('/proc'), new ProcFs(kernel).root, { source: 'proc', type: 'proc', noexec: true, ...common });
    const ts = this.terminals;
    const devfs = makeDevfs({ terminals: ts, console: this.opts.tty ? { uid: this.opts.uid ?? 0 } : undefined });
    ns.mount(dirAt('/dev'), devfs.root, { source: 'tmpfs', type: 'tmpfs', data: 'mode=755', nosuid: true });
    ts.devpts = ns.mount(dirAt('/dev/pts'), new Devpts(ts).root, { source: 'devpts', type: 'devpts', data: `gid=5,mode=620,ptmxmode=666,max=${MAX_PTYS}`, nosuid: true, noexec: true });
    ns.mount(dirAt('/dev/shm'), new Tmpfs({ mode: 0o1777 }).root, { source: 'shm', type: 'tmpfs', data: 'mode=1777', ...common });
    // limits.upper bounds the default /tmp as well (a budget of its own).
    const tmpSize = this.opts.limits?.upper ?? 0;
    const tmp = new Tmpfs({ mode: 0o1777, size: tmpSize, hostBacked: true });
    const tmpData = [tmpSize ? `size=${Math.ceil(tmpSize / 1024)}k` : '', 'mode=1777'].filter(Boolean).join(',');
    ns.mount(dirAt('/tmp'), tmp.root, { source: 'tmpfs', type: 'tmpfs', data: tmpData, nosuid: true, nodev: true });
    ns.mount(dirAt('/sys'), makeSysfs().root, { source: 'sysfs', type: 'sysfs', readOnly: true, noexec: true, ...common });
    // The sandbox's cgroup shows its own limits where they are tighter than the host's (runtimes size heaps and pools from them).
    const lim = this.lim;
    const cgroupLimits = () => {
      const h = hostCgroupLimits();
      return { ...h, memoryMax: Math.min(h.memoryMax, lim.memory ?? Infinity), pidsMax: Math.min(h.pidsMax, lim.processes ?? Infinity) };
    };
    ns.mount(dirAt('/sys/fs/cgroup'), makeCgroupFs(kernel, cgroupLimits).root, { source: 'cgroup2', type: 'cgroup2', readOnly: true, noexec: true, ...common });
  }

  /** Finds argv[0] the way execvp does, in the sandbox's own tree. */
  private resolveCommand(cmd: string, env: Record<string, string>, cwd: VPath): string | number {
    if (cmd.includes('/')) return cmd;
    const ctx = { root: this.kernel.mounts.rootPath(), creds: Creds.root() };
    let last = -E.ENOENT;
    for (const dir of (env.PATH ?? DEFAULT_PATH).split(':')) {
      const candidate = `${dir || '.'}/${cmd}`;
      const p = walk(ctx, cwd, candidate, { follow: true });
      if (typeof p === 'number') continue;
      const st = p.d.inode.stat();
      if (typeof st === 'number' || (st.mode & 0o170000) !== 0o100000) continue;
      if (!(st.mode & 0o111)) {
        last = -E.EACCES;
        continue;
      }
      return candidate;
    }
    return last;
  }

  /**
   * The guest's view of one of our stdio fds, and the host fd init gets.
   * A pipe or FIFO is reopened through /proc/self/fd: the guest gets its own
   * open file description, so flags Node (or anything loaded into it) sets
   * on ours — process.stdout makes a pipe O_NONBLOCK — never reach the
   * guest, whose writes would then fail with EAGAIN when its reader is slow.
   * Other kinds keep the shared description (a file's offset must be shared
   * with whoever redirected it; a socket cannot be reopened), which is made
   * blocking again: Node may have set O_NONBLOCK on it before any of our
   * code ran (a module.register() hooks thread, which tap or ts-node start
   * through NODE_OPTIONS, makes streams of the stdio at startup). On the
   * socket Node gives a child as its "pipe", the guest's writes then failed
   * with EAGAIN whenever the reader fell behind, and stdio dropped the lines
   * (the inotify differential test lost a hundred under load). Either way
   * the guest's stdio is blocking, as a parent normally hands it over.
   */
  private stdioFile(hostFd: number): { file: OpenFile; spawnFd: number } | null {
    const fl = fcntl(hostFd, F_GETFL, 0);
    if (fl < 0) return null;
    let own = -1;
    try {
      // O_NONBLOCK: opening a FIFO end whose other side is closed must not wait.
      if (fstatSync(hostFd).isFIFO()) own = openSync(`/proc/self/fd/${hostFd}`, (fl & O_ACCMODE) | O_NONBLOCK);
    } catch {
      own = -1; // a write end with no reader left (ENXIO): share ours
    }
    if (own >= 0 && fcntl(own, F_SETFL, fl & ~O_NONBLOCK) < 0) {
      closeSync(own);
      own = -1;
    }
    const fd = own >= 0 ? own : fcntl(hostFd, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) return null;
    if (own < 0 && fl & O_NONBLOCK) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    let name = '';
    try {
      name = readlinkSync(`/proc/self/fd/${hostFd}`);
    } catch {
      name = 'anon_inode:[stdio]';
    }
    // A unix socket handed in as stdio (what Node and libuv give children) is
    // a socket to the guest too: getsockname, SO_TYPE and friends answer.
    const sock = own < 0 ? stdioSocket(this.net, fd, fl & ~O_NONBLOCK, name) : null;
    if (sock) return { file: sock, spawnFd: hostFd };
    const f = new OpenFile(null, new HostObjectInode(fd, 'host', true, true), fl & ~O_NONBLOCK, fd, 'file', name);
    f.isTty = isatty(hostFd);
    return { file: f, spawnFd: own >= 0 ? own : hostFd };
  }

  /** Runs `argv` as the sandbox's init process; resolves when every guest process is gone. */
  async run(argv: string[]): Promise<RunResult> {
    if (this.started) throw new Error('tsvisor: a Sandbox runs one command');
    if (!argv.length) throw new Error('tsvisor: no command given');
    this.started = true;
    const o = this.opts;
    const env: Record<string, string> = { PATH: DEFAULT_PATH, HOSTNAME: this.kernel.hostname, HOME: o.uid ? '/' : '/root', ...(o.env ?? {}) };
    const ctx = { root: this.kernel.mounts.rootPath(), creds: Creds.root() };
    const cwd = walk(ctx, this.kernel.mounts.rootPath(), o.cwd ?? '/', { follow: true });
    if (typeof cwd === 'number' || !cwd.d.inode.isDir()) {
      this.dispose();
      return { code: 126, signal: 0, execErrno: 0, spawnError: null, error: `tsvisor: cwd ${o.cwd}: ${errnoText(typeof cwd === 'number' ? -cwd : E.ENOTDIR)}` };
    }
    const path = this.resolveCommand(argv[0]!, env, cwd);
    if (typeof path === 'number') {
      this.dispose();
      return { code: 127, signal: 0, execErrno: -path, spawnError: null, error: `tsvisor: ${argv[0]}: ${path === -E.ENOENT ? 'command not found' : errnoText(-path)}` };
    }
    let stdio = o.stdio ?? [0, 1, 2];
    let files: (OpenFile | null)[];
    if (!o.tty) {
      const given = stdio;
      const opened = given.map((fd) => this.stdioFile(fd));
      files = opened.map((x) => x?.file ?? null);
      stdio = given.map((fd, i) => opened[i]?.spawnFd ?? fd) as [number, number, number];
    } else {
      const c = this.openConsole(o.tty);
      if (typeof c === 'number') {
        this.dispose();
        throw new Error(`tsvisor: cannot create the terminal: ${errnoText(-c)}`);
      }
      stdio = [c.hostFd, c.hostFd, c.hostFd];
      files = [c, c.ref(), c.ref()];
      // Guests get a host process group of their own: the host line discipline
      // must not signal them (the sentry does, by virtual group), and stop
      // signals must reach them (tsvisor's own group may be orphaned).
      this.platform.ownProcessGroup = true;
    }
    const spec: InitSpec = {
      path,
      argv,
      envp: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      cwd,
      files: files.map((f, i) => (f ? { fd: i, file: f } : null)).filter((x): x is { fd: number; file: OpenFile } => x !== null),
      umask: o.umask,
    };
    await this.net.policy.prepare();
    const stops: (() => void)[] = [];
    for (const p of this.published) {
      const stop = publish(this.net, p);
      if (typeof stop === 'number') {
        for (const f of stops) f();
        this.dispose();
        throw new Error(`tsvisor: --publish ${p.hostPort}: ${errnoText(-stop)}`);
      }
      stops.push(stop);
    }
    this.platform.namespaces = o.namespaces ?? true;
    const r = this.kernel.start(spec, stdio, o.isolation ?? 'balanced', this.dispatcher.onTrap);
    if (r < 0) {
      for (const f of stops) f();
      this.dispose();
      throw new Error(`tsvisor: cannot start the sandbox: ${errnoText(-r)}`);
    }
    // Published ports keep the sentry's loop alive while the guest runs.
    const keepAlive = stops.length ? setInterval(() => {}, 1 << 30) : null;
    const secs = o.limits?.timeout;
    const timer = secs
      ? setTimeout(() => this.kernel.endByLimit(124, 9, `timeout: the sandbox ran for ${secs} s; every process was killed`), Math.min(secs * 1000, 2 ** 31 - 1))
      : null;
    const info = await this.kernel.done;
    if (timer) clearTimeout(timer);
    // Everything the guests wrote to the terminal reaches the far side first.
    this.consolePty?.drainOutput();
    if (keepAlive) clearInterval(keepAlive);
    for (const f of stops) f();
    this.dispose();
    const res: RunResult = { ...info };
    if (info.spawnError) res.error = `tsvisor: ${info.spawnError}`;
    else if (info.execErrno) res.error = `tsvisor: ${argv[0]}: ${errnoText(info.execErrno)}`;
    return res;
  }

  /** Whether the guests run in namespaces of their own with an empty root (known once `run` started init). */
  get namespaced(): boolean {
    return this.platform.namespaced;
  }

  /**
   * The host namespaces of their own the guests' processes run in, as /proc/PID/ns
   * names them (known once `run` started init): user, mnt, ipc, uts and net
   * with `namespaced`, and pid where the kernel also allowed that one; empty
   * without namespaces.
   */
  get namespaces(): string[] {
    if (!this.platform.namespaced) return [];
    return this.platform.pidNamespace ? ['user', 'mnt', 'ipc', 'uts', 'net', 'pid'] : ['user', 'mnt', 'ipc', 'uts', 'net'];
  }

  /**
   * Starts another process in the running sandbox, as `runc exec` (or
   * `docker exec`) does: its own session, no parent inside, stdio from
   * `stdio` (host fds; the caller keeps its own), environment `env` as given
   * (PATH is added when absent). Resolves when it has started: its host and
   * virtual pids, and `exit`, the shell-style exit code once it is gone.
   */
  exec(argv: string[], o: ExecOptions = {}): ExecHandle | { error: string; code: number } {
    if (!this.started || !this.kernel.init?.alive) return { error: 'tsvisor: the sandbox is not running', code: 125 };
    if (!argv.length) return { error: 'tsvisor: no command given', code: 125 };
    const badMask = umaskRefusal(o.umask);
    if (badMask) return { code: 125, error: `tsvisor: ${badMask}` };
    const env: Record<string, string> = { PATH: DEFAULT_PATH, ...(o.env ?? {}) };
    const ctx = { root: this.kernel.mounts.rootPath(), creds: Creds.root() };
    const cwd = walk(ctx, this.kernel.mounts.rootPath(), o.cwd ?? '/', { follow: true });
    if (typeof cwd === 'number' || !cwd.d.inode.isDir()) {
      return { code: 126, error: `tsvisor: cwd ${o.cwd}: ${errnoText(typeof cwd === 'number' ? -cwd : E.ENOTDIR)}` };
    }
    const path = this.resolveCommand(argv[0]!, env, cwd);
    if (typeof path === 'number') {
      return { code: 127, error: `tsvisor: ${argv[0]}: ${path === -E.ENOENT ? 'command not found' : errnoText(-path)}` };
    }
    let stdio: [number, number, number];
    let files: (OpenFile | null)[];
    let term: { file: OpenFile; pty: Pty; con: SandboxConsole } | null = null;
    if (o.tty) {
      const r = this.openTerminal(o.tty, o.uid ?? 0, false);
      if (typeof r === 'number') return { code: 125, error: `tsvisor: cannot create the terminal: ${errnoText(-r)}` };
      term = r;
      stdio = [r.file.hostFd, r.file.hostFd, r.file.hostFd];
      files = [r.file, r.file.ref(), r.file.ref()];
    } else {
      const given = o.stdio ?? [0, 1, 2];
      const opened = given.map((fd) => this.stdioFile(fd));
      stdio = given.map((fd, i) => opened[i]?.spawnFd ?? fd) as [number, number, number];
      files = opened.map((x) => x?.file ?? null);
    }
    const spec: InitSpec = {
      path,
      argv,
      envp: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      cwd,
      files: files.map((f, i) => (f ? { fd: i, file: f } : null)).filter((x): x is { fd: number; file: OpenFile } => x !== null),
      umask: o.umask,
    };
    let creds: Creds | null = null;
    if (o.uid !== undefined && o.uid !== 0) creds = Creds.user(o.uid, o.gid ?? o.uid);
    else if (o.gid) (creds = Creds.root()), (creds.gid = creds.egid = creds.sgid = creds.fsgid = o.gid);
    if (o.groups) (creds ??= Creds.root()).groups = o.groups.slice();
    if (o.capabilities) setCaps((creds ??= Creds.root()), capsAfterExec(o.capabilities, o.uid ?? 0));
    const g = this.kernel.spawnProcess(spec, stdio, creds);
    if (typeof g === 'number') {
      for (const f of files) f?.unref();
      term?.pty.close();
      return { code: 125, error: `tsvisor: cannot start the process: ${errnoText(-g)}` };
    }
    if (term) {
      // Its terminal is its session's controlling terminal, its group in the foreground.
      term.pty.session = g.sid;
      term.pty.pgrp = g.pgid;
    }
    const exit = new Promise<number>((resolve) => {
      const done = (st: number): void => {
        if (term) {
          term.pty.drainOutput();
          term.pty.close();
        }
        const sig = st & 0x7f;
        resolve(sig !== 0 && sig !== 0x7f ? 128 + sig : (st >> 8) & 0xff);
      };
      if (!g.alive) done(g.exitStatus ?? 0);
      else this.exitWatch.set(g, done);
    });
    return { hostPid: g.hostTgid, pid: g.tgid, exit, signal: (sig: number) => void this.kernel.signalGroup(g, sig, { code: 0, pid: 0, uid: 0 }), console: term?.con ?? null };
  }

  /** The sandbox-wide limits in force (a copy). */
  get limits(): SandboxLimits {
    return { ...this.lim };
  }

  /** Tasks (threads included) alive now: what limits.processes counts (cgroup pids.current). */
  get taskCount(): number {
    return this.kernel.taskCount;
  }

  /**
   * Changes the memory, task and CPU limits of the running sandbox (`runc
   * update`): a number sets a limit, null lifts it, absent keeps it. A new
   * task limit applies to the next fork; a memory limit below what the
   * guests use ends the sandbox as reaching it would; CPUs move every guest
   * thread. Returns null, or why the change is refused (nothing changed).
   */
  updateLimits(c: { processes?: number | null; memory?: number | null; cpus?: number | null }): string | null {
    const next: SandboxLimits = { ...this.lim };
    for (const k of ['processes', 'memory', 'cpus'] as const) {
      const v = c[k];
      if (v === null) delete next[k];
      else if (v !== undefined) next[k] = v;
    }
    const bad = checkLimits(next);
    if (bad) return bad;
    for (const k of ['processes', 'memory', 'cpus'] as const) {
      if (next[k] === undefined) delete this.lim[k];
      else this.lim[k] = next[k];
    }
    this.kernel.setLimits({
      maxTasks: c.processes === undefined ? undefined : (c.processes ?? null),
      memory: c.memory,
      cpus: c.cpus,
    });
    return null;
  }

  /** Host pids of every process of the sandbox (as `runc ps` lists them). */
  hostPids(): number[] {
    const out: number[] = [];
    for (const g of this.kernel.pids.groups.values()) if (g.alive && !g.reaped) out.push(g.hostTgid);
    return out.sort((a, b) => a - b);
  }

  /** Sends a signal to the init process (as `kill` to the container would). */
  signal(sig: number): void {
    const init = this.kernel.init;
    // From outside the sandbox's pid namespace: SI_USER with no sender pid.
    if (init && init.alive) this.kernel.signalGroup(init, sig, { code: 0, pid: 0, uid: 0 });
  }

  /** Sends a signal to every process of the sandbox (`kill --all`). */
  signalAll(sig: number): void {
    for (const g of [...this.kernel.pids.groups.values()]) if (g.alive) this.kernel.signalGroup(g, sig, { code: 0, pid: 0, uid: 0 });
  }

  /** Kills every process of the sandbox. */
  kill(): void {
    this.kernel.killAll();
  }

  /** Per-syscall counts and sentry time (with `stats: true`), busiest first. */
  stats(): StatsRow[] {
    const rows: StatsRow[] = [];
    for (const [nr, s] of this.dispatcher.counts as Map<number, SyscallStats>) {
      rows.push({ name: this.table.nameOf(nr), count: s.count, totalMs: s.ns / 1e6, meanUs: s.ns / s.count / 1e3, errors: s.errors });
    }
    return rows.sort((a, b) => b.totalMs - a.totalMs);
  }

  /** Syscalls answered ENOSYS because nothing implements them, with counts. */
  unsupported(): { name: string; count: number }[] {
    return [...this.dispatcher.unsupported].map(([nr, count]) => ({ name: this.table.nameOf(nr), count }));
  }

  /** Syscalls the sentry let the host run as the guest issued them (with `stats: true`), with counts. */
  continued(): { name: string; count: number }[] {
    return [...this.dispatcher.continued].map(([nr, count]) => ({ name: this.table.nameOf(nr), count }));
  }

  /**
   * Releases the host objects the sandbox's filesystems hold (tmpfs and upper
   * layer memfds, the lower layer's directory fds). Without it every Sandbox
   * left its files' memfds open in the embedding process (found by the fuzz
   * harness, which compares the process's fds before and after a run).
   */
  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.terminals?.dispose(); // absent when the constructor failed early
    this.console = null;
    // The mounted filesystems' host objects (tmpfs memfds and host tmpfs mounts, the overlay's upper layer).
    const done = new Set<unknown>();
    for (const m of this.kernel?.mounts.list() ?? []) {
      const fs = m.root.inode.fs as { dispose?: () => void };
      if (done.has(fs)) continue;
      done.add(fs);
      fs.dispose?.();
    }
    for (const d of this.disposers.splice(0)) d();
  }

  /** The console and init's stdio file on it (opened for reading and writing, shared by fds 0-2). */
  private openConsole(t: TerminalOptions): OpenFile | number {
    const r = this.openTerminal(t, this.opts.uid ?? 0, true);
    if (typeof r === 'number') return r;
    this.consolePty = r.pty;
    this.console = r.con;
    return r.file;
  }

  /** A terminal whose far side is `t` (the console, or an exec's own), and a stdio file on it. */
  private openTerminal(t: TerminalOptions, uid: number, asConsole: boolean): { file: OpenFile; pty: Pty; con: SandboxConsole } | number {
    const ts = this.terminals;
    const size = t.rows || t.cols ? { rows: t.rows ?? 0, cols: t.cols ?? 0, xpixel: 0, ypixel: 0 } : undefined;
    const p = asConsole ? ts.openConsole(uid, TTY_GID, size) : ts.openTerminal(uid, TTY_GID, size);
    if (typeof p === 'number') return p;
    const path = ts.slavePath(p);
    if (!path) return -E.ENOENT;
    const s = p.openSlave(O_RDWR, false);
    if (typeof s === 'number') return s;
    const f = new OpenFile(path, path.d.inode, O_RDWR | O_LARGEFILE, s.hostFd, 'file', path.d.name);
    f.priv = s.priv;
    p.sink = (b) => t.output(b) !== false;
    const r = p.startOutput();
    if (r < 0) {
      f.unref();
      return r;
    }
    const con: SandboxConsole = {
      write: (d) => p.input(d),
      onDrain: () => {},
      end: () => p.endOfInput(),
      resize: (rows, cols) => void p.resize({ rows, cols, xpixel: 0, ypixel: 0 }),
      signalForeground: (sig) => void ts.signalPgrp(p.pgrp, sig, true),
      hangup: () => {
        p.sink = () => true;
        ts.hangup(p);
      },
      resumeOutput: () => p.resumeOutput(),
    };
    p.onInputDrain = () => con.onDrain();
    return { file: f, pty: p, con };
  }
}

/** Why a umask option is refused, or null (absent is fine). */
function umaskRefusal(u: number | undefined): string | null {
  return u === undefined || (Number.isInteger(u) && u >= 0 && u <= 0o777) ? null : `umask ${u}: expected 0 to 0777`;
}

/** Dotted sysctl names and their values, or why one is refused (naming it). */
function checkSysctls(given: Record<string, string>): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) {
    const why = sysctlRefusal(k) ?? sysctlValueRefusal(dottedSysctl(k), v);
    if (why) return `sysctl ${k}: ${why}`;
    out[dottedSysctl(k)] = v;
  }
  return out;
}

/**
 * Masked and read-only paths (OCI linux.maskedPaths, readonlyPaths), over
 * the finished mount tree as runc applies them: a masked file gets the
 * sandbox's /dev/null bound over it, a masked directory an empty read-only
 * tmpfs; a read-only path is bound onto itself read-only, with the mounts
 * below it. Paths that do not exist are skipped.
 */
function restrictPaths(ns: MountNamespace, masked: string[], readonly: string[]): void {
  const ctx = { root: ns.rootPath(), creds: Creds.root() };
  const at = (path: string): VPath | null => {
    if (!isAbsolute(path)) throw new Error(`tsvisor: ${path}: not an absolute path`);
    const p = walk(ctx, ns.rootPath(), path, { follow: true });
    return typeof p === 'number' ? null : p;
  };
  for (const path of readonly) {
    const p = at(path);
    if (p) ns.bind(p, p, { ...p.mnt.opts, readOnly: true }, true);
  }
  const devNull = at('/dev/null');
  for (const path of masked) {
    const p = at(path);
    if (!p) continue;
    if (p.d.inode.isDir()) {
      ns.mount(p, new Tmpfs({ mode: 0o755, size: 0 }).root, { source: 'tmpfs', type: 'tmpfs', readOnly: true, nosuid: true, nodev: true, noexec: true });
    } else if (devNull) {
      ns.bind(p, devNull, devNull.mnt.opts, false);
    }
  }
}

/** Whether host path `p` is `dir` or lies below it (both real paths). */
function within(p: string, dir: string): boolean {
  const r = relative(dir, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** How a host tree names `dir` so it can hide it: its parent's identity and its name. */
function hiddenName(dir: string): HiddenName {
  const parent = statAt(AT_FDCWD, dirname(dir), 0);
  if (typeof parent === 'number') throw new Error(`tsvisor: cannot stat ${dirname(dir)}: ${errnoText(-parent)}`);
  return { devMajor: parent.devMajor, devMinor: parent.devMinor, ino: parent.ino, name: basename(dir) };
}

