// The text of /proc/PID files, in Linux's formats (fs/proc/array.c, base.c,
// task_mmu.c, proc_namespace.c, fd.c). Ids, states, credentials and names are
// the sandbox's; what only the host knows (memory, CPU time, signal masks) is
// taken from the host's own file for the same thread, field by field, so the
// layout is always the running kernel's.
import { readFileSync } from 'node:fs';
import { O_CLOEXEC } from '../../abi/flags.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Task, ThreadGroup } from '../../kernel/task.js';
import { lseek } from '../../platform/host.js';
import { lastOpenedPath, type OpenFile } from '../../vfs/file.js';
import type { Inode } from '../../vfs/inode.js';
import { internalMountId, type Mount, pathOf, type VPath } from '../../vfs/mount.js';
import { major, minor } from '../devices.js';
import { HostInode } from '../host/hostfs.js';
import { OverlayInode } from '../overlay/overlay.js';
import { tmpFileByHostIno } from '../tmpfs/tmpfs.js';

/** USER_HZ: the unit of the times in /proc/PID/stat. */
const CLK_TCK = 100;

export function hostFile(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

/**
 * Which thread a /proc directory describes: /proc/PID/task/TID (`thread`,
 * per-thread values), /proc/TID of a thread that is no leader (`named`:
 * that thread's ids, the process's totals), or /proc/PID (both null).
 */
export interface Subject {
  thread: Task | null;
  named: Task | null;
}

/** The host's /proc file of the same subject. */
function hostProc(g: ThreadGroup, s: Subject, what: string): string {
  if (s.thread) return hostFile(`/proc/${g.hostTgid}/task/${s.thread.hostTid}/${what}`);
  return hostFile(`/proc/${s.named ? s.named.hostTid : g.hostTgid}/${what}`);
}

/** The thread /proc/PID (not .../task/TID) describes: the leader, or any thread once it died. */
export function leaderOf(g: ThreadGroup): Task | undefined {
  return g.leader.dead ? g.tasks.values().next().value : g.leader;
}

/**
 * One-letter state. The host's letter is kept where it means the same for
 * the guest; a thread waiting for the sentry (killable: D) or stopped by the
 * tracer (t) is just sleeping as far as the guest can tell; the reader of its
 * own stat is running, as on Linux.
 */
function stateLetter(k: Kernel, g: ThreadGroup, t: Task | undefined, host: string): string {
  if (g.zombie) return 'Z';
  if (g.stopped) return 'T';
  if (t && t === k.current) return 'R';
  return host === 'R' || host === 'S' || host === 'I' ? host : 'S';
}

const STATE_NAMES: Record<string, string> = { R: 'running', S: 'sleeping', D: 'disk sleep', T: 'stopped', Z: 'zombie', I: 'idle' };

/** /proc/PID/stat, /proc/TID/stat or /proc/PID/task/TID/stat. */
export function statLine(k: Kernel, g: ThreadGroup, s: Subject): string {
  const thread = s.thread;
  const t = thread ?? s.named ?? leaderOf(g);
  const host = g.zombie ? '' : hostProc(g, s, 'stat');
  const close = host.lastIndexOf(')');
  const rest = close > 0 ? host.slice(close + 2).trim().split(' ') : [];
  // f[i] is field i + 3 of proc(5).
  const f = rest.length >= 50 ? rest : new Array<string>(50).fill('0');
  f[0] = stateLetter(k, g, t, f[0] ?? 'S');
  f[1] = String(g.parent?.tgid ?? 0);
  f[2] = String(g.pgid);
  f[3] = String(g.sid);
  // The controlling terminal is the sandbox's (the host's tty_nr and tpgid
  // name tsvisor's terminal and a host process group): tty_nr as
  // new_encode_dev, tpgid its foreground group (-1: none).
  const ctty = k.cttyOf(g);
  f[4] = String(ctty?.dev ?? 0);
  f[5] = String(ctty ? ctty.pgrp || -1 : -1);
  // Children's times: the sentry reaps them, the host never sees a guest wait.
  f[13] = String(Math.floor((g.childUsage.utimeUs * CLK_TCK) / 1e6));
  f[14] = String(Math.floor((g.childUsage.stimeUs * CLK_TCK) / 1e6));
  f[17] = String(Math.max(g.tasks.size, 1));
  f[35] = thread && thread !== g.leader ? '-1' : String(g.exitSignal);
  f[49] = g.zombie ? String(g.exitStatus ?? 0) : '0';
  const id = (thread ?? s.named)?.tid ?? g.tgid;
  // The host's comm is the guest's (the loader, PR_SET_NAME and comm writes keep it so).
  const open = host.indexOf('(');
  const comm = close > open && open >= 0 ? host.slice(open + 1, close) : (t?.comm ?? '');
  return `${id} (${comm}) ${f.join(' ')}\n`;
}

/** Escapes a comm for status's Name: line (seq_escape_str with "\n\\"). */
function escapeName(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Linux's fd table size: 64, then a power-of-two multiple of 128 (alloc_fdtable). */
function fdSize(t: Task | undefined): number {
  const n = t ? t.files.highest + 1 : 0;
  if (n <= 64) return 64;
  let per = 1;
  while (per * 128 < n + 1) per *= 2;
  return per * 128;
}

const hex16 = (v: bigint) => v.toString(16).padStart(16, '0');

/** /proc/PID/status (or TID's, task/TID's): the host's lines, ours where they are ours. */
export function status(k: Kernel, g: ThreadGroup, s: Subject): string {
  const t = s.thread ?? s.named ?? leaderOf(g);
  const id = (s.thread ?? s.named)?.tid ?? g.tgid;
  const c = g.creds;
  const host = g.zombie ? '' : hostProc(g, s, 'status');
  const hostState = /^State:\t(\S)/m.exec(host)?.[1] ?? 'S';
  const st = stateLetter(k, g, t, hostState);
  const ours: Record<string, string> = {
    // The host's Name: line (the same comm, already escaped) is kept when there is one.
    Name: escapeName(t?.comm ?? ''),
    Umask: (t?.fs.umask ?? 0o22).toString(8).padStart(4, '0'),
    State: `${st} (${STATE_NAMES[st] ?? 'sleeping'})`,
    Tgid: String(g.tgid),
    Ngid: '0',
    Pid: String(id),
    PPid: String(g.parent?.tgid ?? 0),
    TracerPid: '0',
    Uid: `${c.uid}\t${c.euid}\t${c.suid}\t${c.fsuid}`,
    Gid: `${c.gid}\t${c.egid}\t${c.sgid}\t${c.fsgid}`,
    FDSize: String(fdSize(t)),
    // Each group is followed by a space, even the last (and none: a lone space).
    Groups: c.groups.map((x) => `${x} `).join('') || ' ',
    NStgid: String(g.tgid),
    NSpid: String(id),
    NSpgid: String(g.pgid),
    NSsid: String(g.sid),
    Threads: String(Math.max(g.tasks.size, 1)),
    CapInh: hex16(c.capInheritable),
    CapPrm: hex16(c.capPermitted),
    CapEff: hex16(c.capEffective),
    CapBnd: hex16(c.capBounding),
    CapAmb: hex16(c.capAmbient),
    NoNewPrivs: g.noNewPrivs ? '1' : '0',
    // The sandbox's own filter is not the guest's business.
    Seccomp: '0',
    Seccomp_filters: '0',
  };
  if (!host) {
    // A zombie: the host thread is gone; Linux shows the identity part and no memory.
    const keys = ['Name', 'Umask', 'State', 'Tgid', 'Ngid', 'Pid', 'PPid', 'TracerPid', 'Uid', 'Gid', 'FDSize', 'Groups', 'NStgid', 'NSpid', 'NSpgid', 'NSsid', 'Threads', 'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp', 'Seccomp_filters'];
    return keys.map((key) => `${key}:\t${ours[key]}\n`).join('');
  }
  const out: string[] = [];
  for (const line of host.split('\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    const key = colon > 0 ? line.slice(0, colon) : '';
    const mine = key === 'Name' ? undefined : ours[key];
    if (mine === undefined) out.push(line);
    else out.push(`${key}:\t${mine}`);
  }
  return out.join('\n') + '\n';
}

/** Mount points, sources and paths escaped as in /proc/mounts (mangle: space, tab, newline, backslash). */
function mangle(s: string): string {
  return s.replace(/[ \t\n\\]/g, (ch) => '\\' + ch.charCodeAt(0).toString(8).padStart(3, '0'));
}

function isBelow(p: VPath, root: VPath): boolean {
  let { mnt, d } = p;
  for (let i = 0; i < 4096; i++) {
    if (mnt === root.mnt && d === root.d) return true;
    if (d === mnt.root) {
      if (!mnt.parent || !mnt.mountpoint) return false;
      d = mnt.mountpoint;
      mnt = mnt.parent;
      continue;
    }
    if (!d.parent) return false;
    d = d.parent;
  }
  return false;
}

function mountOpts(m: Mount): string {
  const o = m.opts;
  return [o.readOnly ? 'ro' : 'rw', o.nosuid ? 'nosuid' : '', o.nodev ? 'nodev' : '', o.noexec ? 'noexec' : '', 'relatime'].filter(Boolean).join(',');
}

/**
 * /proc/PID/mounts and mountinfo, seen from `root` (the process's root: a
 * mount outside it is not listed, as show_mountinfo skips what d_path cannot
 * reach).
 */
export function mountTable(k: Kernel, root: VPath, info: boolean): string {
  const lines: string[] = [];
  for (const m of k.mounts.list()) {
    const at: VPath = m.parent && m.mountpoint ? { mnt: m.parent, d: m.mountpoint } : { mnt: m, d: m.root };
    let mp: string;
    if (m === root.mnt && m.root === root.d) mp = '/';
    else if (isBelow(at, root)) mp = mangle(pathOf(at, root));
    else continue;
    const o = m.opts;
    const sup = [m.root.inode.fs.readOnly && !o.readOnly ? 'ro' : 'rw', o.data ?? ''].filter(Boolean).join(',');
    if (info) {
      const dev = m.root.inode.fs.dev;
      const parent = m.parent ? m.parent.id : 1;
      lines.push(`${m.id} ${parent} ${major(dev)}:${minor(dev)} / ${mp} ${mountOpts(m)} - ${o.type} ${mangle(o.source)} ${sup}`);
    } else {
      lines.push(`${mangle(o.source)} ${mp} ${o.type} ${[mountOpts(m), o.data ?? ''].filter(Boolean).join(',')} 0 0`);
    }
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

// ---- maps ----

const MAPS_LINE = /^([0-9a-f]+-[0-9a-f]+) (\S{4}) ([0-9a-f]+) ([0-9a-f]+):([0-9a-f]+) (\d+) ?(.*)$/;
const OUR_MEMFD = /^\/memfd:tsvisor-(?:tmpfs|upper) \(deleted\)$/;

/** The path a tmpfs file (a memfd on the host) is known by: where it was last opened, or a process's exe. */
function pathOfFile(k: Kernel, file: Inode): VPath | undefined {
  const p = lastOpenedPath(file);
  if (p) return p;
  for (const g of k.pids.groups.values()) if (g.exe && g.exe.d.inode.backing() === file) return g.exe;
  return undefined;
}

interface Lower {
  /** The lower layer's host directory, without a trailing slash ("" for /). */
  prefix: string;
  dev: number;
  mapIno(devMajor: number, devMinor: number, ino: number): number;
}

/** The overlay root's lower layer, when the root is one over a host directory. */
function lowerOf(k: Kernel): Lower | null {
  const root = k.mounts.root.root.inode;
  if (!(root instanceof OverlayInode) || !(root.ofs.lower instanceof HostInode)) return null;
  const hfs = root.ofs.lower.hfs;
  return {
    prefix: hfs.hostPath.replace(/\/+$/, ''),
    dev: root.ofs.dev,
    mapIno: (ma, mi, ino) => hfs.mapInoOn(ma, mi, ino),
  };
}

function mapsLine(addr: string, perms: string, off: string, dev: number, ino: number, name: string): string {
  const hex2 = (v: number) => v.toString(16).padStart(2, '0');
  const head = `${addr} ${perms} ${off} ${hex2(major(dev))}:${hex2(minor(dev))} ${ino} `;
  // show_map_vma pads to 72 columns (seq_setwidth), then one space, then the name.
  return name ? `${head.padEnd(72)} ${name}` : head;
}

/**
 * A host maps (or smaps) text as the sandbox shows it: the loader's mappings
 * dropped, files of the lower layer under their sandbox path with the
 * overlay's device and inode numbers, memfds of the tmpfs and of the upper
 * layer under the path of the file they hold. Other lines are the host's.
 */
export function translateMaps(k: Kernel, host: string, root: VPath): string {
  const lower = lowerOf(k);
  const out: string[] = [];
  let skipping = false;
  for (const line of host.split('\n')) {
    if (!line) continue;
    const m = MAPS_LINE.exec(line);
    if (!m) {
      // smaps: the detail lines of a mapping follow its header.
      if (!skipping) out.push(line);
      continue;
    }
    const [, addr, perms, off, maj, min, inoText, rawName] = m;
    const name = rawName!.trimStart();
    skipping = name.endsWith('/tsvisor-loader');
    if (skipping) continue;
    const hostMajor = parseInt(maj!, 16);
    const hostMinor = parseInt(min!, 16);
    const ino = Number(inoText);
    if (OUR_MEMFD.test(name)) {
      const file = tmpFileByHostIno(ino);
      const p = file && pathOfFile(k, file);
      const st = p?.d.inode.stat();
      if (p && st && typeof st !== 'number') {
        out.push(mapsLine(addr!, perms!, off!, st.dev, st.ino, pathOf(p, root)));
        continue;
      }
    } else if (lower && name.startsWith('/') && hostMajor !== 0) {
      const deleted = name.endsWith(' (deleted)');
      const bare = deleted ? name.slice(0, -10) : name;
      if (lower.prefix === '' || bare.startsWith(lower.prefix + '/')) {
        const inside = lower.prefix === '' ? bare : bare.slice(lower.prefix.length);
        out.push(mapsLine(addr!, perms!, off!, lower.dev, lower.mapIno(hostMajor, hostMinor, ino), inside + (deleted ? ' (deleted)' : '')));
        continue;
      }
    }
    out.push(line);
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

// ---- fdinfo ----

/** /proc/PID/fdinfo/N (fs/proc/fd.c seq_show), plus what the object itself reports. */
export function fdinfo(f: OpenFile, cloexec: boolean): string {
  let pos = f.hostFd >= 0 ? lseek(f.hostFd, 0, 1) : 0;
  if (pos < 0) pos = 0;
  const st = f.inode.stat();
  const ino = typeof st === 'number' ? 0 : st.ino;
  const mntId = f.path?.mnt.id ?? internalMountId(f.inode.fs.name);
  const flags = f.flags | (cloexec ? O_CLOEXEC : 0);
  let extra = f.inode.fdinfo();
  if (!extra && f.kind === 'anon' && f.hostFd >= 0) {
    // eventfd, signalfd, timerfd, epoll: the host object describes itself (same description).
    extra = hostFile(`/proc/self/fdinfo/${f.hostFd}`)
      .split('\n')
      .filter((l) => l && !/^(pos|flags|mnt_id|ino):/.test(l))
      .map((l) => l + '\n')
      .join('');
  }
  return `pos:\t${pos}\nflags:\t0${flags.toString(8)}\nmnt_id:\t${mntId}\nino:\t${ino}\n${extra}`;
}
