// exec, decided by the sentry: the path, each `#!` line and the ELF
// interpreter are resolved in the sandbox's own VFS; the result is a prepared
// image (open host fds of the program and interpreter, argv, envp) that the
// loader picks up after the host has executed it in place of the guest image.
import { E } from '../abi/errno.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, O_RDONLY, RLIMIT_STACK, S_IFMT, S_IFREG } from '../abi/flags.js';
import { close, pread } from '../platform/host.js';
import type { Inode } from '../vfs/inode.js';
import type { VPath } from '../vfs/mount.js';
import { walk, type NameiContext } from '../vfs/namei.js';
import { MAY_EXEC, permission } from '../vfs/perm.js';
import { type ElfInfo, isElf, parseElf } from './elf.js';
import type { Task } from './task.js';

/** Linux: BINPRM_BUF_SIZE, MAX_ARG_STRLEN, interpreter recursion. */
const HEAD_SIZE = 256;
export const MAX_ARG_STRLEN = 32 * 4096;
/** fs/exec.c exec_binprm: at most 5 interpreter rewrites (scripts) per exec. */
const MAX_REWRITES = 5;

export interface ExecFile {
  /** A host fd (read-only open file description) the loader will map. */
  hostFd: number;
  elf: ElfInfo;
}

export interface PreparedExec {
  argv: string[];
  envp: string[];
  /** AT_EXECFN: the filename as passed to execve. */
  execfn: string;
  /** /proc/PID/exe: the binary actually run (the interpreter for scripts). */
  exe: VPath;
  exeName: string;
  comm: string;
  prog: ExecFile;
  interp: ExecFile | null;
}

export function releaseExec(p: PreparedExec): void {
  close(p.prog.hostFd);
  if (p.interp) close(p.interp.hostFd);
}

interface Resolved {
  path: VPath;
  inode: Inode;
}

/** Resolves and checks an executable; -EACCES for what may not run. */
function resolveExecutable(ctx: NameiContext, start: VPath, path: string, follow: boolean): Resolved | number {
  const p = walk(ctx, start, path, { follow });
  if (typeof p === 'number') return p;
  return checkExecutable(ctx, p);
}

function checkExecutable(ctx: NameiContext, p: VPath): Resolved | number {
  const inode = p.d.inode;
  if (inode.isSymlink()) return -E.ELOOP;
  const st = inode.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFREG) return -E.EACCES;
  if (p.mnt.opts.noexec) return -E.EACCES;
  const perm = permission(st, ctx.creds, MAY_EXEC);
  if (perm < 0) return perm;
  return { path: p, inode };
}

function openRead(inode: Inode): number {
  const o = inode.open(O_RDONLY);
  if (typeof o === 'number') return o;
  // No open file description of the sandbox's is made: the host fd alone
  // holds the image, so the inode may free its own copy of the bytes once
  // the file has no name left (tmpfs).
  inode.release(O_RDONLY);
  return o.hostFd;
}

function readAt(fd: number, pos: number, len: number): Uint8Array | number {
  const b = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = pread(fd, b, got, len - got, pos + got);
    if (n < 0) return n;
    if (n === 0) break;
    got += n;
  }
  return b.subarray(0, got);
}

interface Parsed {
  size: number;
  mtimeSec: number;
  mtimeNsec: number;
  head: Uint8Array;
  elf: ElfInfo | number | null;
}

/** First bytes and ELF headers of executables, while their size and mtime stay the same. */
const parsedCache = new WeakMap<Inode, Parsed>();

/** The head of a file, and its parsed ELF headers when it is an ELF file (null when not). */
function examine(inode: Inode, fd: number): Parsed | number {
  const st = inode.stat();
  if (typeof st === 'number') return st;
  const hit = parsedCache.get(inode);
  if (hit && hit.size === st.size && hit.mtimeSec === st.mtime.sec && hit.mtimeNsec === st.mtime.nsec) return hit;
  const head = readAt(fd, 0, HEAD_SIZE);
  if (typeof head === 'number') return head;
  const elf = isElf(head) ? parseElf(head, (pos, len) => readAt(fd, pos, len)) : null;
  const p: Parsed = { size: st.size, mtimeSec: st.mtime.sec, mtimeNsec: st.mtime.nsec, head, elf };
  if (typeof elf !== 'number' || elf === -E.ENOEXEC) parsedCache.set(inode, p);
  return p;
}

