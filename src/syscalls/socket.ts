// Sockets: the sentry decodes every address, resolves it in the sandbox's own
// network (src/net) and plumbs host AF_UNIX sockets accordingly; the bytes of
// a connection then move between the guests' host sockets without the
// sentry. What the host would get wrong is done here: names and addresses,
// descriptors passed with SCM_RIGHTS (the sentry finds which of its files
// each received descriptor is and installs it in both of the receiver's fd
// tables), credentials (virtual pids and ids), and waits the sentry must
// hold (accept, trapped receives) as deferred calls that signals interrupt.
import { E } from '../abi/errno.js';
import { O_NONBLOCK, O_RDWR, F_GETFL, F_SETFL, S_IFSOCK, AT_FDCWD } from '../abi/flags.js';
import { Sig } from '../abi/signals.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import {
  AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, AF_UNSPEC, decodeInet, decodeUnix, encodeInet, encodeUnix, type InetAddr, isAny, isLoopback,
  isV4, LOOP4, LOOP6, type UnixAddr,
} from '../net/addr.js';
import * as netlink from '../net/netlink.js';
import { connectOutbound, udpOutbound } from '../net/outbound.js';
import { type PeerCred, Socket, SocketInode, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM } from '../net/socket.js';
import { type NetStack, netOf, withNonblock } from '../net/stack.js';
import { close, fcntl, fstat, hostPid } from '../platform/host.js';
import {
  abstractAddr, EPOLLIN, EPOLLOUT, hostConnect, hostGetsockopt, hostGetsockoptInt, hostRecvmsg, hostSendmsg, hostSetsockopt, hostShutdown,
  hostSocket, hostSocketpair, MSG_DONTWAIT, MSG_NOSIGNAL, sameFile, SOCK_CLOEXEC, SOCK_NONBLOCK, whenReady,
} from '../platform/net.js';
import type { NotifId, Platform } from '../platform/platform.js';
import { CONTINUE, DEFER, REPLIED } from '../platform/trap-abi.js';
import { OpenFile } from '../vfs/file.js';
import { walk, walkParent } from '../vfs/namei.js';
import { MAY_EXEC, MAY_WRITE, permission } from '../vfs/perm.js';
import type { Call } from './call.js';
import { fdEntry, fdLimit, installAndReply, installAt, startDir } from './common.js';
import type { SyscallFamily } from './types.js';

const SOCK_TYPE_MASK = 0xf;
const SOCK_FLAGS = SOCK_NONBLOCK | SOCK_CLOEXEC;
const PF_UNIX = 1;
const IPPROTO_IP = 0;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_IPV6 = 41;
const IPPROTO_ICMPV6 = 58;
const SOL_SOCKET = 1;
const SOL_NETLINK = 270;

const MSG_OOB = 0x1;
const MSG_PEEK = 0x2;
const MSG_CTRUNC = 0x8;
const MSG_TRUNC = 0x20;
const MSG_EOR = 0x80;
const MSG_WAITALL = 0x100;
const MSG_ERRQUEUE = 0x2000;
const MSG_MORE = 0x8000;
const MSG_WAITFORONE = 0x10000;
const MSG_CMSG_CLOEXEC = 0x40000000;

const SCM_RIGHTS = 1;
const SCM_CREDENTIALS = 2;
const SCM_MAX_FD = 253;

const SO_REUSEADDR = 2;
const SO_TYPE = 3;
const SO_ERROR = 4;
const SO_KEEPALIVE = 9;
const SO_REUSEPORT = 15;
const SO_PASSCRED = 16;
const SO_PEERCRED = 17;
const SO_RCVTIMEO_OLD = 20;
const SO_SNDTIMEO_OLD = 21;
const SO_BINDTODEVICE = 25;
const SO_ACCEPTCONN = 30;
const SO_PEERSEC = 31;
const SO_PROTOCOL = 38;
const SO_DOMAIN = 39;
const SO_PEERGROUPS = 59;

const TCP_NODELAY = 1;
const TCP_MAXSEG = 2;
const TCP_KEEPIDLE = 4;
const TCP_KEEPINTVL = 5;
const TCP_KEEPCNT = 6;
const TCP_SYNCNT = 7;
const TCP_INFO = 11;
const TCP_CONGESTION = 13;
const IPV6_V6ONLY = 26;
const IP_TTL = 2;
const IPV6_UNICAST_HOPS = 16;

const MSGHDR = 56;
const MMSGHDR = 64;
const MAX_IO = 16 << 20;
const IOV_MAX = 1024;
/** User addresses on x86_64 are below 2^47. */
const USER_TOP = 2 ** 47;
/** Retries of a wait nothing can be polled for (a full listener queue, a full datagram queue). */
const RETRY_MS = 5;

// ---- guest memory, usable after the trap too (deferred calls) ----

class Guest {
  constructor(
    readonly pf: Platform,
    readonly task: Task,
  ) {}

  read(addr: number, len: number): Buffer | number {
    if (len === 0) return Buffer.alloc(0);
    if (addr === 0 || addr >= USER_TOP || addr + len > USER_TOP) return -E.EFAULT;
    const b = Buffer.allocUnsafe(len);
    return this.pf.read(this.task.hostTid, addr, b, 0, len) === len ? b : -E.EFAULT;
  }

  write(addr: number, data: Uint8Array): number {
    if (data.length === 0) return 0;
    if (addr === 0 || addr >= USER_TOP || addr + data.length > USER_TOP) return -E.EFAULT;
    return this.pf.write(this.task.hostTid, addr, data, 0, data.length) === data.length ? 0 : -E.EFAULT;
  }

  readI32(addr: number): number | null {
    const b = this.read(addr, 4);
    return typeof b === 'number' ? null : b.readInt32LE(0);
  }

  writeI32(addr: number, v: number): number {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v | 0, 0);
    return this.write(addr, b);
  }
}

type Iov = [number, number][];

function readIov(g: Guest, addr: number, count: number): Iov | number {
  if (count < 0 || count > IOV_MAX) return -E.EMSGSIZE;
  const b = g.read(addr, count * 16);
  if (typeof b === 'number') return b;
  const out: Iov = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const base = Number(b.readBigUInt64LE(16 * i));
    const len = Number(b.readBigUInt64LE(16 * i + 8));
    if (len > 0x7fffffff) return -E.EINVAL;
    total += len;
    if (len) out.push([base, len]);
  }
  return total > 0x7fffffff ? -E.EINVAL : out;
}

function iovTotal(iov: Iov): number {
  let t = 0;
  for (const [, l] of iov) t += l;
  return t;
}

/** The iovec list after skipping `skip` bytes. */
function iovSkip(iov: Iov, skip: number): Iov {
  const out: Iov = [];
  for (const [b, l] of iov) {
    if (skip >= l) {
      skip -= l;
      continue;
    }
    out.push([b + skip, l - skip]);
    skip = 0;
  }
  return out;
}

