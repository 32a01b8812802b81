// Writes the entries of one untrusted layer tar into a directory, without
// ever letting the archive name anything outside it. Every host operation is
// fd-relative: a parent directory is opened from the layer root with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), so
// the kernel refuses to go through a symlink an earlier entry made (`a ->
// /etc` then `a/passwd`) or to leave the root, and the entry itself is made
// with a single name in that directory (mkdirat, symlinkat, linkat, mknodat,
// openat O_EXCL|O_NOFOLLOW), which follows nothing either.
//
// Whiteout files (.wh.NAME, .wh..wh..opq) are kept as they are: LayeredFs
// gives them their meaning when the layers are stacked.
import { E, errnoName } from '../abi/errno.js';
import {
  O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_PATH, O_RDONLY, O_WRONLY, RESOLVE_BENEATH, RESOLVE_NO_MAGICLINKS,
  RESOLVE_NO_SYMLINKS, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT,
} from '../abi/flags.js';
import { makedev } from '../fs/devices.js';
import {
  AT_SYMLINK_NOFOLLOW, close, fchmod, fchmodat, fchownat, linkat, mkdirat, mknodat, openat2, pwrite, renameat2, statAt, symlinkat,
  unlinkat, utimensat,
} from '../platform/host.js';
import { ImageError } from './errors.js';
import type { TarEntry, TarHandler } from './tar.js';

const RESOLVE = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;

/** Path components of an archive path, or why it is refused (absolute, `..`, a NUL byte). */
export function entryParts(path: string): string[] | string {
  if (path.startsWith('/')) return 'absolute path';
  if (path.includes('\0')) return 'NUL byte in path';
  const parts = path.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.includes('..')) return '".." in path';
  return parts;
}

export interface UnpackCounts {
  files: number;
  dirs: number;
  symlinks: number;
  hardlinks: number;
  /** Device nodes and FIFOs made (root) or skipped (not allowed). */
  nodes: number;
  skippedNodes: number;
}

interface DirMeta {
  parts: string[];
  e: TarEntry;
}

function split(t: number): [number, number] {
  const s = Math.floor(t);
  return [s, Math.min(999_999_999, Math.round((t - s) * 1e9))];
}

/**
 * A TarHandler that materialises entries under `rootFd` (an O_RDONLY
 * directory fd of a fresh, private directory). Directories are made 0700
 * while unpacking and get their own mode, owner and mtime in `finish()`,
 * deepest first, so a read-only directory can still be filled and children
 * do not disturb a parent's mtime. Owners are applied only when we are root.
 * Setuid/setgid bits are kept: the cache that holds the tree is 0700, so no
 * other host user can reach them (docs/oci.md#images).
 */
export class LayerWriter implements TarHandler {
  readonly counts: UnpackCounts = { files: 0, dirs: 0, symlinks: 0, hardlinks: 0, nodes: 0, skippedNodes: 0 };
  private readonly asRoot = process.getuid?.() === 0;
  private readonly dirs: DirMeta[] = [];
  private file: { fd: number; pos: number; e: TarEntry } | null = null;
  private trashN = 0;

  /**
   * `trashFd`: a directory (outside the tree) where a directory an entry
   * replaces is moved, to be removed with the temp files. `label` names the
   * layer in errors.
   */
  constructor(
    private readonly rootFd: number,
    private readonly trashFd: number,
    private readonly label: string,
  ) {}

  private fail(path: string, why: string): never {
    throw new ImageError(`layer ${this.label}: ${JSON.stringify(path)}: ${why}`);
  }

  private check(r: number, path: string, what: string): number {
    if (r < 0) this.fail(path, `${what}: ${errnoName(-r)}`);
    return r;
  }