/**
 * Splits a `#!` line exactly as Linux's load_script does (fs/binfmt_script.c):
 * the interpreter, then at most one argument running to the end of the line
 * (inner spaces kept, trailing spaces and tabs trimmed; a CR is an ordinary
 * byte). Without a newline in the first 256 bytes the interpreter name must
 * end inside them, and the argument is cut at byte 255.
 */
export function parseShebang(head: Uint8Array): { interp: string; arg: string | null } | number {
  // The kernel's buffer is zero-filled past the end of a short file.
  const buf = new Uint8Array(HEAD_SIZE);
  buf.set(head.subarray(0, HEAD_SIZE));
  if (buf[0] !== 0x23 || buf[1] !== 0x21) return -E.ENOEXEC;
  const spacetab = (i: number) => buf[i] === 0x20 || buf[i] === 0x09;
  const nextNonSpacetab = (first: number, last: number) => {
    for (; first <= last; first++) if (!spacetab(first)) return first;
    return -1;
  };
  const nextTerminator = (first: number, last: number) => {
    for (; first <= last; first++) if (spacetab(first) || buf[first] === 0) return first;
    return -1;
  };
  const bufEnd = HEAD_SIZE - 1;
  let iEnd = -1;
  for (let i = 0; i < HEAD_SIZE && buf[i] !== 0; i++) {
    if (buf[i] === 0x0a) {
      iEnd = i;
      break;
    }
  }
  if (iEnd < 0) {
    iEnd = nextNonSpacetab(2, bufEnd);
    if (iEnd < 0) return -E.ENOEXEC; // only spaces and tabs
    if (nextTerminator(iEnd, bufEnd) < 0) return -E.ENOEXEC; // the interpreter name may be truncated
    iEnd = bufEnd;
  }
  while (spacetab(iEnd - 1)) iEnd--;
  const iName = nextNonSpacetab(2, iEnd);
  if (iName < 0 || iName === iEnd) return -E.ENOEXEC;
  const iSep = nextTerminator(iName, iEnd);
  const iArg = iSep >= 0 && buf[iSep] !== 0 ? nextNonSpacetab(iSep, iEnd) : -1;
  // Both strings end at iEnd, the name at the separator when there is an argument, and either at a NUL.
  const cstr = (from: number, to: number) => {
    let e = from;
    while (e < to && buf[e] !== 0) e++;
    return Buffer.from(buf.buffer, buf.byteOffset + from, e - from).toString('latin1');
  };
  return { interp: cstr(iName, iArg >= 0 ? iSep : iEnd), arg: iArg >= 0 ? cstr(iArg, iEnd) : null };
}

/** The stack space argv and envp may use (fs/exec.c: bprm_stack_limits). */
export function argLimit(stackSoft: number): number {
  let limit = Math.floor((8 * 1024 * 1024) / 4) * 3;
  limit = Math.min(limit, Math.floor(stackSoft / 4));
  return Math.max(limit, 32 * 4096);
}

const PAGE = 4096;

/**
 * E2BIG as execve reports it: each string (with its NUL) at most
 * MAX_ARG_STRLEN; the filename, envp and argv strings (and the "" added for
 * an empty argv) within argLimit less one pointer per string (argc counted as
 * at least 1); and, since they are copied into the new stack, within
 * RLIMIT_STACK itself (its first page is always there).
 */
export function checkArgSize(argv: string[], envp: string[], stackSoft: number, filename = ''): number {
  let limit = argLimit(stackSoft);
  const ptrs = (Math.max(argv.length, 1) + envp.length) * 8;
  if (limit <= ptrs) return -E.E2BIG;
  limit -= ptrs;
  let total = 0;
  const add = (s: string) => {
    if (s.length + 1 > MAX_ARG_STRLEN) return false;
    total += s.length + 1;
    return true;
  };
  if (!add(filename)) return -E.E2BIG;
  for (const s of envp) if (!add(s)) return -E.E2BIG;
  for (const s of argv) if (!add(s)) return -E.E2BIG;
  if (argv.length === 0) total += 1;
  if (total > limit) return -E.E2BIG;
  // bprm->p starts one pointer below the top of the stack.
  const room = Math.max(PAGE, Math.floor(stackSoft / PAGE) * PAGE);
  return total + 8 > room ? -E.E2BIG : 0;
}

function basename(p: string): string {
  const s = p.replace(/\/+$/, '');
  const i = s.lastIndexOf('/');
  return i < 0 ? s : s.slice(i + 1);
}

export interface ExecRequest {
  task: Task;
  ctx: NameiContext;
  cwd: VPath;
  /** Directory for a relative path (execveat dirfd), or the fd's own path with AT_EMPTY_PATH. */
  dirPath: VPath | null;
  dirfd: number;
  path: string;
  argv: string[];
  envp: string[];
  flags: number;
}