function gather(g: Guest, iov: Iov, max: number): Buffer | number {
  const parts: Buffer[] = [];
  let n = 0;
  for (const [b, l] of iov) {
    if (n >= max) break;
    const take = Math.min(l, max - n);
    const d = g.read(b, take);
    if (typeof d === 'number') return d;
    parts.push(d);
    n += take;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function scatter(g: Guest, iov: Iov, data: Buffer): number {
  let off = 0;
  for (const [b, l] of iov) {
    if (off >= data.length) break;
    const take = Math.min(l, data.length - off);
    const r = g.write(b, data.subarray(off, off + take));
    if (r < 0) return r;
    off += take;
  }
  return 0;
}

// ---- sockets of the caller ----

interface SockFile {
  file: OpenFile;
  s: Socket;
}

function sockOf(c: Call, fd: number): SockFile | number {
  const e = fdEntry(c, fd);
  if (typeof e === 'number') return e;
  const f = e.file;
  if (f.kind !== 'socket' || !(f.inode instanceof SocketInode)) return f.kind === 'special' ? -E.EBADF : -E.ENOTSOCK;
  return { file: f, s: f.inode.sock };
}

function credOf(t: Task): PeerCred {
  return { pid: t.group.tgid, uid: t.creds.euid, gid: t.creds.egid };
}

function nonblocking(file: OpenFile, flags: number): boolean {
  return (file.flags & O_NONBLOCK) !== 0 || (flags & MSG_DONTWAIT) !== 0;
}

function fileFor(stack: NetStack, s: Socket, nonblock: boolean): OpenFile {
  stack.add(s);
  const inode = new SocketInode(s, (x) => stack.remove(x));
  const st = fstat(s.hostFd);
  const label = `socket:[${typeof st === 'number' ? 0 : st.ino}]`;
  return new OpenFile(null, inode, O_RDWR | (nonblock ? O_NONBLOCK : 0), s.hostFd, 'socket', label);
}

/** A timeout option (SO_RCVTIMEO/SO_SNDTIMEO) of the host socket, in ms (0: none). */
function timeoutOf(s: Socket, name: number): number {
  const b = Buffer.alloc(16);
  const r = hostGetsockopt(s.hostFd, SOL_SOCKET, name, b);
  if (r < 16) return 0;
  return Number(b.readBigInt64LE(0)) * 1000 + Math.ceil(Number(b.readBigInt64LE(8)) / 1000);
}

// ---- waiting ----

type Outcome = number | null | { sent: number };

/**
 * Holds the call until `attempt` decides (null: keep waiting). It is retried
 * when `fd` is ready for `events` (or every RETRY_MS when fd < 0), answered
 * with `onTimeout` after `timeoutMs`, and ended with ERESTARTSYS by a signal
 * (the kernel's deferred-call registry).
 */
function park(c: Call, fd: number, events: number, timeoutMs: number, onTimeout: number, attempt: (id: NotifId) => Outcome): number {
  const id = c.id();
  const task = c.task;
  const pf = c.pf;
  const kernel = c.kernel;
  let done = false;
  let cancelWatch = (): void => {};
  let timer: NodeJS.Timeout | null = null;
  const stop = (): void => {
    done = true;
    cancelWatch();
    if (timer) clearTimeout(timer);
  };
  const finish = (r: number | { sent: number }): void => {
    stop();
    if (typeof r === 'number') pf.reply(id, r);
    kernel.finishDeferred(task, typeof r === 'number' ? r : r.sent);
  };
  const arm = (): void => {
    if (fd >= 0) cancelWatch = whenReady(fd, events, go);
    else {
      const t = setTimeout(go, RETRY_MS);
      cancelWatch = () => clearTimeout(t);
    }
  };
  const go = (): void => {
    if (done) return;
    if (task.dead || !pf.idValid(id)) {
      stop();
      kernel.finishDeferred(task);
      return;
    }
    const r = attempt(id);
    if (r === null) arm();
    else finish(r);
  };
  arm();
  if (timeoutMs > 0) timer = setTimeout(() => !done && finish(onTimeout), timeoutMs);
  kernel.deferCall(task, id, c.nr, stop);
  return DEFER;
}

// ---- socket, socketpair ----

/** The type argument of socket/socketpair without its flags, or -errno for flags, type or protocol Linux refuses. */
function socketType(domain: number, raw: number, protocol: number): number {
  if (raw & ~(SOCK_TYPE_MASK | SOCK_FLAGS)) return -E.EINVAL;
  const type = raw & SOCK_TYPE_MASK;
  const ok = checkType(domain, type, protocol);
  return ok < 0 ? ok : type;
}

function checkType(domain: number, type: number, protocol: number): number {
  switch (domain) {
    case AF_UNIX:
      if (type !== SOCK_STREAM && type !== SOCK_DGRAM && type !== SOCK_SEQPACKET && type !== SOCK_RAW) return -E.ESOCKTNOSUPPORT;
      if (protocol !== 0 && protocol !== PF_UNIX) return -E.EPROTONOSUPPORT;
      return 0;
    case AF_INET:
    case AF_INET6:
      if (type === SOCK_STREAM) return protocol === 0 || protocol === IPPROTO_TCP ? 0 : -E.EPROTONOSUPPORT;
      if (type === SOCK_DGRAM) {
        if (protocol === IPPROTO_ICMP || protocol === IPPROTO_ICMPV6) return -E.EACCES; // ping sockets: ping_group_range is "1 0"
        return protocol === 0 || protocol === IPPROTO_UDP ? 0 : -E.EPROTONOSUPPORT;
      }
      if (type === SOCK_RAW) return -E.EPERM;
      return -E.ESOCKTNOSUPPORT;
    case AF_NETLINK:
      if (type !== SOCK_RAW && type !== SOCK_DGRAM) return -E.ESOCKTNOSUPPORT;
      return protocol === 0 ? 0 : -E.EPROTONOSUPPORT; // NETLINK_ROUTE only
    default:
      return -E.EAFNOSUPPORT;
  }
}

/** The host socket type that carries a guest socket's bytes. */
function hostType(domain: number, type: number): number {
  if (domain === AF_NETLINK) return SOCK_DGRAM;
  if (type === SOCK_RAW) return SOCK_DGRAM;
  return type;
}

function sysSocket(c: Call): number {
  const domain = c.int(0);
  const raw = c.int(1);
  const protocol = c.int(2);
  const type = socketType(domain, raw, protocol);
  if (type < 0) return type;
  const nonblock = (raw & SOCK_NONBLOCK) !== 0;
  const stack = netOf(c.kernel);
  const guestType = domain === AF_UNIX && type === SOCK_RAW ? SOCK_DGRAM : type;
  let s: Socket;
  if (domain === AF_NETLINK) {
    const p = hostSocketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (typeof p === 'number') return p;
    if (nonblock) fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL, 0) | O_NONBLOCK);
    fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL, 0) | O_NONBLOCK);
    s = new Socket(domain, type, protocol, p[0]);
    s.nlFd = p[1];
    netlink.serve(stack, s);
  } else {
    const fd = hostSocket(AF_UNIX, hostType(domain, guestType) | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) return fd;
    s = new Socket(domain, guestType, domain === AF_UNIX ? 0 : protocol || (guestType === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP), fd);
  }
  return installAndReply(c, fileFor(stack, s, nonblock), (raw & SOCK_CLOEXEC) !== 0);
}

function sysSocketpair(c: Call): number {
  const domain = c.int(0);
  const raw = c.int(1);
  const protocol = c.int(2);
  const type = socketType(domain, raw, protocol);
  if (type < 0) return type;
  if (domain !== AF_UNIX) return -E.EOPNOTSUPP;
  const guestType = type === SOCK_RAW ? SOCK_DGRAM : type;
  const nonblock = (raw & SOCK_NONBLOCK) !== 0;
  const p = hostSocketpair(AF_UNIX, guestType | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
  if (typeof p === 'number') return p;
  const stack = netOf(c.kernel);
  const a = new Socket(AF_UNIX, guestType, 0, p[0]);
  const b = new Socket(AF_UNIX, guestType, 0, p[1]);
  const cred = credOf(c.task);
  for (const [x, y] of [[a, b], [b, a]] as const) {
    x.state = 'connected';
    x.peer = y;
    x.peerCred = cred;
    x.unixLocal = { kind: 'unnamed' };
    x.unixPeer = { kind: 'unnamed' };
  }
  const fa = fileFor(stack, a, nonblock);
  const fb = fileFor(stack, b, nonblock);
  const cloexec = (raw & SOCK_CLOEXEC) !== 0;
  const files = c.task.files;
  const limit = fdLimit(c);
  const fd0 = files.alloc(0, limit);
  const fd1 = fd0 < 0 ? fd0 : files.alloc(fd0 + 1, limit, 1);
  if (fd0 < 0 || fd1 < 0) {
    fa.unref();
    fb.unref();
    return fd0 < 0 ? fd0 : fd1;
  }
  const r0 = installAt(c, fa, fd0, cloexec);
  if (r0 < 0) {
    fa.unref();
    fb.unref();
    return r0;
  }
  const r1 = installAt(c, fb, fd1, cloexec);
  if (r1 < 0) {
    fb.unref();
    return r1;
  }
  const out = c.out(8);
  out.writeInt32LE(fd0, 0);
  out.writeInt32LE(fd1, 4);
  return c.write(c.ptr(3), out);
}

// ---- addresses ----

function readAddr(c: Call, ptr: number, len: number): Buffer | number {
  if (len < 0 || len > 128) return -E.EINVAL;
  if (len === 0) return Buffer.alloc(0);
  return c.readCopy(ptr, len);
}

/** What getsockname/getpeername/accept/recvfrom write for an address of `s`'s family. */
function encodeFor(s: Socket, a: InetAddr | UnixAddr | null): Buffer {
  if (s.isUnix) return encodeUnix(a as UnixAddr | null);
  if (s.isNetlink) {
    const b = Buffer.alloc(12);
    b.writeUInt16LE(AF_NETLINK, 0);
    return b;
  }
  return encodeInet(a as InetAddr | null, s.family);
}

/** Writes an address to (addr, *addrlen) as the kernel's move_addr_to_user does. */
function writeAddr(g: Guest, addr: number, lenPtr: number, data: Buffer): number {
  if (addr === 0 || lenPtr === 0) return 0;
  const have = g.readI32(lenPtr);
  if (have === null) return -E.EFAULT;
  if (have < 0) return -E.EINVAL;
  const r = g.write(addr, data.subarray(0, Math.min(have, data.length)));
  if (r < 0) return r;
  return g.writeI32(lenPtr, data.length);
}

function inodeKey(st: { dev: number; ino: number }): string {
  return `${st.dev}:${st.ino}`;
}

/** The socket a unix address names in this sandbox (connect, sendto). */
function unixTarget(c: Call, stack: NetStack, a: UnixAddr): Socket | number {
  if (a.kind === 'unnamed') return -E.EINVAL;
  if (a.kind === 'abstract') return stack.abstract.get(a.name) ?? -E.ECONNREFUSED;
  if (a.path === '') return -E.ENOENT;
  const start = startDir(c, AT_FDCWD, a.path);
  if (typeof start === 'number') return start;
  const p = walk(c.kernel.nameiContext(c.task), start, a.path, { follow: true });
  if (typeof p === 'number') return p;
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & 0o170000) !== S_IFSOCK) return -E.ECONNREFUSED;
  const perm = permission(st, c.task.creds, MAY_WRITE);
  if (perm < 0) return perm;
  return stack.paths.get(inodeKey(st)) ?? -E.ECONNREFUSED;
}

function bindUnix(c: Call, stack: NetStack, s: Socket, a: UnixAddr): number {
  // Linux makes a path's node before it looks at the socket: an existing
  // path is EADDRINUSE even on a bound socket; anything else bound is EINVAL.
  const bound = (s.unixLocal && s.unixLocal.kind !== 'unnamed') || s.state === 'bound' || s.state === 'listening';
  if (bound && a.kind !== 'path') return -E.EINVAL;
  let name: UnixAddr = a;
  if (a.kind === 'unnamed') {
    // Autobind: five hex digits in the abstract namespace, as Linux picks.
    let n = '';
    for (let i = 0; i < 0x100000; i++) {
      n = Math.floor(Math.random() * 0x100000).toString(16).padStart(5, '0');
      if (!stack.abstract.has(n)) break;
    }
    name = { kind: 'abstract', name: n };
  }
  if (name.kind === 'abstract') {
    if (stack.abstract.has(name.name)) return -E.EADDRINUSE;
    if (s.type === SOCK_DGRAM) {
      const r = stack.hostAutobind(s);
      if (r < 0) return r;
    }
    stack.abstract.set(name.name, s);
  } else if (name.kind === 'path') {
    if (name.path === '') return -E.ENOENT;
    const start = startDir(c, AT_FDCWD, name.path);
    if (typeof start === 'number') return start;
    const pr = walkParent(c.kernel.nameiContext(c.task), start, name.path);
    if (typeof pr === 'number') return pr;
    if (pr.name === '' || pr.name === '.' || pr.name === '..' || pr.trailingSlash) return -E.EADDRINUSE;
    const ex = pr.dir.d.child(pr.name);
    if (typeof ex === 'number') return ex;
    if (ex) return -E.EADDRINUSE;
    if (bound) return -E.EINVAL;
    if (pr.dir.mnt.opts.readOnly || pr.dir.d.inode.fs.readOnly) return -E.EROFS;
    const dst = pr.dir.d.inode.stat();
    if (typeof dst === 'number') return dst;
    const ok = permission(dst, c.task.creds, MAY_WRITE | MAY_EXEC);
    if (ok < 0) return ok;
    if (s.type === SOCK_DGRAM) {
      const r = stack.hostAutobind(s);
      if (r < 0) return r;
    }
    const inode = pr.dir.d.inode.mknod(pr.name, S_IFSOCK | (0o777 & ~c.task.fs.umask), 0, c.task.creds);
    if (typeof inode === 'number') return inode;
    pr.dir.d.add(pr.name, inode);
    const st = inode.stat();
    if (typeof st === 'number') return st;
    stack.paths.set(inodeKey(st), s);
  }
  s.unixLocal = name;
  s.state = 'bound';
  return 0;
}