  /**
   * An O_PATH fd of the directory `dir` (components) under the root, made
   * as needed (0755, as tar makes missing parents) when `create`; without
   * `create`, null when it cannot be opened (missing, or not a directory). The caller closes it unless it is rootFd.
   */
  private dirFd(dir: string[], path: string, create: boolean): number | null {
    if (!dir.length) return this.rootFd;
    const fd = openat2(this.rootFd, dir.join('/'), O_PATH | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE);
    if (fd >= 0) return fd;
    if (!create) return null;
    if (fd !== -E.ENOENT) this.walkError(fd, dir, path);
    let cur = this.rootFd;
    for (let i = 0; i < dir.length; i++) {
      const name = dir[i]!;
      let next = openat2(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
      if (next === -E.ENOENT) {
        this.check(mkdirat(cur, name, 0o755), path, `making parent ${dir.slice(0, i + 1).join('/')}`);
        next = openat2(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
      }
      if (cur !== this.rootFd) close(cur);
      if (next < 0) this.walkError(next, dir.slice(0, i + 1), path);
      cur = next;
    }
    return cur;
  }

  private walkError(r: number, dir: string[], path: string): never {
    if (r === -E.ELOOP || r === -E.EXDEV) this.fail(path, `goes through a symlink (in ${dir.join('/')}); refusing to write outside the layer`);
    if (r === -E.ENOTDIR) this.fail(path, `a parent (in ${dir.join('/')}) is not a directory`);
    this.fail(path, `opening ${dir.join('/')}: ${errnoName(-r)}`);
  }

  /**
   * Removes what an earlier entry left at `name` (a later entry replaces an
   * earlier one, as tar does); a directory is kept when `keepDir` (a
   * directory entry over a directory only updates it). True when kept.
   */
  private clear(pfd: number, name: string, path: string, keepDir: boolean): boolean {
    const st = statAt(pfd, name, AT_SYMLINK_NOFOLLOW);
    if (typeof st === 'number') {
      if (st === -E.ENOENT) return false;
      this.fail(path, `stat: ${errnoName(-st)}`);
    }
    if ((st.mode & S_IFMT) === S_IFDIR) {
      if (keepDir) return true;
      this.check(renameat2(pfd, name, this.trashFd, String(this.trashN++), 0), path, 'replacing a directory');
    } else {
      this.check(unlinkat(pfd, name, 0), path, 'replacing');
    }
    return false;
  }

  /** Owner (root only) and times of `name` in `pfd` ("" = pfd itself), not following symlinks. */
  private meta(pfd: number, name: string, e: TarEntry, path: string): void {
    if (this.asRoot) this.check(fchownat(pfd, name, e.uid, e.gid), path, 'chown');
    const [s, ns] = split(e.mtime);
    this.check(utimensat(pfd, name, s, ns, s, ns), path, 'setting times');
  }

  entry(e: TarEntry): void {
    const parts = entryParts(e.path);
    if (typeof parts === 'string') this.fail(e.path, `${parts}; refusing the layer`);
    if (!parts.length) {
      // "./": the layer's root directory itself.
      if (e.type !== 'dir') this.fail(e.path, 'the root of the layer must be a directory');
      this.dirs.push({ parts, e });
      return;
    }
    const name = parts[parts.length - 1]!;
    const pfd = this.dirFd(parts.slice(0, -1), e.path, true)!;
    try {
      this.make(pfd, name, parts, e);
    } finally {
      if (pfd !== this.rootFd) close(pfd);
    }
  }

  private make(pfd: number, name: string, parts: string[], e: TarEntry): void {
    const path = e.path;
    if (e.type === 'dir') {
      if (!this.clear(pfd, name, path, true)) this.check(mkdirat(pfd, name, 0o700), path, 'mkdir');
      this.dirs.push({ parts, e });
      this.counts.dirs++;
      return;
    }
    if (e.type === 'hardlink') {
      const target = entryParts(e.linkpath);
      if (typeof target === 'string' || !target.length) this.fail(path, `hard link to ${JSON.stringify(e.linkpath)}: ${typeof target === 'string' ? target : 'the root'}; refusing the layer`);
      if (target.join('/') === parts.join('/')) return; // a link to itself: already there
      const tfd = this.dirFd(target.slice(0, -1), path, false);
      if (tfd === null) this.fail(path, `hard link to ${JSON.stringify(e.linkpath)}, which is not an earlier entry of this layer`);
      try {
        const tname = target[target.length - 1]!;
        const st = statAt(tfd, tname, AT_SYMLINK_NOFOLLOW);
        if (typeof st === 'number') this.fail(path, `hard link to ${JSON.stringify(e.linkpath)}, which is not an earlier entry of this layer`);
        if ((st.mode & S_IFMT) === S_IFDIR) this.fail(path, `hard link to a directory (${JSON.stringify(e.linkpath)})`);
        this.clear(pfd, name, path, false);
        this.check(linkat(tfd, tname, pfd, name), path, 'link');
      } finally {
        if (tfd !== this.rootFd) close(tfd);
      }
      this.counts.hardlinks++;
      return;
    }
    this.clear(pfd, name, path, false);
    switch (e.type) {
      case 'file': {
        const fd = this.check(openat2(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600, RESOLVE), path, 'create');
        this.file = { fd, pos: 0, e };
        this.counts.files++;
        return;
      }
      case 'symlink':
        if (!e.linkpath || e.linkpath.includes('\0')) this.fail(path, 'symlink with an empty target or a NUL byte');
        this.check(symlinkat(e.linkpath, pfd, name), path, 'symlink');
        this.meta(pfd, name, e, path);
        this.counts.symlinks++;
        return;
      default: {
        const type = e.type === 'chardev' ? S_IFCHR : e.type === 'blockdev' ? S_IFBLK : S_IFIFO;
        const dev = type === S_IFIFO ? 0 : makedev(e.devMajor, e.devMinor);
        const r = mknodat(pfd, name, type | 0o600, dev);
        if (r === -E.EPERM || r === -E.EACCES) {
          this.counts.skippedNodes++;
          return;
        }
        this.check(r, path, 'mknod');
        this.counts.nodes++;
        this.meta(pfd, name, e, path);
        this.check(fchmodat(pfd, name, e.mode), path, 'chmod');
      }
    }
  }

  data(chunk: Buffer): void {
    const f = this.file;
    if (!f) return;
    let off = 0;
    while (off < chunk.length) {
      const n = pwrite(f.fd, chunk, off, chunk.length - off, f.pos);
      if (n <= 0) this.fail(f.e.path, `write: ${n < 0 ? errnoName(-n) : 'no progress'}`);
      off += n;
      f.pos += n;
    }
  }

  end(): void {
    const f = this.file;
    if (!f) return;
    this.file = null;
    try {
      // chown first: it clears setuid/setgid, which the chmod then sets.
      this.meta(f.fd, '', f.e, f.e.path);
      this.check(fchmod(f.fd, f.e.mode), f.e.path, 'chmod');
    } finally {
      close(f.fd);
    }
  }

  /** Closes an open file after an error (the tree is being thrown away). */
  abort(): void {
    if (this.file) close(this.file.fd);
    this.file = null;
  }

  /** Applies the directories' modes, owners and times, deepest first. */
  finish(): void {
    const byDepth = [...this.dirs].sort((a, b) => b.parts.length - a.parts.length);
    for (const { parts, e } of byDepth) {
      if (!parts.length) {
        this.check(fchmod(this.rootFd, e.mode), e.path, 'chmod');
        this.meta(this.rootFd, '', e, e.path);
        continue;
      }
      const pfd = this.dirFd(parts.slice(0, -1), e.path, false);
      // A later entry replaced this directory (or its parent) with something else.
      if (pfd === null) continue;
      try {
        const name = parts[parts.length - 1]!;
        const st = statAt(pfd, name, AT_SYMLINK_NOFOLLOW);
        if (typeof st === 'number' || (st.mode & S_IFMT) !== S_IFDIR) continue;
        this.meta(pfd, name, e, e.path);
        this.check(fchmodat(pfd, name, e.mode), e.path, 'chmod');
      } finally {
        if (pfd !== this.rootFd) close(pfd);
      }
    }
  }
}

/** Opens a directory we made for unpacking (O_RDONLY: fchmod works on it). */
export function openRoot(path: string): number {
  const fd = openat2(-100, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, 0);
  if (fd < 0) throw new ImageError(`${path}: ${errnoName(-fd)}`);
  return fd;
}
