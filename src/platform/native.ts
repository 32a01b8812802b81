// The TypeScript face of the native addon (native/addon). Nothing outside
// src/platform imports this file: the layers above talk to Platform.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SpawnSpec {
  path: string;
  argv: string[];
  envp: string[];
  stdio: [number, number, number];
  loaderFd: number;
  loaderSlot: number;
  initVtid: number;
  filter: Uint8Array;
  restartNoIntr: Uint8Array;
  namespaces: boolean;
}

/** Opaque handle of one native sandbox. */
export type NativeSandbox = { readonly __brand: 'NativeSandbox' };

export interface NativeAddon {
  createSandbox(
    trapBuf: Int32Array,
    onTrap: () => number,
    onEvent: (type: number, tid: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number) => void,
  ): NativeSandbox;
  spawn(sb: NativeSandbox, spec: SpawnSpec): number;
  answer(sb: NativeSandbox, a: number, b?: number, c?: number, d?: number): void;
  dispose(sb: NativeSandbox): void;

  notifReply(lfd: number, idLo: number, idHi: number, val: number): number;
  notifContinue(lfd: number, idLo: number, idHi: number): number;
  notifAddFd(lfd: number, idLo: number, idHi: number, srcFd: number, newFd: number, cloexec: boolean, send: boolean): number;
  notifIdValid(lfd: number, idLo: number, idHi: number): boolean;

  memRead(pid: number, addr: number, buf: Uint8Array, off: number, len: number): number;
  memWrite(pid: number, addr: number, buf: Uint8Array, off: number, len: number): number;
  memReadString(pid: number, addr: number, max: number): string | number;
  memReadStringArray(pid: number, addr: number, maxCount: number, maxBytes: number): string[] | number;

  openat2(dirfd: number, path: string, flags: number, mode: number, resolve: number): number;
  statx(dirfd: number, path: string, flags: number, out: Float64Array): number;
  getdents64(fd: number, buf: Uint8Array): number;
  readlinkat(dirfd: number, path: string): string | number;
  memfdCreate(name: string, flags: number): number;
  close(fd: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
  fcntlLock(fd: number, cmd: number, flock: Uint8Array): number;
  pipe2(flags: number): [number, number] | number;
  pread(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number;
  pwrite(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number;
  ftruncate(fd: number, len: number): number;
  lseek(fd: number, off: number, whence: number): number;
  copyAll(inFd: number, outFd: number, len: number): number;
  tgkill(tgid: number, tid: number, sig: number): number;
  kill(pid: number, sig: number): number;
  getrlimit(resource: number): [number, number] | number;
  setrlimit(resource: number, soft: number, hard: number): number;
  isatty(fd: number): boolean;
  ioctlBuf(fd: number, req: number, buf: Uint8Array): number;
  ioctlArg(fd: number, req: number, arg: number): number;
  getpid(): number;
  sigqueue(tgid: number, tid: number, sig: number, info: Uint8Array): number;
  prlimit(pid: number, resource: number, soft: number, hard: number): number;
  epollCreate1(flags: number): number;
  eventfd2(initval: number, flags: number): number;
  timerfdCreate(clockid: number, flags: number): number;
  schedAffinity(set: boolean, hostTid: number, buf: Uint8Array): number;
  priority(hostTid: number, nice?: number): number;
  signalfd4(fd: number, mask: Uint8Array, flags: number): number;
  send(fd: number, buf: Uint8Array, off: number, len: number): number;
  setsockoptInt(fd: number, level: number, name: number, value: number): number;
  readable(fd: number): number;

  mkdirat(dirfd: number, name: string, mode: number): number;
  mknodat(dirfd: number, name: string, mode: number, dev: number): number;
  unlinkat(dirfd: number, name: string, flags: number): number;
  renameat2(olddirfd: number, oldname: string, newdirfd: number, newname: string, flags: number): number;
  symlinkat(target: string, dirfd: number, name: string): number;
  linkat(olddirfd: number, oldname: string, newdirfd: number, newname: string): number;
  fchmodat(dirfd: number, name: string, mode: number): number;
  fchmod(fd: number, mode: number): number;
  fchownat(dirfd: number, name: string, uid: number, gid: number): number;
  utimensat(dirfd: number, name: string, aSec: number, aNsec: number, mSec: number, mNsec: number): number;
  fstatfs(fd: number, out: Float64Array): number;
  xattrGet(fd: number, attr: string, buf: Uint8Array): number;
  xattrSet(fd: number, attr: string, value: Uint8Array, flags: number): number;
  xattrRemove(fd: number, attr: string): number;
  tmpfsMount(size: number): number;
  tmpfsResize(mountFd: number, size: number): number;
  ptyOpen(unlock: boolean): [number, number] | number;
  ptyPeer(masterFd: number, flags: number): number;
  setpgid(pid: number, pgid: number): number;

  // sockets (native/addon/net.cc)
  socket(domain: number, type: number, proto: number): number;
  socketpair(domain: number, type: number, proto: number): [number, number] | number;
  bind(fd: number, addr: Uint8Array): number;
  connect(fd: number, addr: Uint8Array): number;
  listen(fd: number, backlog: number): number;
  accept4(fd: number, flags: number): number;
  shutdown(fd: number, how: number): number;
  getsockname(fd: number, out: Uint8Array): number;
  getpeername(fd: number, out: Uint8Array): number;
  getsockopt(fd: number, level: number, name: number, out: Uint8Array): number;
  setsockopt(fd: number, level: number, name: number, val: Uint8Array): number;
  sendmsg(fd: number, data: Uint8Array, addr: Uint8Array | null, fds: Int32Array | null, flags: number): number;
  recvmsg(fd: number, buf: Uint8Array, flags: number, addr: Uint8Array, meta: Int32Array): number;
  kcmpFile(fd1: number, fd2: number): number;
  watchInit(cb: (id: number, events: number) => void): number;
  watch(fd: number, events: number, id: number): number;
  unwatch(fd: number): number;
}

/** The package root: where binding.gyp and build/ live. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'binding.gyp'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('tsvisor: cannot find the package root (binding.gyp)');
}

let cached: NativeAddon | undefined;

export function native(): NativeAddon {
  if (cached) return cached;
  const root = packageRoot();
  const path = join(root, 'build', 'Release', 'tsvisor.node');
  if (!existsSync(path)) throw new Error(`tsvisor: native addon missing at ${path} — run "npm install" (needs g++ and make)`);
  cached = createRequire(import.meta.url)(path) as NativeAddon;
  return cached;
}

export function loaderPath(): string {
  return join(packageRoot(), 'build', 'Release', 'tsvisor-loader');
}