/** Decodes an inet destination (connect, sendto) for `s`: an AF_INET6 socket takes sockaddr_in too. */
function inetDest(s: Socket, b: Buffer): InetAddr | number {
  if (b.length >= 2 && b.readUInt16LE(0) === AF_INET && s.family === AF_INET6) {
    if (s.v6only) return -E.ENETUNREACH;
    return decodeInet(b, b.length, AF_INET);
  }
  return decodeInet(b, b.length, s.family);
}

function sysBind(c: Call): number {
  const sf = sockOf(c, c.int(0));
  if (typeof sf === 'number') return sf;
  const { s } = sf;
  const b = readAddr(c, c.ptr(1), c.int(2));
  if (typeof b === 'number') return b;
  const stack = netOf(c.kernel);
  if (s.isUnix) {
    const a = decodeUnix(b, b.length);
    return typeof a === 'number' ? a : bindUnix(c, stack, s, a);
  }
  if (s.isNetlink) {
    if (b.length < 12 || b.readUInt16LE(0) !== AF_NETLINK) return -E.EINVAL;
    const pid = b.readUInt32LE(4);
    if (s.nlPid && pid && pid !== s.nlPid) return -E.EINVAL;
    s.nlPid ||= pid || c.task.group.tgid;
    s.state = 'bound';
    return 0;
  }
  if (s.inetLocal) return -E.EINVAL;
  let a: InetAddr | number;
  // AF_UNSPEC with INADDR_ANY binds an AF_INET socket (old programs rely on it).
  if (s.family === AF_INET && b.length >= 16 && b.readUInt16LE(0) === AF_UNSPEC && b.readUInt32BE(4) === 0) {
    const fixed = Buffer.from(b);
    fixed.writeUInt16LE(AF_INET, 0);
    a = decodeInet(fixed, fixed.length, AF_INET);
  } else a = decodeInet(b, b.length, s.family);
  if (typeof a === 'number') return a === -E.EAFNOSUPPORT && s.family === AF_INET6 ? -E.EINVAL : a;
  if (s.family === AF_INET6 && s.v6only && isV4(a.ip)) return -E.EINVAL;
  const r = stack.bindInet(s, a);
  if (r < 0) return r;
  if (s.isUdp) return stack.hostAutobind(s);
  return 0;
}

function sysListen(c: Call): number {
  const sf = sockOf(c, c.int(0));
  if (typeof sf === 'number') return sf;
  const { s } = sf;
  if (!s.connectionOriented || s.isNetlink) return -E.EOPNOTSUPP;
  if (s.state === 'connected' || s.connectPending) return -E.EINVAL;
  const stack = netOf(c.kernel);
  if (s.isUnix && !s.unixLocal) return -E.EINVAL;
  if (s.isTcp && !s.inetLocal) {
    const r = stack.autobind(s);
    if (r < 0) return r;
  }
  // TCP completes handshakes beyond the backlog (clients retry their SYNs):
  // the host queue of a TCP listener is as long as the host allows.
  return stack.listen(s, s.isTcp ? 4096 : c.int(1), credOf(c.task));
}

// ---- connect ----

function sysConnect(c: Call): number {
  const sf = sockOf(c, c.int(0));
  if (typeof sf === 'number') return sf;
  const { file, s } = sf;
  const b = readAddr(c, c.ptr(1), c.int(2));
  if (typeof b === 'number') return b;
  if (b.length < 2) return -E.EINVAL;
  const stack = netOf(c.kernel);
  const fam = b.readUInt16LE(0);
  if (s.isNetlink) return fam === AF_NETLINK ? 0 : -E.EINVAL;
  if (!s.connectionOriented) return connectDgram(c, stack, s, b, fam);
  if (s.state === 'listening') return -E.EINVAL;
  if (s.connectPending) {
    // The connection was made when connect said EINPROGRESS: report how it went, as Linux's second connect does.
    s.connectPending = false;
    if (s.error) {
      const e = s.error;
      s.error = 0;
      return -e;
    }
    return 0;
  }
  if (s.state === 'connected') return -E.EISCONN;
  const nonblock = nonblocking(file, 0);
  if (s.isUnix) {
    const a = decodeUnix(b, b.length);
    if (typeof a === 'number') return a;
    const l = unixTarget(c, stack, a);
    if (typeof l === 'number') return l;
    if (l.type !== s.type) return -E.EPROTOTYPE;
    if (l.state !== 'listening') return -E.ECONNREFUSED;
    const cred = credOf(c.task);
    const tryIt = (): number | null => {
      if (l.state !== 'listening') return -E.ECONNREFUSED;
      const r = stack.connectTo(s, l, { cred, from: s.unixLocal });
      if (r === -E.EAGAIN) return null;
      if (r < 0) return r;
      s.state = 'connected';
      s.unixPeer = l.unixLocal;
      s.peerCred = l.listenCred;
      return 0;
    };
    const r = tryIt();
    if (r !== null) return r;
    if (nonblock) return -E.EAGAIN;
    return park(c, -1, 0, timeoutOf(s, SO_SNDTIMEO_OLD), -E.EAGAIN, tryIt);
  }
  // TCP
  if (fam === AF_UNSPEC) return 0;
  const a = inetDest(s, b);
  if (typeof a === 'number') return a;
  if (!stack.isLocal(a.ip) && !(s.family === AF_INET6 && isAny(a.ip))) {
    if (stack.mode === 'none') return -E.ENETUNREACH;
    const r0 = stack.autobind(s);
    if (r0 < 0) return r0;
    return connectOutbound(c, stack, s, a, nonblock, (fd, events, onDone) => park(c, fd, events, 0, -E.ETIMEDOUT, onDone));
  }
  const dest = isAny(a.ip) ? (isV4(a.ip) ? LOOP4 : LOOP6) : a.ip;
  const r0 = stack.autobind(s);
  if (r0 < 0) return r0;
  s.inetLocal = { ip: stack.sourceFor(s.inetLocal!.ip, dest), port: s.inetLocal!.port };
  const l = stack.findListener(dest, a.port);
  if (!l && stack.mode === 'host' && stack.policy.allows(dest, a.port)) {
    // --network host: a loopback address an --allow-net rule names reaches
    // the host's, unless a socket of the sandbox listens there.
    return connectOutbound(c, stack, s, { ip: dest, port: a.port }, nonblock, (fd, events, onDone) => park(c, fd, events, 0, -E.ETIMEDOUT, onDone));
  }
  if (!l) return refuse(stack, s, nonblock);
  const r = stack.connectTo(s, l, { cred: credOf(c.task), from: { ...s.inetLocal } });
  if (r < 0) return r === -E.EAGAIN ? refuse(stack, s, nonblock) : r;
  s.state = 'connected';
  s.inetPeer = { ip: Buffer.from(dest), port: a.port };
  s.peerCred = l.listenCred;
  if (nonblock) {
    // Linux answers a non-blocking TCP connect EINPROGRESS even on loopback.
    s.connectPending = true;
    return -E.EINPROGRESS;
  }
  return 0;
}

/**
 * Nobody listens: blocking connects fail at once; non-blocking ones answer
 * EINPROGRESS and the socket then polls as a refused one does on Linux
 * (POLLIN|POLLOUT|POLLERR|POLLHUP, SO_ERROR ECONNREFUSED). The host socket is
 * connected to a throw-away listener whose end is closed with unread data,
 * which is what makes the host report the error and hang-up.
 */
