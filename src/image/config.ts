// The image config (image-spec config.md) as a process: Entrypoint + Cmd
// (a command given by the user replaces Cmd, as docker does), Env (under the
// user's), WorkingDir, User (uid, uid:gid, or names resolved in the image's
// own /etc/passwd and /etc/group, read through the layers as stacked).
import { E } from '../abi/errno.js';
import { O_CLOEXEC, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_RDONLY, RESOLVE_BENEATH, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS, S_IFMT, S_IFREG } from '../abi/flags.js';
import { WH_OPAQUE, WH_PREFIX } from '../fs/layers/merge.js';
import { AT_SYMLINK_NOFOLLOW, close, fstat, openat2, readAll, statAt } from '../platform/host.js';
import { ImageError } from './errors.js';

export interface ImageConfig {
  os: string;
  architecture: string;
  entrypoint: string[];
  cmd: string[];
  /** K=V strings, as the config has them. */
  env: string[];
  workingDir: string;
  user: string;
  /** sha256 of each layer's uncompressed tar, bottom first (may be empty). */
  diffIds: string[];
}

function strings(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ImageError(`${where}: expected an array of strings`);
  return v as string[];
}

function str(v: unknown, where: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new ImageError(`${where}: expected a string`);
  return v;
}

/** The fields of an image config blob that tsvisor uses, checked. */
export function parseImageConfig(blob: Record<string, unknown>, where: string): ImageConfig {
  const c = blob.config ?? {};
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new ImageError(`${where}: config: expected an object`);
  const cfg = c as Record<string, unknown>;
  const rootfs = blob.rootfs as Record<string, unknown> | undefined;
  return {
    os: str(blob.os, `${where}: os`),
    architecture: str(blob.architecture, `${where}: architecture`),
    entrypoint: strings(cfg.Entrypoint, `${where}: config.Entrypoint`),
    cmd: strings(cfg.Cmd, `${where}: config.Cmd`),
    env: strings(cfg.Env, `${where}: config.Env`),
    workingDir: str(cfg.WorkingDir, `${where}: config.WorkingDir`),
    user: str(cfg.User, `${where}: config.User`),
    diffIds: typeof rootfs === 'object' && rootfs !== null ? strings(rootfs.diff_ids, `${where}: rootfs.diff_ids`) : [],
  };
}

const RESOLVE = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;

function exists(dfd: number, name: string): boolean {
  return typeof statAt(dfd, name, AT_SYMLINK_NOFOLLOW) !== 'number';
}

/**
 * A file of the stacked layers (host dirs, bottom first), as the sandbox
 * would see it: whiteouts and opaque directories honoured, never following
 * a symlink (a symlinked /etc/passwd counts as absent). Null when absent.
 */
export function readLayeredFile(layers: string[], path: string, max = 1 << 20): Buffer | null {
  const parts = path.split('/').filter((c) => c);
  for (let i = layers.length - 1; i >= 0; i--) {
    const root = openat2(-100, layers[i]!, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0);
    if (root < 0) throw new ImageError(`layer ${layers[i]}: cannot open`);
    let cur = root;
    let opaque = false;
    try {
      let missing = false;
      // A whiteout hides the name in the layers below only: an entry of the
      // same layer next to its whiteout stays.
      for (let k = 0; k < parts.length - 1; k++) {
        const whited = exists(cur, WH_PREFIX + parts[k]!);
        const next = openat2(cur, parts[k]!, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
        if (next === -E.ENOENT) {
          if (whited) return null;
          missing = true;
          break;
        }
        // A file or symlink hides the directory below.
        if (next < 0) return null;
        if (cur !== root) close(cur);
        cur = next;
        if (whited || exists(cur, WH_OPAQUE)) opaque = true;
      }
      if (!missing) {
        const name = parts[parts.length - 1]!;
        const fd = openat2(cur, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
        if (fd >= 0) {
          try {
            const st = fstat(fd);
            if (typeof st === 'number' || (st.mode & S_IFMT) !== S_IFREG) return null;
            const b = readAll(fd, max);
            return typeof b === 'number' ? null : b;
          } finally {
            close(fd);
          }
        }
        if (fd !== -E.ENOENT || exists(cur, WH_PREFIX + name)) return null;
      }
      if (opaque) return null;
    } finally {
      if (cur !== root) close(cur);
      close(root);
    }
  }
  return null;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

function parseDb(b: Buffer | null): string[][] {
  if (!b) return [];
  return b
    .toString('latin1')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

function idOf(s: string | undefined): number | null {
  return s !== undefined && /^\d+$/.test(s) && Number(s) <= 0xfffffffe ? Number(s) : null;
}

export interface ResolvedUser {
  uid: number;
  gid: number;
  /** The home directory from /etc/passwd, when the user is listed there. */
  home?: string;
}

/**
 * `user` as the image config or `--user` gives it: "", "uid", "uid:gid",
 * "name", "name:group" and mixes. Names are looked up in the layers'
 * /etc/passwd and /etc/group; a user without a group gets its passwd group,
 * or 0 when it is not listed (as docker does). `what` names the source in errors.
 */
export function resolveUser(layers: string[], spec: string, what: string): ResolvedUser {
  const user = spec === '' ? '0' : spec;
  const i = user.indexOf(':');
  const u = i < 0 ? user : user.slice(0, i);
  const g = i < 0 ? undefined : user.slice(i + 1);
  if (u === '' || g === '') throw new ImageError(`${what} "${user}": expected USER[:GROUP]`);
  let passwd: PasswdEntry[] | null = null;
  const users = (): PasswdEntry[] =>
    (passwd ??= parseDb(readLayeredFile(layers, 'etc/passwd'))
      .filter((f) => f.length >= 4 && idOf(f[2]) !== null && idOf(f[3]) !== null)
      .map((f) => ({ name: f[0]!, uid: idOf(f[2])!, gid: idOf(f[3])!, home: f[5] ?? '' })));
  let uid = idOf(u);
  let entry: PasswdEntry | undefined;
  if (uid === null) {
    entry = users().find((p) => p.name === u);
    if (!entry) throw new ImageError(`${what} "${user}": no user "${u}" in the image's /etc/passwd`);
    uid = entry.uid;
  } else {
    entry = users().find((p) => p.uid === uid);
  }
  let gid: number | null;
  if (g === undefined) gid = entry ? entry.gid : 0;
  else {
    gid = idOf(g);
    if (gid === null) {
      const grp = parseDb(readLayeredFile(layers, 'etc/group')).find((f) => f[0] === g && idOf(f[2]) !== null);
      if (!grp) throw new ImageError(`${what} "${user}": no group "${g}" in the image's /etc/group`);
      gid = idOf(grp[2])!;
    }
  }
  return { uid, gid, ...(entry?.home ? { home: entry.home } : {}) };
}
