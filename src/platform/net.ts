// Host socket primitives for the network layer (src/net), and a readiness
// watcher for sockets the sentry shares with a guest. All return a value or
// -errno; none blocks.
import { native } from './native.js';

const N = native();

export const AF_UNIX = 1;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_SEQPACKET = 5;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;
export const EPOLLIN = 0x1;
export const EPOLLOUT = 0x4;
export const EPOLLERR = 0x8;
export const EPOLLHUP = 0x10;

export const hostSocket = (domain: number, type: number, proto: number): number => N.socket(domain, type, proto);
export const hostSocketpair = (domain: number, type: number, proto: number): [number, number] | number => N.socketpair(domain, type, proto);
export const hostBind = (fd: number, addr: Uint8Array): number => N.bind(fd, addr);
export const hostConnect = (fd: number, addr: Uint8Array): number => N.connect(fd, addr);
export const hostListen = (fd: number, backlog: number): number => N.listen(fd, backlog);
export const hostAccept = (fd: number, flags: number): number => N.accept4(fd, flags);
export const hostShutdown = (fd: number, how: number): number => N.shutdown(fd, how);
export const hostGetsockname = (fd: number, out: Uint8Array): number => N.getsockname(fd, out);
export const hostGetpeername = (fd: number, out: Uint8Array): number => N.getpeername(fd, out);
export const hostGetsockopt = (fd: number, level: number, name: number, out: Uint8Array): number => N.getsockopt(fd, level, name, out);
export const hostSetsockopt = (fd: number, level: number, name: number, val: Uint8Array): number => N.setsockopt(fd, level, name, val);
export const hostSendmsg = (fd: number, data: Uint8Array, addr: Uint8Array | null, fds: Int32Array | null, flags: number): number =>
  N.sendmsg(fd, data, addr, fds, flags);
/**
 * recvmsg into `buf`; the source address lands in `addr`; `meta` (Int32Array of
 * 8 + room for fds): [0] address length, [1] msg_flags, [2] fds received (from
 * [8]), [3] credentials present, [4] pid, [5] uid, [6] gid.
 */
export const hostRecvmsg = (fd: number, buf: Uint8Array, flags: number, addr: Uint8Array, meta: Int32Array): number =>
  N.recvmsg(fd, buf, flags, addr, meta);
/** 0 when both of our fds name one open file description. */
export const sameFile = (a: number, b: number): boolean => N.kcmpFile(a, b) === 0;

export function hostSetsockoptInt(fd: number, level: number, name: number, v: number): number {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v, 0);
  return N.setsockopt(fd, level, name, b);
}

export function hostGetsockoptInt(fd: number, level: number, name: number): number {
  const b = Buffer.alloc(4);
  const r = N.getsockopt(fd, level, name, b);
  return r < 0 ? r : b.readInt32LE(0);
}

/** An abstract unix address: "" asks the kernel for one (autobind). */
export function abstractAddr(name: string): Buffer {
  if (name === '') {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(AF_UNIX, 0);
    return b;
  }
  const b = Buffer.alloc(3 + name.length);
  b.writeUInt16LE(AF_UNIX, 0);
  b[2] = 0;
  b.write(name, 3, 'latin1');
  return b;
}

/** The abstract name a host unix socket is bound to ("" when unnamed). */
export function boundName(fd: number): string | number {
  const b = Buffer.alloc(110);
  const n = N.getsockname(fd, b);
  if (n < 0) return n;
  if (n <= 3 || b[2] !== 0) return '';
  return b.toString('latin1', 3, n);
}

// ---- readiness ----

type Waiter = (events: number) => void;
/** Waiters by fd (the fd is the registration's id: unique while open). */
const waiting = new Map<number, { events: number; cbs: Set<Waiter> }>();
let inited = false;

/**
 * Calls `cb` once when `fd` is ready for `events` (EPOLLIN/EPOLLOUT; errors
 * and hang-ups always count). Returns a cancel function. The fd must stay
 * open until the callback ran or cancel was called.
 */
export function whenReady(fd: number, events: number, cb: Waiter): () => void {
  if (!inited) {
    const r = N.watchInit((fd, ev) => {
      const w = waiting.get(fd);
      if (!w) return;
      waiting.delete(fd);
      N.unwatch(fd);
      for (const f of w.cbs) f(ev);
    });
    if (r < 0) throw new Error(`tsvisor: readiness watcher: errno ${-r}`);
    inited = true;
  }
  let w = waiting.get(fd);
  if (!w) waiting.set(fd, (w = { events: 0, cbs: new Set() }));
  w.events |= events;
  w.cbs.add(cb);
  const r = N.watch(fd, w.events, fd);
  if (r < 0) {
    // Not pollable: report it as ready so the caller retries and sees the error.
    w.cbs.delete(cb);
    if (!w.cbs.size) waiting.delete(fd);
    const t = setImmediate(() => cb(EPOLLERR));
    return () => clearImmediate(t);
  }
  const entry = w;
  return () => {
    if (!entry.cbs.delete(cb)) return;
    if (entry.cbs.size === 0 && waiting.get(fd) === entry) {
      waiting.delete(fd);
      N.unwatch(fd);
    }
  };
}