function refuse(stack: NetStack, s: Socket, nonblock: boolean): number {
  if (!nonblock) return -E.ECONNREFUSED;
  const l = new Socket(AF_UNIX, SOCK_STREAM, 0, hostSocket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (l.hostFd < 0) return -E.ECONNREFUSED;
  try {
    if (stack.listen(l, 1, { pid: 0, uid: 0, gid: 0 }) < 0) return -E.ECONNREFUSED;
    if (stack.connectTo(s, l, { cred: { pid: 0, uid: 0, gid: 0 }, from: null }) < 0) return -E.ECONNREFUSED;
    const acc = stack.acceptFrom(l);
    if (typeof acc !== 'number') {
      hostSendmsg(s.hostFd, Buffer.from([0]), null, null, MSG_DONTWAIT | MSG_NOSIGNAL);
      close(acc.fd);
    }
  } finally {
    stack.remove(l);
    close(l.hostFd);
  }
  s.error = E.ECONNREFUSED;
  s.connectPending = true;
  return -E.EINPROGRESS;
}

function connectDgram(c: Call, stack: NetStack, s: Socket, b: Buffer, fam: number): number {
  if (fam === AF_UNSPEC) {
    const un = Buffer.alloc(2);
    hostConnect(s.hostFd, un);
    s.unixPeer = null;
    s.inetPeer = null;
    s.peer = null;
    if (s.isUdp && s.inetLocal && !s.portLocked) {
      // __udp_disconnect: a port the kernel chose goes back.
      stack.unbindPort(s);
      s.inetLocal = null;
    }
    if (s.state === 'connected') s.state = s.unixLocal || s.inetLocal ? 'bound' : 'unbound';
    return 0;
  }
  if (s.isUnix) {
    const a = decodeUnix(b, b.length);
    if (typeof a === 'number') return a;
    const t = unixTarget(c, stack, a);
    if (typeof t === 'number') return t;
    if (t.type !== s.type) return -E.EPROTOTYPE;
    if (!t.hostName) return -E.ECONNREFUSED;
    const r = hostConnect(s.hostFd, abstractAddr(t.hostName));
    if (r < 0) return r;
    s.unixPeer = t.unixLocal;
    s.peer = t;
    s.peerCred = null;
    s.state = 'connected';
    return 0;
  }
  // UDP
  const a = inetDest(s, b);
  if (typeof a === 'number') return a;
  const r0 = stack.autobind(s);
  if (r0 < 0) return r0;
  const h = stack.hostAutobind(s);
  if (h < 0) return h;
  if (!stack.isLocal(a.ip)) {
    if (stack.mode === 'none') return -E.ENETUNREACH;
    const r = udpOutbound(stack, s, a);
    if (r < 0) return r;
  } else {
    const dest = isAny(a.ip) ? (isV4(a.ip) ? LOOP4 : LOOP6) : a.ip;
    s.inetLocal = { ip: stack.sourceFor(s.inetLocal!.ip, dest), port: s.inetLocal!.port };
    const t = stack.findUdp(dest, a.port, s.inetLocal);
    const r = t && t.hostName ? hostConnect(s.hostFd, abstractAddr(t.hostName)) : stack.deadPeer(s);
    if (r < 0) return r;
    s.peer = t;
  }
  s.inetPeer = { ip: Buffer.from(a.ip), port: a.port };
  s.state = 'connected';
  return 0;
}

// ---- accept ----

function acceptImpl(c: Call, flags: number): number {
  const sf = sockOf(c, c.int(0));
  if (typeof sf === 'number') return sf;
  const { file, s: l } = sf;
  if (flags & ~SOCK_FLAGS) return -E.EINVAL;
  if (!l.connectionOriented) return -E.EOPNOTSUPP;
  if (l.state !== 'listening') return -E.EINVAL;
  const stack = netOf(c.kernel);
  const g = new Guest(c.pf, c.task);
  const addr = c.ptr(1);
  const lenPtr = c.ptr(2);
  const task = c.task;
  const limit = fdLimit(c);
  const pf = c.pf;
  const attempt = (id: NotifId): Outcome => {
    if (l.state !== 'listening') return -E.EINVAL;
    const acc = stack.acceptFrom(l);
    if (acc === -E.EAGAIN) return null;
    if (typeof acc === 'number') return acc;
    const { fd, p } = acc;
    let ns: Socket;
    if (p?.injected !== undefined) {
      // --publish: the real host TCP connection replaces the stand-in.
      close(fd);
      if (p.standIn !== undefined) close(p.standIn);
      ns = new Socket(l.family, l.type, l.protocol, p.injected);
      ns.external = true;
      fcntl(ns.hostFd, F_SETFL, fcntl(ns.hostFd, F_GETFL, 0) | O_NONBLOCK);
    } else {
      ns = new Socket(l.family, l.type, l.protocol, fd);
      const cl = p?.client ?? null;
      if (cl && cl.state !== 'closed') {
        ns.peer = cl;
        cl.peer = ns;
        ns.inflight.push(...cl.inflight.splice(0));
      }
    }
    ns.state = 'connected';
    ns.peerCred = p?.cred ?? null;
    if (l.isUnix) {
      ns.unixLocal = l.unixLocal;
      ns.unixPeer = (p?.from as UnixAddr | null) ?? { kind: 'unnamed' };
    } else {
      const from = (p?.from as InetAddr | null) ?? null;
      ns.inetPeer = from;
      const to = p?.client?.inetPeer?.ip ?? (from && isLoopback(from.ip) ? from.ip : l.inetLocal!.ip);
      ns.inetLocal = { ip: Buffer.from(to), port: l.inetLocal!.port };
    }
    const nonblock = (flags & SOCK_NONBLOCK) !== 0;
    if (!nonblock) fcntl(ns.hostFd, F_SETFL, fcntl(ns.hostFd, F_GETFL, 0) & ~O_NONBLOCK);
    const f = fileFor(stack, ns, nonblock);
    const w = writeAddr(g, addr, lenPtr, encodeFor(ns, l.isUnix ? ns.unixPeer : ns.inetPeer));
    if (w < 0) {
      f.unref();
      return w;
    }
    const nfd = task.files.alloc(0, limit);
    if (nfd < 0) {
      f.unref();
      return nfd;
    }
    const cloexec = (flags & SOCK_CLOEXEC) !== 0;
    const r = pf.addFdFor(id, f.hostFd, nfd, cloexec, true);
    if (r < 0) {
      f.unref();
      return r;
    }
    task.files.install(nfd, f, cloexec)?.file.unref();
    return { sent: nfd };
  };
  const r = attempt(c.id());
  if (r === null) {
    if (nonblocking(file, 0)) return -E.EAGAIN;
    return park(c, l.hostFd, EPOLLIN, timeoutOf(l, SO_RCVTIMEO_OLD), -E.EAGAIN, attempt);
  }
  if (typeof r === 'number') return r;
  c.replied = r.sent;
  return REPLIED;
}

// ---- names ----

function sysGetsockname(c: Call): number {
  const sf = sockOf(c, c.int(0));
  if (typeof sf === 'number') return sf;
  const { s } = sf;
  const g = new Guest(c.pf, c.task);
  if (c.ptr(1) === 0 || c.ptr(2) === 0) return -E.EFAULT;
  if (s.isNetlink) {
    const b = Buffer.alloc(12);
    b.writeUInt16LE(AF_NETLINK, 0);
    b.writeUInt32LE(s.nlPid >>> 0, 4);
    return writeAddr(g, c.ptr(1), c.ptr(2), b);
  }
  const a = s.isUnix ? s.unixLocal : s.inetLocal ?? { ip: s.family === AF_INET6 ? Buffer.alloc(16) : Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0]), port: 0 };
  return writeAddr(g, c.ptr(1), c.ptr(2), encodeFor(s, a));
}

function sysGetpeername(c: Call): number {
  const sf = sockOf(c, c.int(0));
  if (typeof sf === 'number') return sf;
  const { s } = sf;
  if (s.state !== 'connected') return -E.ENOTCONN;
  if (c.ptr(1) === 0 || c.ptr(2) === 0) return -E.EFAULT;
  const g = new Guest(c.pf, c.task);
  if (s.isNetlink) return writeAddr(g, c.ptr(1), c.ptr(2), encodeFor(s, null));
  return writeAddr(g, c.ptr(1), c.ptr(2), encodeFor(s, s.isUnix ? s.unixPeer : s.inetPeer));
}

function sysShutdown(c: Call): number {
  const sf = sockOf(c, c.int(0));
  if (typeof sf === 'number') return sf;
  const { s } = sf;
  const how = c.int(1);
  if (how < 0 || how > 2) return -E.EINVAL;
  if (s.isTcp && s.state !== 'connected' && s.state !== 'listening') return -E.ENOTCONN;
  if (s.isUdp && s.state !== 'connected') return -E.ENOTCONN;
  const r = hostShutdown(s.hostFd, how);
  if (r < 0 && !(s.isTcp && s.state === 'listening')) return r;
  if (how !== 1) s.shutRd = true;
  if (how !== 0) s.shutWr = true;
  return 0;
}

// ---- sending ----

interface Control {
  files: OpenFile[];
  cred: PeerCred | null;
}

/** Parses the guest's control messages (SCM_RIGHTS, SCM_CREDENTIALS) against its fd table. */
function parseControl(c: Call, g: Guest, ptr: number, len: number): Control | number {
  const out: Control = { files: [], cred: null };
  if (len === 0 || ptr === 0) return out;
  if (len > 1 << 16) return -E.ENOBUFS;
  const b = g.read(ptr, len);
  if (typeof b === 'number') return b;
  let off = 0;
  while (off + 16 <= len) {
    const clen = Number(b.readBigUInt64LE(off));
    if (clen < 16 || off + clen > len) return -E.EINVAL;
    const level = b.readInt32LE(off + 8);
    const type = b.readInt32LE(off + 12);
    if (level === SOL_SOCKET) {
      if (type === SCM_RIGHTS) {
        const n = Math.floor((clen - 16) / 4);
        if (n > SCM_MAX_FD || out.files.length + n > SCM_MAX_FD) return -E.EINVAL;
        for (let i = 0; i < n; i++) {
          const fd = b.readInt32LE(off + 16 + 4 * i);
          const e = fdEntry(c, fd);
          if (typeof e === 'number') return -E.EBADF;
          out.files.push(e.file);
        }
      } else if (type === SCM_CREDENTIALS) {
        if (clen !== 16 + 12) return -E.EINVAL;
        const cr = { pid: b.readInt32LE(off + 16), uid: b.readUInt32LE(off + 20), gid: b.readUInt32LE(off + 24) };
        const t = c.task;
        const cap = t.creds.euid === 0;
        if (cr.pid !== t.group.tgid && !cap) return -E.EPERM;
        if (!cap && ![t.creds.uid, t.creds.euid, t.creds.suid].includes(cr.uid)) return -E.EPERM;
        if (!cap && ![t.creds.gid, t.creds.egid, t.creds.sgid].includes(cr.gid)) return -E.EPERM;
        out.cred = cr;
      } else return -E.EINVAL;
    }
    off += (clen + 7) & ~7;
  }
  return out;
}

/** Where a message sent on `s` lands (the socket that will receive it). */
function receiverOf(s: Socket): Socket | null {
  return s.peer && s.peer.state !== 'closed' ? s.peer : null;
}

/** Keeps references to files sent with SCM_RIGHTS, for the receiver's recvmsg to find. */
function markInflight(s: Socket, to: Socket | null, files: OpenFile[]): void {
  if (!files.length) return;
  // A connection not accepted yet: the files wait on the client's side, and move to the accepted socket.
  const q = to ? to.inflight : s.inflight;
  for (const f of files) q.push(f.ref());
}

interface SendReq {
  iov: Iov;
  name: Buffer | null;
  ctl: Control;
  flags: number;
}

/**
 * Performs one send for the guest on its host socket (datagrams to an
 * address, messages with credentials, TCP with an address). Returns bytes, or
 * -EAGAIN when it would block.
 */
