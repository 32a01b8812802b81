// The Sandbox API: one guest process tree under its own sentry. It assembles
// the layers (mount namespace and filesystems, kernel, syscall table,
// platform) and runs a command to completion. The CLI, the OCI runtime and
// the CI runner are built on this and add no logic of their own to it.
import { readlinkSync } from 'node:fs';
import { cpus } from 'node:os';
import { E } from './abi/errno.js';
import { F_DUPFD_CLOEXEC, F_GETFL } from './abi/flags.js';
import { makeDevfs } from './fs/dev/devfs.js';
import { HostObjectInode } from './fs/host/hostobject.js';
import { HostFs } from './fs/host/hostfs.js';
import { OverlayFs } from './fs/overlay/overlay.js';
import { ProcFs } from './fs/proc/procfs.js';
import { TmpDir, TmpFile, Tmpfs } from './fs/tmpfs/tmpfs.js';
import { type ExitInfo, type InitSpec, Kernel } from './kernel/kernel.js';
import { fcntl, isatty, pwrite } from './platform/host.js';
import { checkHost } from './platform/hostcheck.js';
import { hostLimits, Platform } from './platform/platform.js';
import type { Isolation } from './platform/policy.js';
import { Dispatcher, type SyscallStats } from './syscalls/dispatch.js';
import { SyscallTable } from './syscalls/table.js';
import { errnoText } from './syscalls/strace.js';
import { Creds } from './vfs/creds.js';
import { OpenFile } from './vfs/file.js';
import { MountNamespace, type VPath } from './vfs/mount.js';
import { walk } from './vfs/namei.js';

export type { ExitInfo } from './kernel/kernel.js';
export type { Isolation } from './platform/policy.js';

