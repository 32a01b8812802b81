// The state directory (--root): one directory per container, mode 0700,
// holding state.json (what `state` reports beyond the status), the sentry's
// control socket ctl.sock (0600) and a lock file. A container is "stopped"
// once its sentry is gone (its pid dead, or reused: the start time differs).
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fcntlLock } from '../platform/host.js';
import { request } from './control.js';

export type Status = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export interface StateFile {
  ociVersion: string;
  id: string;
  bundle: string;
  rootfs: string;
  /** The sentry's pid (what --pid-file holds; it exits with the container's status). */
  pid: number;
  /** Its start time (field 22 of /proc/PID/stat): a reused pid is not ours. */
  pidStart: string;
  created: string;
  owner: string;
  annotations: Record<string, string>;
  /** Poststop hooks to run at delete (JSON of the config's hooks.poststop). */
  poststop?: unknown;
}

export class StateError extends Error {}

/** The default --root: /run/tsvisor for root, else $XDG_RUNTIME_DIR/tsvisor (or /tmp/tsvisor-UID). */
export function defaultRoot(): string {
  if (process.getuid?.() === 0) return '/run/tsvisor';
  const xdg = process.env.XDG_RUNTIME_DIR;
  return xdg ? join(xdg, 'tsvisor') : `/tmp/tsvisor-${process.getuid?.() ?? 0}`;
}

export function checkId(id: string | undefined): string {
  if (!id) throw new StateError('container id cannot be empty');
  if (!/^[\w+.-]+$/.test(id) || id === '.' || id === '..') throw new StateError(`invalid container id format: ${id}`);
  return id;
}

export class StateDir {
  constructor(readonly root: string) {}

  dir(id: string): string {
    return join(this.root, id);
  }

  sock(id: string): string {
    return join(this.dir(id), 'ctl.sock');
  }

  /** Makes the container's directory; refuses an existing one. */
  claim(id: string): string {
    mkdirSync(this.root, { recursive: true, mode: 0o711 });
    const d = this.dir(id);
    try {
      mkdirSync(d, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new StateError(`container with id ${id} already exists`);
      throw e;
    }
    return d;
  }

  exists(id: string): boolean {
    return existsSync(join(this.dir(id), 'state.json'));
  }

  read(id: string): StateFile {
    let text: string;
    try {
      text = readFileSync(join(this.dir(id), 'state.json'), 'utf8');
    } catch {
      throw new StateError(`container ${id} does not exist`);
    }
    return JSON.parse(text) as StateFile;
  }

  write(s: StateFile): void {
    const d = this.dir(s.id);
    writeFileSync(join(d, 'state.json.tmp'), JSON.stringify(s), { mode: 0o600 });
    renameSync(join(d, 'state.json.tmp'), join(d, 'state.json'));
  }

  remove(id: string): void {
    rmSync(this.dir(id), { recursive: true, force: true });
  }

  ids(): string[] {
    try {
      return readdirSync(this.root).filter((n) => existsSync(join(this.root, n, 'state.json')));
    } catch {
      return [];
    }
  }

  /** The container's status now: asks its sentry, or finds it gone. */
  status(s: StateFile): Status {
    if (!sentryAlive(s)) return 'stopped';
    const r = request(this.sock(s.id), { op: 'state' });
    if (!r) return sentryAlive(s) ? 'creating' : 'stopped';
    const st = r.status;
    return st === 'created' || st === 'running' || st === 'paused' ? st : 'stopped';
  }

  /**
   * Holds the container's lock (an open file description lock on
   * ID/lock) until `release`: commands that change a container run one at
   * a time.
   */
  lock(id: string): () => void {
    let fd: number;
    try {
      fd = openSync(join(this.dir(id), 'lock'), 'a', 0o600);
    } catch {
      throw new StateError(`container ${id} does not exist`);
    }
    const fl = new Uint8Array(32); // struct flock: l_type F_WRLCK, whole file
    fl[0] = 1;
    fcntlLock(fd, 38 /* F_OFD_SETLKW */, fl);
    return () => closeSync(fd);
  }
}

/** Field 22 of /proc/PID/stat (start time), or null when the process is gone. */
export function startTime(pid: number): string | null {
  try {
    const t = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = t.slice(t.lastIndexOf(')') + 2).split(' ');
    if (f[0] === 'Z' || f[0] === 'X') return null; // exited, not reaped yet
    return f[19] ?? null;
  } catch {
    return null;
  }
}

export function sentryAlive(s: StateFile): boolean {
  return s.pid > 0 && startTime(s.pid) === s.pidStart;
}