function sendOnce(c: Call, g: Guest, stack: NetStack, s: Socket, req: SendReq, skip: number): number {
  const data = gather(g, iovSkip(req.iov, skip), MAX_IO);
  if (typeof data === 'number') return data;
  let dest: Buffer | null = null;
  let to: Socket | null = receiverOf(s);
  if (req.name && !s.connectionOriented) {
    if (s.isUnix) {
      const a = decodeUnix(req.name, req.name.length);
      if (typeof a === 'number') return a;
      const t = unixTarget(c, stack, a);
      if (typeof t === 'number') return t;
      if (t.type !== s.type) return -E.EPROTOTYPE;
      if (!t.hostName) return -E.ECONNREFUSED;
      dest = abstractAddr(t.hostName);
      to = t;
    } else if (s.isInet) {
      const a = inetDest(s, req.name);
      if (typeof a === 'number') return a;
      const r0 = stack.autobind(s);
      if (r0 < 0) return r0;
      const h = stack.hostAutobind(s);
      if (h < 0) return h;
      if (!stack.isLocal(a.ip)) {
        if (stack.mode === 'none') return -E.ENETUNREACH;
        const o = udpOutbound(stack, s, a, data);
        return o < 0 ? o : data.length;
      }
      const ip = isAny(a.ip) ? (isV4(a.ip) ? LOOP4 : LOOP6) : a.ip;
      const t = stack.findUdp(ip, a.port, { ip: stack.sourceFor(s.inetLocal!.ip, ip), port: s.inetLocal!.port });
      if (!t && stack.mode === 'host' && stack.policy.allows(ip, a.port)) {
        const o = udpOutbound(stack, s, { ip, port: a.port }, data);
        return o < 0 ? o : data.length;
      }
      if (!t || !t.hostName) return data.length; // no receiver: UDP drops it
      dest = abstractAddr(t.hostName);
      to = t;
    }
  } else if (!s.connectionOriented && s.state !== 'connected') {
    return s.isUnix ? -E.ENOTCONN : -E.EDESTADDRREQ;
  }
  if (s.connectionOriented && s.state !== 'connected') return s.isTcp ? -E.EPIPE : -E.ENOTCONN;
  const fds = req.ctl.files.length ? Int32Array.from(req.ctl.files.map((f) => f.hostFd)) : null;
  const n = hostSendmsg(s.hostFd, data, dest, fds, (req.flags & (MSG_EOR | MSG_MORE)) | MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n < 0) return n;
  markInflight(s, to, req.ctl.files);
  if (to && to.passcred) to.sentBy.push(req.ctl.cred ?? credOf(c.task));
  return n;
}

/**
 * The parts of a call that stay valid after the trap (the Call object is
 * reused for the next one): what path lookups and credentials need.
 */
function snapshot(c: Call): Call {
  return { task: c.task, kernel: c.kernel, pf: c.pf } as Call;
}

/** `result` maps the bytes sent to what the call returns (sendmmsg counts messages). */
function sendImpl(c: Call, fd: number, req: SendReq, result: (n: number) => number = (n) => n): number {
  const sf = sockOf(c, fd);
  if (typeof sf === 'number') return sf;
  const { file, s } = sf;
  if (req.flags & MSG_OOB) return -E.EOPNOTSUPP;
  if (s.isNetlink) {
    const g = new Guest(c.pf, c.task);
    const data = gather(g, req.iov, MAX_IO);
    if (typeof data === 'number') return data;
    netlink.deliver(s, netlink.answer(netOf(c.kernel), s, data));
    return result(data.length);
  }
  if (s.isTcp && req.ctl.files.length) return -E.EINVAL;
  const g = new Guest(c.pf, c.task);
  const stack = netOf(c.kernel);
  const total = iovTotal(req.iov);
  const stream = s.type === SOCK_STREAM;
  const ctx = snapshot(c);
  const task = c.task;
  const kernel = c.kernel;
  const signalPipe = (r: number): number => {
    // As send_sig(SIGPIPE, current, 0): SI_USER from the writer itself.
    if (r === -E.EPIPE && !(req.flags & MSG_NOSIGNAL)) kernel.signalTask(task, Sig.SIGPIPE, { code: 0, pid: task.group.tgid, uid: task.creds.uid });
    return r;
  };
  const r = sendOnce(ctx, g, stack, s, req, 0);
  if (r !== -E.EAGAIN && !(stream && r >= 0 && r < total && !nonblocking(file, req.flags))) return r < 0 ? signalPipe(r) : result(r);
  if (nonblocking(file, req.flags)) return r < 0 ? r : result(r);
  // Blocking: wait for room, and for a stream send everything, as the kernel does.
  let done = Math.max(0, r);
  const attempt = (): Outcome => {
    const n = sendOnce(ctx, g, stack, s, { ...req, ctl: done ? { files: [], cred: req.ctl.cred } : req.ctl }, done);
    if (n === -E.EAGAIN) return null;
    if (n < 0) {
      signalPipe(n);
      return done ? result(done) : n;
    }
    done += n;
    return stream && done < total ? null : result(done);
  };
  // A connected socket's room is its writability; an unconnected datagram's is not pollable.
  const waitFd = s.state === 'connected' && !req.name ? s.hostFd : -1;
  return park(c, waitFd, EPOLLOUT, timeoutOf(s, SO_SNDTIMEO_OLD), done ? result(done) : -E.EAGAIN, attempt);
}

/** Whether the guest's own thread may send this message natively (same bytes, same result). */
function hostMaySend(s: Socket, hasName: boolean, ctl: Control): boolean {
  if (ctl.cred || s.external) return false;
  if (s.isNetlink) return false;
  if (s.connectionOriented) return s.state === 'connected' && !(s.isTcp && hasName);
  return false;
}

function sysSendto(c: Call): number {
  const fd = c.int(0);
  const flags = c.int(3);
  const nameLen = c.int(5);
  const namePtr = c.ptr(4);
  const sf = sockOf(c, fd);
  if (typeof sf === 'number') return sf;
  const { s } = sf;
  // No address (strict policy traps these too): the registers say everything.
  if (namePtr === 0 && s.connectionOriented && s.state === 'connected' && !(flags & MSG_OOB)) return CONTINUE;
  let name: Buffer | null = null;
  if (namePtr !== 0) {
    const b = readAddr(c, namePtr, nameLen);
    if (typeof b === 'number') return b;
    name = b.length ? b : null;
  }
  if (name && s.isUnix && s.connectionOriented) return s.state === 'connected' ? -E.EISCONN : -E.EOPNOTSUPP;
  return sendImpl(c, fd, { iov: [[c.ptr(1), c.ptr(2)]].filter(([, l]) => l > 0) as Iov, name, ctl: { files: [], cred: null }, flags });
}

interface Msghdr {
  name: number;
  nameLen: number;
  iov: number;
  iovLen: number;
  ctl: number;
  ctlLen: number;
}

function readMsghdr(g: Guest, addr: number): Msghdr | number {
  const b = g.read(addr, MSGHDR);
  if (typeof b === 'number') return b;
  return {
    name: Number(b.readBigUInt64LE(0)),
    nameLen: b.readInt32LE(8),
    iov: Number(b.readBigUInt64LE(16)),
    iovLen: Number(b.readBigUInt64LE(24)),
    ctl: Number(b.readBigUInt64LE(32)),
    ctlLen: Number(b.readBigUInt64LE(40)),
  };
}

function sendmsgOne(c: Call, fd: number, g: Guest, m: Msghdr, flags: number, mayContinue: boolean, result?: (n: number) => number): number {
  const sf = sockOf(c, fd);
  if (typeof sf === 'number') return sf;
  const { s } = sf;
  const iov = readIov(g, m.iov, m.iovLen);
  if (typeof iov === 'number') return iov;
  let name: Buffer | null = null;
  if (m.name !== 0 && m.nameLen > 0) {
    const b = readAddr(c, m.name, m.nameLen);
    if (typeof b === 'number') return b;
    name = b;
  }
  if (name && s.isUnix && s.connectionOriented && s.type === SOCK_STREAM) return s.state === 'connected' ? -E.EISCONN : -E.EOPNOTSUPP;
  if (s.isUnix && s.type === SOCK_SEQPACKET) name = null;
  const ctl = parseControl(c, g, m.ctl, m.ctlLen);
  if (typeof ctl === 'number') return ctl;
  // The other end is outside the sandbox (stdio handed in, a relay): no descriptor goes there.
  if (s.external && ctl.files.length) return -E.EPERM;
  if (mayContinue && hostMaySend(s, name !== null, ctl) && !(s.isTcp && ctl.files.length)) {
    // The guest's host fds are the same descriptions as the sentry's files:
    // its own sendmsg carries them. The receiver's recvmsg (always trapped)
    // finds them among these references.
    markInflight(s, receiverOf(s), ctl.files);
    return CONTINUE;
  }
  return sendImpl(c, fd, { iov, name, ctl, flags }, result);
}

function sysSendmsg(c: Call): number {
  const g = new Guest(c.pf, c.task);
  const m = readMsghdr(g, c.ptr(1));
  if (typeof m === 'number') return m;
  return sendmsgOne(c, c.int(0), g, m, c.int(2), true);
}

function sysSendmmsg(c: Call): number {
  const fd = c.int(0);
  const vec = c.ptr(1);
  const vlen = Math.min(c.uint(2), IOV_MAX);
  const flags = c.int(3);
  const g = new Guest(c.pf, c.task);
  const sf = sockOf(c, fd);
  if (typeof sf === 'number') return sf;
  let sent = 0;
  for (let i = 0; i < vlen; i++) {
    const at = vec + i * MMSGHDR;
    const m = readMsghdr(g, at);
    if (typeof m === 'number') return sent || m;
    // Only the first message may wait; each one sent has its msg_len written and counts one.
    const r = sendmsgOne(c, fd, g, m, i ? flags | MSG_DONTWAIT : flags, false, (n) => {
      const w = g.writeI32(at + 56, n);
      return w < 0 ? w : 1;
    });
    if (r === DEFER) return r;
    if (r < 0) return sent || r;
    sent++;
  }
  return sent;
}

// ---- receiving ----

interface RecvReq {
  iov: Iov;
  flags: number;
  /** Where the source address goes (0: nowhere), and how many bytes fit. */
  name: number;
  nameCap: number;
  ctl: number;
  ctlCap: number;
}

interface RecvOut {
  n: number;
  name: Buffer | null;
  ctlLen: number;
  msgFlags: number;
}