/** Kernel notes are printed once per process. */
let noted = false;

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface SandboxOptions {
  /** Host directory to use as the read-only lower layer of `/` (default: the host's `/`). */
  rootfs?: string;
  isolation?: Isolation;
  /** Environment of the first process; PATH, HOME and HOSTNAME are added when absent. */
  env?: Record<string, string>;
  /** Working directory inside the sandbox (default `/`). */
  cwd?: string;
  hostname?: string;
  /** Host fds the guest gets as 0, 1, 2 (default: ours). */
  stdio?: [number, number, number];
  /** Print each trapped call to `log`. */
  strace?: boolean;
  /** Count traps and time the sentry per syscall (see `stats()`). */
  stats?: boolean;
  uid?: number;
  gid?: number;
  /** Where the sandbox's own diagnostics go (default: stderr). */
  log?: (line: string) => void;
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
  private readonly lower: HostFs;
  private readonly log: (line: string) => void;
  private started = false;
  private disposed = false;

  constructor(private readonly opts: SandboxOptions = {}) {
    this.log = opts.log ?? ((l) => process.stderr.write(l + '\n'));
    const host = checkHost();
    if (!host.ok) throw new Error(`tsvisor: ${host.error}`);
    if (host.notes.length && !noted) {
      noted = true;
      for (const n of host.notes) this.log(`tsvisor: note: ${n}`);
    }
    this.lower = new HostFs(opts.rootfs ?? '/', { readOnly: true });
    const overlay = new OverlayFs(this.lower.root);
    const mounts = new MountNamespace(overlay.root, { source: 'overlay', type: 'overlay', data: 'lowerdir=' + (opts.rootfs ?? '/') });
    const creds = opts.uid !== undefined && opts.uid !== 0 ? Creds.user(opts.uid, opts.gid ?? opts.uid) : Creds.root();
    if (opts.uid === 0 && opts.gid) creds.gid = creds.egid = creds.sgid = creds.fsgid = opts.gid;
    const limits = hostLimits();
    this.kernel = new Kernel({ hostname: opts.hostname ?? 'tsvisor', mounts, creds, fdLimit: limits.reservedBase, log: this.log });
    this.platform = new Platform(this.kernel, limits);
    this.kernel.platform = this.platform;
    this.dispatcher = new Dispatcher(this.kernel, this.platform, this.table, { strace: !!opts.strace, stats: !!opts.stats, write: this.log });
    this.mountDefaults(mounts, this.kernel);
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
    ns.mount(dirAt('/proc'), new ProcFs(kernel).root, { source: 'proc', type: 'proc', noexec: true, ...common });
    ns.mount(dirAt('/dev'), makeDevfs().root, { source: 'tmpfs', type: 'tmpfs', data: 'mode=755', nosuid: true });
    ns.mount(dirAt('/dev/shm'), new Tmpfs({ mode: 0o1777 }).root, { source: 'shm', type: 'tmpfs', data: 'mode=1777', ...common });
    ns.mount(dirAt('/tmp'), new Tmpfs({ mode: 0o1777 }).root, { source: 'tmpfs', type: 'tmpfs', data: 'mode=1777', nosuid: true, nodev: true });
    ns.mount(dirAt('/sys'), makeSysfs().root, { source: 'sysfs', type: 'sysfs', readOnly: true, noexec: true, ...common });
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

  private stdioFile(hostFd: number): OpenFile | null {
    const dup = fcntl(hostFd, F_DUPFD_CLOEXEC, 3);
    if (dup < 0) return null;
    let name = '';
    try {
      name = readlinkSync(`/proc/self/fd/${hostFd}`);
    } catch {
      name = 'anon_inode:[stdio]';
    }
    const fl = fcntl(hostFd, F_GETFL, 0);
    const f = new OpenFile(null, new HostObjectInode(dup, 'host', true, true), fl < 0 ? 0 : fl, dup, 'file', name);
    f.isTty = isatty(hostFd);
    return f;
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
    const stdio = o.stdio ?? [0, 1, 2];
    const files = stdio.map((fd) => this.stdioFile(fd));
    const spec: InitSpec = {
      path,
      argv,
      envp: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      cwd,
      files: files.map((f, i) => (f ? { fd: i, file: f } : null)).filter((x): x is { fd: number; file: OpenFile } => x !== null),
    };
    const r = this.kernel.start(spec, stdio, o.isolation ?? 'balanced', this.dispatcher.onTrap);
    if (r < 0) {
      this.dispose();
      throw new Error(`tsvisor: cannot start the sandbox: ${errnoText(-r)}`);
    }
    const info = await this.kernel.done;
    this.dispose();
    const res: RunResult = { ...info };
    if (info.spawnError) res.error = `tsvisor: ${info.spawnError}`;
    else if (info.execErrno) res.error = `tsvisor: ${argv[0]}: ${errnoText(info.execErrno)}`;
    return res;
  }

  /** Sends a signal to the init process (as `kill` to the container would). */
  signal(sig: number): void {
    const init = this.kernel.init;
    if (init && init.alive) this.kernel.signalGroup(init, sig);
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
    const done = new Set<unknown>();
    for (const m of this.kernel.mounts.list()) {
      const fs = m.root.inode.fs as { dispose?: () => void };
      if (done.has(fs)) continue;
      done.add(fs);
      fs.dispose?.();
    }
    this.lower.dispose();
  }
}

function fileWith(dir: TmpDir, name: string, content: string): void {
  const f = dir.create(name, 0o444, Creds.root());
  if (f instanceof TmpFile) pwrite(f.fd(), Buffer.from(content), 0, content.length, 0);
}

/** The few /sys files programs read to size themselves. */
function makeSysfs(): Tmpfs {
  const fs = new Tmpfs({ mode: 0o555, name: 'sysfs' });
  const root = Creds.root();
  const mk = (d: TmpDir, name: string): TmpDir => d.mkdir(name, 0o755, root) as TmpDir;
  const cpu = mk(mk(mk(fs.root, 'devices'), 'system'), 'cpu');
  const n = cpus().length;
  const range = n > 1 ? `0-${n - 1}\n` : '0\n';
  for (const f of ['online', 'possible', 'present']) fileWith(cpu, f, range);
  mk(mk(fs.root, 'fs'), 'cgroup');
  fs.readOnly = true;
  return fs;
}