/** Resolves the whole chain of an exec. Returns the prepared image or -errno. */
export function prepareExec(req: ExecRequest): PreparedExec | number {
  const { ctx, task } = req;
  let resolved: Resolved | number;
  let filename = req.path;
  if (req.path.length === 0) {
    if (!(req.flags & AT_EMPTY_PATH) || !req.dirPath) return -E.ENOENT;
    resolved = checkExecutable(ctx, req.dirPath);
    filename = `/dev/fd/${req.dirfd}`;
  } else {
    const start = req.path[0] === '/' || req.dirfd === AT_FDCWD ? req.cwd : req.dirPath;
    if (!start) return -E.EBADF;
    resolved = resolveExecutable(ctx, start, req.path, !(req.flags & AT_SYMLINK_NOFOLLOW));
    if (req.dirfd !== AT_FDCWD && req.path[0] !== '/') filename = `/dev/fd/${req.dirfd}/${req.path}`;
  }
  if (typeof resolved === 'number') return resolved;
  // As do_execveat_common: the caller's strings are copied (E2BIG) before
  // any binary format handler runs, so this error precedes a script's.
  const early = checkArgSize(req.argv.length ? req.argv : [''], req.envp, task.group.rlimits.get(RLIMIT_STACK).soft, filename);
  if (early < 0) return early;

  // Linux (since 5.18) never starts a program with argc 0: an empty argv
  // becomes a single empty string, before any `#!` handling.
  let argv = req.argv.length ? req.argv.slice() : [''];
  const execfn = filename;
  const comm = basename(filename).slice(0, 15);
  for (let depth = 0; ; depth++) {
    const fd = openRead(resolved.inode);
    if (fd < 0) return fd;
    const parsed = examine(resolved.inode, fd);
    if (typeof parsed === 'number') {
      close(fd);
      return parsed;
    }
    const head = parsed.head;
    if (head.length >= 2 && head[0] === 0x23 && head[1] === 0x21) {
      close(fd);
      const sb = parseShebang(head);
      if (typeof sb === 'number') return sb;
      // An empty name ("#!" then NUL or EOF): Linux opens "", the cwd, which is no executable.
      if (sb.interp === '') return -E.EACCES;
      // The script itself becomes an argument of its interpreter.
      argv = [sb.interp, ...(sb.arg !== null ? [sb.arg] : []), filename, ...argv.slice(1)];
      const next = resolveExecutable(ctx, req.cwd, sb.interp, true);
      if (typeof next === 'number') return next;
      // Linux opens the interpreter (its errors win) before it counts the rewrite.
      if (depth + 1 > MAX_REWRITES) return -E.ELOOP;
      resolved = next;
      filename = sb.interp;
      continue;
    }
    const elf = parsed.elf;
    if (elf === null || typeof elf === 'number') {
      close(fd);
      return elf === null ? -E.ENOEXEC : elf;
    }
    let interp: ExecFile | null = null;
    if (elf.interp !== null) {
      const ip = resolveExecutableForInterp(ctx, req.cwd, elf.interp);
      if (typeof ip === 'number') {
        close(fd);
        return ip;
      }
      interp = ip;
    }
    const size = checkArgSize(argv, req.envp, task.group.rlimits.get(RLIMIT_STACK).soft, execfn);
    if (size < 0) {
      close(fd);
      if (interp) close(interp.hostFd);
      return size;
    }
    return {
      argv,
      envp: req.envp,
      execfn,
      exe: resolved.path,
      exeName: filename,
      comm,
      prog: { hostFd: fd, elf },
      interp,
    };
  }
}

/** The ELF interpreter: must exist (ENOENT) and be an ELF file (ELIBBAD). */
function resolveExecutableForInterp(ctx: NameiContext, cwd: VPath, path: string): ExecFile | number {
  const p = walk(ctx, cwd, path, { follow: true });
  if (typeof p === 'number') return p === -E.ENOTDIR ? -E.ENOENT : p;
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFREG) return -E.EACCES;
  const fd = openRead(p.d.inode);
  if (fd < 0) return fd;
  const parsed = examine(p.d.inode, fd);
  if (typeof parsed === 'number' || parsed.elf === null || typeof parsed.elf === 'number') {
    close(fd);
    return typeof parsed === 'number' ? parsed : -E.ELIBBAD;
  }
  return { hostFd: fd, elf: parsed.elf };
}