/** Which of the sentry's files a descriptor received on the host is (kcmp), or null. */
function claim(s: Socket, hostFd: number): OpenFile | null {
  const q = s.inflight;
  for (let i = 0; i < q.length; i++) {
    const f = q[i]!;
    if (f.hostFd >= 0 && sameFile(f.hostFd, hostFd)) {
      q.splice(i, 1);
      return f;
    }
  }
  return null;
}

function credFromHost(k: Kernel, s: Socket, pid: number, uid: number, gid: number): PeerCred {
  if (pid === hostPid()) return s.sentBy.shift() ?? s.peerCred ?? { pid: 0, uid: 65534, gid: 65534 };
  const t = k.byHost.get(pid);
  if (t) return { pid: t.group.tgid, uid: t.creds.uid, gid: t.creds.gid };
  void uid;
  void gid;
  return { pid: 0, uid: 65534, gid: 65534 };
}

/** The sandbox address of a datagram's sender, from its host socket's name. */
function sourceOf(stack: NetStack, s: Socket, hostAddr: Buffer, len: number): Buffer | null {
  // Netlink answers come from the kernel: port id 0.
  if (s.isNetlink) return encodeFor(s, null);
  // An unnamed unix sender gives an empty address (msg_namelen 0).
  const unix = (a: UnixAddr | null | undefined): Buffer | null => (a && a.kind !== 'unnamed' ? encodeUnix(a) : null);
  if (s.connectionOriented) return s.isTcp ? null : unix(s.unixPeer);
  const name = len > 3 && hostAddr[2] === 0 ? hostAddr.toString('latin1', 3, len) : '';
  const from = name ? stack.byHostName.get(name) : undefined;
  if (s.isUnix) return unix(from?.unixLocal);
  if (from && from.external && from.inetPeer) return encodeInet(from.inetPeer, s.family);
  const local = from?.inetLocal;
  if (!local) return encodeInet({ ip: s.family === AF_INET6 ? LOOP6 : LOOP4, port: 0 }, s.family);
  const ip = isAny(local.ip) ? (isV4(local.ip) ? LOOP4 : LOOP6) : local.ip;
  return encodeInet({ ip, port: local.port }, s.family);
}

function cmsg(level: number, type: number, data: Buffer): Buffer {
  const len = 16 + data.length;
  const b = Buffer.alloc((len + 7) & ~7);
  b.writeBigUInt64LE(BigInt(len), 0);
  b.writeInt32LE(level, 8);
  b.writeInt32LE(type, 12);
  data.copy(b, 16);
  return b;
}

function recvOnce(
  k: Kernel,
  g: Guest,
  stack: NetStack,
  s: Socket,
  req: RecvReq,
  install: (hostFd: number, fd: number, cloexec: boolean) => number,
  limit: number,
): RecvOut | number {
  const total = Math.min(iovTotal(req.iov), MAX_IO);
  const buf = Buffer.allocUnsafe(total);
  const addr = Buffer.alloc(128);
  const meta = new Int32Array(8 + SCM_MAX_FD);
  const hflags = (req.flags & (MSG_PEEK | MSG_TRUNC)) | MSG_DONTWAIT;
  const n = hostRecvmsg(s.hostFd, buf, hflags, addr, meta);
  if (n < 0) return n;
  const got = Math.min(n, total);
  const w = scatter(g, req.iov, buf.subarray(0, got));
  // recvmsg reports MSG_CMSG_CLOEXEC back in msg_flags, as ____sys_recvmsg does.
  let msgFlags = (meta[1]! & (MSG_TRUNC | MSG_EOR)) | (req.flags & MSG_CMSG_CLOEXEC);
  const ctlParts: Buffer[] = [];
  let ctlLen = 0;
  const room = (b: Buffer): boolean => ctlLen + b.length <= req.ctlCap;
  if (meta[3] && s.passcred) {
    const cr = credFromHost(k, s, meta[4]!, meta[5]! >>> 0, meta[6]! >>> 0);
    const d = Buffer.alloc(12);
    d.writeInt32LE(cr.pid, 0);
    d.writeUInt32LE(cr.uid >>> 0, 4);
    d.writeUInt32LE(cr.gid >>> 0, 8);
    const m = cmsg(SOL_SOCKET, SCM_CREDENTIALS, d);
    if (req.ctl && room(m)) (ctlParts.push(m), (ctlLen += m.length));
    else msgFlags |= MSG_CTRUNC;
  }
  const nf = meta[2]!;
  if (nf > 0) {
    const files: OpenFile[] = [];
    for (let i = 0; i < nf; i++) {
      const h = meta[8 + i]!;
      const f = claim(s, h);
      close(h);
      if (f) files.push(f);
      else msgFlags |= MSG_CTRUNC; // a descriptor the sentry does not know: dropped, never installed
    }
    // As many as fit in the guest's control buffer; the rest are closed (MSG_CTRUNC).
    const space = req.ctl ? Math.floor((req.ctlCap - ctlLen - 16) / 4) : 0;
    const take = Math.max(0, Math.min(files.length, space));
    if (take < files.length) msgFlags |= MSG_CTRUNC;
    const nums: number[] = [];
    const cloexec = (req.flags & MSG_CMSG_CLOEXEC) !== 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      if (i >= take) {
        f.unref();
        continue;
      }
      const fd = g.task.files.alloc(0, limit);
      if (fd < 0) {
        f.unref();
        msgFlags |= MSG_CTRUNC;
        continue;
      }
      const r = install(f.hostFd, fd, cloexec);
      if (r < 0) {
        f.unref();
        msgFlags |= MSG_CTRUNC;
        continue;
      }
      g.task.files.install(fd, f, cloexec)?.file.unref();
      nums.push(fd);
    }
    if (nums.length) {
      const d = Buffer.alloc(4 * nums.length);
      nums.forEach((x, i) => d.writeInt32LE(x, 4 * i));
      const m = cmsg(SOL_SOCKET, SCM_RIGHTS, d);
      // Its padding counts only as far as the guest's buffer goes (scm_detach_fds).
      const part = m.subarray(0, Math.min(m.length, req.ctlCap - ctlLen));
      ctlParts.push(part);
      ctlLen += part.length;
    }
  }
  if (ctlParts.length) {
    const all = Buffer.concat(ctlParts).subarray(0, Math.min(req.ctlCap, ctlLen));
    const r = g.write(req.ctl, all);
    if (r < 0) return r;
    ctlLen = all.length;
  }
  if (w < 0) return w;
  const name = req.name ? sourceOf(stack, s, addr, meta[0]!) : null;
  const ret = (req.flags & MSG_TRUNC) && !s.connectionOriented ? n : got;
  return { n: ret, name, ctlLen, msgFlags };
}

/**
 * A trapped receive: performed by the sentry on its reference to the host
 * socket, waiting (deferred) when nothing is there and the socket blocks.
 * `finish` writes the address and control lengths back and returns what the
 * call returns (or -errno); it runs at the end.
 */
function recvImpl(c: Call, fd: number, req: RecvReq, finish: (g: Guest, out: RecvOut) => number): number {
  const sf = sockOf(c, fd);
  if (typeof sf === 'number') return sf;
  const { file, s } = sf;
  if (req.flags & MSG_OOB) return s.isTcp ? -E.EINVAL : -E.EOPNOTSUPP;
  if (req.flags & MSG_ERRQUEUE) return -E.EAGAIN;
  if (s.connectionOriented && s.state !== 'connected') return s.isTcp ? -E.ENOTCONN : -E.EINVAL;
  const stack = netOf(c.kernel);
  const g = new Guest(c.pf, c.task);
  const limit = fdLimit(c);
  const pf = c.pf;
  const k = c.kernel;
  const total = iovTotal(req.iov);
  const waitAll = (req.flags & MSG_WAITALL) !== 0 && s.type === SOCK_STREAM && !(req.flags & MSG_PEEK);
  let done = 0;
  const once = (id: NotifId | null): Outcome => {
    const install = (h: number, nfd: number, cloexec: boolean): number => (id ? pf.addFdFor(id, h, nfd, cloexec, false) : pf.addFd(h, nfd, cloexec, false));
    const r = recvOnce(k, g, stack, s, { ...req, iov: iovSkip(req.iov, done) }, install, limit);
    if (r === -E.EAGAIN) return done ? (nonblocking(file, req.flags) ? done : null) : null;
    if (typeof r === 'number') return done || r;
    done += r.n;
    if (waitAll && r.n > 0 && done < total) return null;
    const out = { ...r, n: s.connectionOriented ? done : r.n };
    return finish(g, out);
  };
  const r = once(null);
  if (r !== null) return typeof r === 'number' ? r : r.sent;
  if (nonblocking(file, req.flags)) return -E.EAGAIN;
  return park(c, s.hostFd, EPOLLIN, timeoutOf(s, SO_RCVTIMEO_OLD), -E.EAGAIN, (id) => once(id));
}

function sysRecvfrom(c: Call): number {
  const fd = c.int(0);
  const flags = c.int(3);
  const name = c.ptr(4);
  const lenPtr = c.ptr(5);
  const sf = sockOf(c, fd);
  if (typeof sf === 'number') return sf;
  let cap = 0;
  if (name && lenPtr) {
    const g = new Guest(c.pf, c.task);
    const l = g.readI32(lenPtr);
    if (l === null) return -E.EFAULT;
    if (l < 0) return -E.EINVAL;
    cap = l;
  }
  // No address wanted on a connection (strict policy): the host's recv is the same.
  if (!name && sf.s.connectionOriented && !sf.s.isNetlink && !(flags & (MSG_OOB | MSG_ERRQUEUE))) return CONTINUE;
  const iov: Iov = c.ptr(2) ? [[c.ptr(1), c.ptr(2)]] : [];
  return recvImpl(c, fd, { iov, flags, name: name && lenPtr ? name : 0, nameCap: cap, ctl: 0, ctlCap: 0 }, (g, out) => {
    if (!name || !lenPtr) return out.n;
    let w = 0;
    if (!out.name) w = g.writeI32(lenPtr, 0);
    else {
      w = g.write(name, out.name.subarray(0, Math.min(cap, out.name.length)));
      if (w >= 0) w = g.writeI32(lenPtr, out.name.length);
    }
    return w < 0 ? w : out.n;
  });
}

function recvmsgReq(g: Guest, m: Msghdr, flags: number): RecvReq | number {
  const iov = readIov(g, m.iov, m.iovLen);
  if (typeof iov === 'number') return iov;
  if (m.nameLen < 0) return -E.EINVAL;
  return { iov, flags, name: m.name, nameCap: m.name ? m.nameLen : 0, ctl: m.ctl, ctlCap: m.ctl ? m.ctlLen : 0 };
}

/** Writes msg_namelen, msg_controllen and msg_flags back into the guest's msghdr. */
function finishMsghdr(g: Guest, addr: number, req: RecvReq, out: RecvOut): number {
  let nameLen = 0;
  if (req.name && out.name) {
    const w = g.write(req.name, out.name.subarray(0, Math.min(req.nameCap, out.name.length)));
    if (w < 0) return w;
    nameLen = out.name.length;
  }
  const b = Buffer.alloc(4);
  b.writeInt32LE(nameLen, 0);
  let r = g.write(addr + 8, b);
  if (r < 0) return r;
  const cl = Buffer.alloc(8);
  cl.writeBigUInt64LE(BigInt(out.ctlLen), 0);
  r = g.write(addr + 40, cl);
  if (r < 0) return r;
  return g.writeI32(addr + 48, out.msgFlags);
}

function sysRecvmsg(c: Call): number {
  const g = new Guest(c.pf, c.task);
  const addr = c.ptr(1);
  const m = readMsghdr(g, addr);
  if (typeof m === 'number') return m;
  const flags = c.int(2);
  const req = recvmsgReq(g, m, flags);
  if (typeof req === 'number') return req;
  return recvImpl(c, c.int(0), req, (gg, out) => {
    const w = finishMsghdr(gg, addr, req, out);
    return w < 0 ? w : out.n;
  });
}

function sysRecvmmsg(c: Call): number {
  const fd = c.int(0);
  const vec = c.ptr(1);
  const vlen = Math.min(c.uint(2), IOV_MAX);
  const flags = c.int(3);
  const g = new Guest(c.pf, c.task);
  const sf = sockOf(c, fd);
  if (typeof sf === 'number') return sf;
  if (vlen === 0) return 0;
  // The first message may wait; the rest are taken if already there.
  let got = 0;
  for (let i = 0; i < vlen; i++) {
    const at = vec + i * MMSGHDR;
    const m = readMsghdr(g, at);
    if (typeof m === 'number') return got || m;
    const fl = i === 0 && !(flags & MSG_WAITFORONE) ? flags : flags | MSG_DONTWAIT;
    const req = recvmsgReq(g, m, fl & ~MSG_WAITFORONE);
    if (typeof req === 'number') return got || req;
    // Each message received has its msghdr and msg_len written and counts one.
    const r = recvImpl(c, fd, req, (gg, out) => {
      const f = finishMsghdr(gg, at, req, out);
      const w = f < 0 ? f : gg.writeI32(at + 56, out.n);
      return w < 0 ? w : 1;
    });
    if (r === DEFER) return i === 0 ? r : got;
    if (r === CONTINUE) return got || -E.EINVAL;
    if (r < 0) return got || r;
    got++;
  }
  return got;
}

// ---- options ----

const key = (level: number, name: number): number => level * 65536 + name;

function intOpt(c: Call, len: number): number | null {
  if (len < 4) return null;
  const v = c.readI32(c.ptr(3));
  return v;
}

function sysSetsockopt(c: Call): number {
  const sf = sockOf(c, c.int(0));
  if (typeof sf === 'number') return sf;
  const { s } = sf;
  const level = c.int(1);
  const name = c.int(2);
  const len = c.int(4);
  if (len < 0) return -E.EINVAL;
  const val = c.readCopy(c.ptr(3), Math.min(len, 256));
  if (typeof val === 'number') return val;
  const iv = len >= 4 ? val.readInt32LE(0) : null;
  if (level === SOL_SOCKET) {
    switch (name) {
      case SO_REUSEADDR:
      case SO_REUSEPORT:
      case SO_PASSCRED:
      case SO_KEEPALIVE: {
        if (iv === null) return -E.EINVAL;
        if (name === SO_REUSEADDR) s.reuseAddr = iv !== 0;
        if (name === SO_REUSEPORT) {
          if (!s.isInet) return -E.EOPNOTSUPP;
          s.reusePort = iv !== 0;
        }
        if (name === SO_PASSCRED) {
          s.passcred = iv !== 0;
          hostSetsockopt(s.hostFd, SOL_SOCKET, SO_PASSCRED, val.subarray(0, 4));
        }
        s.opts.set(key(level, name), Buffer.from(val.subarray(0, 4)));
        return 0;
      }
      case SO_BINDTODEVICE: {
        const dev = val.toString('latin1').replace(/\0.*$/s, '');
        if (dev && !netOf(c.kernel).ifaces.some((i) => i.name === dev)) return -E.ENODEV;
        s.opts.set(key(level, name), Buffer.from(dev, 'latin1'));
        return 0;
      }
      case SO_TYPE:
      case SO_ERROR:
      case SO_PEERCRED:
      case SO_ACCEPTCONN:
      case SO_PROTOCOL:
      case SO_DOMAIN:
      case SO_PEERSEC:
      case SO_PEERGROUPS:
        return -E.ENOPROTOOPT;
    }
    // The host socket takes the generic options (buffers, timeouts, linger...).
    const r = hostSetsockopt(s.hostFd, level, name, val);
    if (r === -E.ENOPROTOOPT || r === -E.EOPNOTSUPP) {
      if (len < 4) return -E.EINVAL;
      s.opts.set(key(level, name), Buffer.from(val));
      return 0;
    }
    return r;
  }
  if (s.isNetlink) {
    if (level !== SOL_NETLINK) return -E.ENOPROTOOPT;
    if (iv === null) return -E.EINVAL;
    s.opts.set(key(level, name), Buffer.from(val.subarray(0, 4)));
    return 0;
  }
  if (s.isUnix) return -E.EOPNOTSUPP;
  // Inet protocol options: kept and reported back (the host socket is not TCP).
  if (level === IPPROTO_TCP) {
    if (!s.isTcp) return -E.ENOPROTOOPT;
    if (name === TCP_CONGESTION) {
      const alg = val.toString('latin1').replace(/\0.*$/s, '');
      if (!['cubic', 'reno'].includes(alg)) return -E.ENOENT;
      s.opts.set(key(level, name), Buffer.from(alg, 'latin1'));
      return 0;
    }
    if (iv === null) return -E.EINVAL;
    if ((name === TCP_KEEPIDLE || name === TCP_KEEPINTVL) && (iv < 1 || iv > 32767)) return -E.EINVAL;
    if (name === TCP_KEEPCNT && (iv < 1 || iv > 127)) return -E.EINVAL;
    s.opts.set(key(level, name), Buffer.from(val.subarray(0, 4)));
    return 0;
  }
  if (level === IPPROTO_UDP) {
    if (!s.isUdp) return -E.ENOPROTOOPT;
    s.opts.set(key(level, name), Buffer.from(val.subarray(0, 4)));
    return 0;
  }
  if (level === IPPROTO_IPV6) {
    if (s.family !== AF_INET6) return -E.ENOPROTOOPT;
    if (iv === null) return -E.EINVAL;
    if (name === IPV6_V6ONLY) {
      if (s.inetLocal) return -E.EINVAL;
      s.v6only = iv !== 0;
    }
    s.opts.set(key(level, name), Buffer.from(val.subarray(0, 4)));
    return 0;
  }
  if (level === IPPROTO_IP) {
    if (len === 0) return -E.EINVAL;
    s.opts.set(key(level, name), Buffer.from(val));
    return 0;
  }
  return -E.ENOPROTOOPT;
}

function intBuf(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v, 0);
  return b;
}

function optValue(c: Call, s: Socket, level: number, name: number): Buffer | number {
  const kept = s.opts.get(key(level, name));
  if (level === SOL_SOCKET) {
    switch (name) {
      case SO_TYPE:
        return intBuf(s.type);
      case SO_DOMAIN:
        return intBuf(s.family);
      case SO_PROTOCOL:
        return intBuf(s.protocol);
      case SO_ACCEPTCONN:
        return intBuf(s.state === 'listening' ? 1 : 0);
      case SO_ERROR: {
        // The sentry's own (a refused connect) first, then the host socket's, once each.
        if (s.error && !s.connectPending) {
          const e = s.error;
          s.error = 0;
          return intBuf(e);
        }
        if (s.error && s.connectPending) {
          const e = s.error;
          s.error = 0;
          s.connectPending = false;
          s.state = 'unbound';
          // The host's own error (the reset that made it poll as refused) is the same event: cleared with it.
          hostGetsockoptInt(s.hostFd, SOL_SOCKET, SO_ERROR);
          return intBuf(e);
        }
        const h = hostGetsockoptInt(s.hostFd, SOL_SOCKET, SO_ERROR);
        return intBuf(h < 0 ? 0 : h);
      }
      case SO_PEERCRED: {
        const b = Buffer.alloc(12);
        const p = s.peerCred ?? (s.isUnix ? null : null);
        if (!p) {
          if (!s.isUnix) return -E.ENOTCONN;
          b.writeInt32LE(0, 0);
          b.writeInt32LE(-1, 4);
          b.writeInt32LE(-1, 8);
          return b;
        }
        b.writeInt32LE(p.pid, 0);
        b.writeUInt32LE(p.uid >>> 0, 4);
        b.writeUInt32LE(p.gid >>> 0, 8);
        return b;
      }
      case SO_PEERSEC:
        return -E.ENOPROTOOPT;
      case SO_PEERGROUPS:
        return -E.ENODATA;
      case SO_REUSEADDR:
        return intBuf(s.reuseAddr ? 1 : 0);
      case SO_REUSEPORT:
        return intBuf(s.reusePort ? 1 : 0);
      case SO_PASSCRED:
        return intBuf(s.passcred ? 1 : 0);
      case SO_BINDTODEVICE:
        return kept ?? Buffer.alloc(0);
    }
    if (kept) return kept;
    const b = Buffer.alloc(256);
    const n = hostGetsockopt(s.hostFd, level, name, b);
    return n < 0 ? n : b.subarray(0, n);
  }
  if (s.isNetlink) return level === SOL_NETLINK ? kept ?? intBuf(0) : -E.ENOPROTOOPT;
  if (s.isUnix) return -E.EOPNOTSUPP;
  if (level === IPPROTO_TCP) {
    if (!s.isTcp) return -E.ENOPROTOOPT;
    if (name === TCP_INFO) {
      const b = Buffer.alloc(104);
      b[0] = s.state === 'connected' ? 1 : s.state === 'listening' ? 10 : 7; // ESTABLISHED, LISTEN, CLOSE
      return b;
    }
    if (name === TCP_CONGESTION) return kept ?? Buffer.from('cubic\0', 'latin1');
    if (kept) return kept;
    switch (name) {
      case TCP_NODELAY:
        return intBuf(0);
      case TCP_MAXSEG:
        return intBuf(s.state === 'connected' ? 65483 : 536);
      case TCP_KEEPIDLE:
        return intBuf(7200);
      case TCP_KEEPINTVL:
        return intBuf(75);
      case TCP_KEEPCNT:
        return intBuf(9);
      case TCP_SYNCNT:
        return intBuf(6);
    }
    return intBuf(0);
  }
  if (level === IPPROTO_UDP) return s.isUdp ? kept ?? intBuf(0) : -E.ENOPROTOOPT;
  if (level === IPPROTO_IPV6) {
    if (s.family !== AF_INET6) return -E.ENOPROTOOPT;
    if (name === IPV6_V6ONLY) return intBuf(s.v6only ? 1 : 0);
    if (name === IPV6_UNICAST_HOPS) return kept ?? intBuf(64);
    return kept ?? intBuf(0);
  }
  if (level === IPPROTO_IP) {
    if (name === IP_TTL) return kept ?? intBuf(64);
    return kept ?? intBuf(0);
  }
  void c;
  return -E.ENOPROTOOPT;
}

function sysGetsockopt(c: Call): number {
  const sf = sockOf(c, c.int(0));
  if (typeof sf === 'number') return sf;
  const lenPtr = c.ptr(4);
  const have = c.readI32(lenPtr);
  if (have < 0 && have >= -4095 && typeof have === 'number' && have === -E.EFAULT) return -E.EFAULT;
  if (have < 0) return -E.EINVAL;
  const v = optValue(c, sf.s, c.int(1), c.int(2));
  if (typeof v === 'number') return v;
  const n = Math.min(have, v.length);
  const r = c.write(c.ptr(3), v.subarray(0, n));
  if (r < 0) return r;
  return c.writeI32(lenPtr, n);
}

// ---- ioctl (called from fd.ts for socket fds) ----

const SIOCGIFNAME = 0x8910;
const SIOCGIFCONF = 0x8912;
const SIOCGIFFLAGS = 0x8913;
const SIOCGIFADDR = 0x8915;
const SIOCGIFBRDADDR = 0x8919;
const SIOCGIFNETMASK = 0x891b;
const SIOCGIFMTU = 0x8921;
const SIOCGIFHWADDR = 0x8927;
const SIOCGIFINDEX = 0x8933;
const SIOCGIFTXQLEN = 0x8942;
const SIOCSIFFLAGS = 0x8914;
const SIOCSIFADDR = 0x8916;
const SIOCATMARK = 0x8905;
const SIOCOUTQ = 0x5411;
const SIOCINQ = 0x541b;
const IFREQ = 40;

/** Socket ioctls: interface queries against the sandbox's interfaces; null when not a socket request. */
export function socketIoctl(c: Call, file: OpenFile, req: number): number | null {
  if (!(file.inode instanceof SocketInode)) return null;
  const s = file.inode.sock;
  const stack = netOf(c.kernel);
  const arg = c.ptr(2);
  const sin = (ip: Buffer): Buffer => {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(AF_INET, 0);
    ip.copy(b, 4, 12, 16);
    return b;
  };
  const v4addr = (i: (typeof stack.ifaces)[number]): Buffer | null => i.addrs.find(([ip]) => isV4(ip))?.[0] ?? null;
  switch (req) {
    case SIOCINQ:
    case SIOCOUTQ:
      return CONTINUE;
    case SIOCATMARK:
      return c.writeI32(arg, 0);
    case SIOCGIFCONF: {
      const b = c.read(arg, 16);
      if (typeof b === 'number') return b;
      const len = b.readInt32LE(0);
      const ptr = Number(b.readBigUInt64LE(8));
      const entries = stack.ifaces.filter((i) => v4addr(i));
      if (ptr === 0) return c.writeI32(arg, entries.length * IFREQ);
      const out: Buffer[] = [];
      for (const i of entries) {
        if ((out.length + 1) * IFREQ > len) break;
        const e = Buffer.alloc(IFREQ);
        e.write(i.name, 0, 'latin1');
        sin(v4addr(i)!).copy(e, 16);
        out.push(e);
      }
      const all = Buffer.concat(out);
      const w = c.write(ptr, all);
      if (w < 0) return w;
      return c.writeI32(arg, all.length);
    }
    case SIOCGIFNAME: {
      const b = c.readCopy(arg, IFREQ);
      if (typeof b === 'number') return b;
      const i = stack.ifaces.find((x) => x.index === b.readInt32LE(16));
      if (!i) return -E.ENODEV;
      b.fill(0, 0, 16);
      b.write(i.name, 0, 'latin1');
      return c.write(arg, b);
    }
    case SIOCGIFFLAGS:
    case SIOCGIFADDR:
    case SIOCGIFBRDADDR:
    case SIOCGIFNETMASK:
    case SIOCGIFMTU:
    case SIOCGIFHWADDR:
    case SIOCGIFINDEX:
    case SIOCGIFTXQLEN: {
      const b = c.readCopy(arg, IFREQ);
      if (typeof b === 'number') return b;
      const name = b.toString('latin1', 0, 16).replace(/\0.*$/s, '');
      const i = stack.ifaces.find((x) => x.name === name);
      if (!i) return -E.ENODEV;
      b.fill(0, 16);
      const ip = v4addr(i);
      const prefix = i.addrs.find(([a]) => isV4(a))?.[1] ?? 0;
      switch (req) {
        case SIOCGIFFLAGS:
          b.writeUInt16LE(i.flags & 0xffff, 16);
          break;
        case SIOCGIFADDR:
          if (!ip) return -E.EADDRNOTAVAIL;
          sin(ip).copy(b, 16);
          break;
        case SIOCGIFBRDADDR: {
          if (!ip) return -E.EADDRNOTAVAIL;
          const bc = sin(ip);
          if (i.name !== 'lo') bc.writeUInt32BE((bc.readUInt32BE(4) | ((2 ** (32 - prefix) - 1) >>> 0)) >>> 0, 4);
          else bc.fill(0, 4, 8);
          bc.copy(b, 16);
          break;
        }
        case SIOCGIFNETMASK: {
          if (!ip) return -E.EADDRNOTAVAIL;
          const m = Buffer.alloc(16);
          m.writeUInt16LE(AF_INET, 0);
          m.writeUInt32BE(prefix ? ((0xffffffff << (32 - prefix)) >>> 0) : 0, 4);
          m.copy(b, 16);
          break;
        }
        case SIOCGIFMTU:
          b.writeInt32LE(i.mtu, 16);
          break;
        case SIOCGIFHWADDR:
          b.writeUInt16LE(i.name === 'lo' ? 772 : 1, 16);
          i.mac.copy(b, 18);
          break;
        case SIOCGIFINDEX:
          b.writeInt32LE(i.index, 16);
          break;
        case SIOCGIFTXQLEN:
          b.writeInt32LE(1000, 16);
          break;
      }
      return c.write(arg, b);
    }
    case SIOCSIFFLAGS:
    case SIOCSIFADDR:
      return -E.EPERM;
  }
  void s;
  return null;
}

const SOCKET_NOTE = 'AF_UNIX, AF_INET/AF_INET6 TCP and UDP, NETLINK_ROUTE (docs/network.md)';

export const socketSyscalls: SyscallFamily = {
  socket: { fn: sysSocket, args: 'int,hex,int', ret: 'fd', partial: `${SOCKET_NOTE}; raw and packet sockets EPERM/EAFNOSUPPORT` },
  socketpair: { fn: sysSocketpair, args: 'int,hex,int,ptr', partial: 'AF_UNIX only (others EOPNOTSUPP, as Linux)' },
  bind: { fn: sysBind, args: 'fd,ptr,int' },
  listen: { fn: sysListen, args: 'fd,int', partial: 'TCP listeners take every connection (no backlog limit); unix listeners keep the backlog' },
  connect: { fn: sysConnect, args: 'fd,ptr,int' },
  accept: { fn: (c) => acceptImpl(c, 0), args: 'fd,ptr,ptr', ret: 'fd' },
  accept4: { fn: (c) => acceptImpl(c, c.int(3)), args: 'fd,ptr,ptr,hex', ret: 'fd' },
  getsockname: { fn: sysGetsockname, args: 'fd,ptr,ptr' },
  getpeername: { fn: sysGetpeername, args: 'fd,ptr,ptr' },
  shutdown: { fn: sysShutdown, args: 'fd,int' },
  sendto: { fn: sysSendto, args: 'fd,ptr,size,hex,ptr,int', partial: 'MSG_OOB is EOPNOTSUPP' },
  recvfrom: { fn: sysRecvfrom, args: 'fd,ptr,size,hex,ptr,ptr', partial: 'MSG_OOB and MSG_ERRQUEUE unsupported' },
  sendmsg: { fn: sysSendmsg, args: 'fd,ptr,hex' },
  recvmsg: { fn: sysRecvmsg, args: 'fd,ptr,hex' },
  sendmmsg: { fn: sysSendmmsg, args: 'fd,ptr,uint,hex' },
  recvmmsg: { fn: sysRecvmmsg, args: 'fd,ptr,uint,hex,ptr', partial: 'the timeout argument is ignored' },
  setsockopt: { fn: sysSetsockopt, args: 'fd,int,int,ptr,int', partial: 'TCP/IP-level options are kept and reported back, not applied' },
  getsockopt: { fn: sysGetsockopt, args: 'fd,int,int,ptr,ptr' },
};

void intOpt;
void withNonblock;
