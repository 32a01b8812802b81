// The sandbox's network namespace: its interfaces (loopback and one interface
// of its own), the TCP and UDP port tables, the unix namespaces (abstract
// names, and socket files of the VFS by inode), and the sockets' host
// plumbing. Nothing here is shared with the host's network or with another
// sandbox: two sandboxes both listening on 127.0.0.1:8080 each have their own.
import { E } from '../abi/errno.js';
import { F_GETFL, F_SETFL, O_NONBLOCK } from '../abi/flags.js';
import { close, fcntl } from '../platform/host.js';
import {
  abstractAddr, boundName, hostAccept, hostBind, hostConnect, hostListen, hostSocket, SOCK_CLOEXEC, SOCK_DGRAM as H_DGRAM, SOCK_NONBLOCK,
  AF_UNIX as H_UNIX,
} from '../platform/net.js';
import { ANY4, ANY6, type InetAddr, isAny, isLoopback, isV4, LOOP4, LOOP6, v4, AF_INET6 } from './addr.js';
import { NetPolicy } from './policy.js';
import { type Pending, type PeerCred, Socket, SOCK_STREAM } from './socket.js';

export type NetworkMode = 'none' | 'host';

export interface Iface {
  index: number;
  name: string;
  flags: number;
  mtu: number;
  mac: Buffer;
  /** [address, prefix length] */
  addrs: [Buffer, number][];
}

/** The sandbox's own interface address (QEMU user-mode style: private, fixed). */
export const IFACE_ADDR = v4(10, 0, 2, 15);
export const IFACE_GATEWAY = v4(10, 0, 2, 2);
export const IFACE_PREFIX = 24;

const IFF_UP = 0x1;
const IFF_BROADCAST = 0x2;
const IFF_LOOPBACK = 0x8;
const IFF_RUNNING = 0x40;
const IFF_MULTICAST = 0x1000;
const IFF_LOWER_UP = 0x10000;

const EPHEMERAL_LO = 32768;
const EPHEMERAL_HI = 60999;
/** Connections queued per listener beyond which connect is refused (the host queue has its own bound). */
const MAX_BACKLOG = 4096;

export class NetStack {
  readonly ifaces: Iface[];
  /** Every live socket (for /proc/net). */
  readonly sockets = new Set<Socket>();
  /** Ephemeral ports, lowest and highest (net.ipv4.ip_local_port_range). */
  portRange: [number, number] = [EPHEMERAL_LO, EPHEMERAL_HI];
  readonly tcp = new Map<number, Set<Socket>>();
  readonly udp = new Map<number, Set<Socket>>();
  readonly abstract = new Map<string, Socket>();
  /** Socket files of the VFS, by "dev:ino" of their inode. */
  readonly paths = new Map<string, Socket>();
  /** Host abstract name → socket (to name the source of a received datagram). */
  readonly byHostName = new Map<string, Socket>();
  private nextNlPid = 1;

  constructor(
    readonly mode: NetworkMode,
    readonly policy: NetPolicy,
    readonly log: (line: string) => void,
  ) {
    this.ifaces = [
      { index: 1, name: 'lo', flags: IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP, mtu: 65536, mac: Buffer.alloc(6), addrs: [[LOOP4, 8], [LOOP6, 128]] },
      {
        index: 2,
        name: 'eth0',
        flags: IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST | IFF_LOWER_UP,
        mtu: 1500,
        mac: Buffer.from([0x02, 0x00, 0x0a, 0x00, 0x02, 0x0f]),
        addrs: [[IFACE_ADDR, IFACE_PREFIX]],
      },
    ];
  }

  add(s: Socket): void {
    this.sockets.add(s);
  }

  /** The socket is gone: its names and ports are free again. */
  remove(s: Socket): void {
    this.sockets.delete(s);
    this.unbindPort(s);
    this.forget(s);
  }

  /** Gives up an inet socket's port (closing, or a UDP disconnect of an ephemeral port). */
  unbindPort(s: Socket): void {
    if (s.inetLocal && s.inetLocal.port) {
      const t = (s.isTcp ? this.tcp : this.udp).get(s.inetLocal.port);
      t?.delete(s);
      if (t && t.size === 0) (s.isTcp ? this.tcp : this.udp).delete(s.inetLocal.port);
    }
  }

  private forget(s: Socket): void {
    if (s.unixLocal?.kind === 'abstract' && this.abstract.get(s.unixLocal.name) === s) this.abstract.delete(s.unixLocal.name);
    for (const [k, v] of this.paths) if (v === s) this.paths.delete(k);
    if (s.hostName && this.byHostName.get(s.hostName) === s) this.byHostName.delete(s.hostName);
    for (const p of s.pending.splice(0)) {
      if (p.injected !== undefined) close(p.injected);
      if (p.standIn !== undefined) close(p.standIn);
    }
    if (s.peer && s.peer.peer === s) s.peer.peer = null;
  }

  nlPid(): number {
    return this.nextNlPid++;
  }

  // ---- addresses ----

  /** An address of this sandbox (bindable): loopback, the interface's, or a wildcard. */
  isLocal(ip: Buffer): boolean {
    return isAny(ip) || isLoopback(ip) || ip.equals(IFACE_ADDR);
  }

  /** The source address a socket bound to `local` uses towards `dest`. */
  sourceFor(local: Buffer | null, dest: Buffer): Buffer {
    if (local && !isAny(local)) return local;
    if (isV4(dest)) return isLoopback(dest) || isAny(dest) ? LOOP4 : IFACE_ADDR;
    return LOOP6;
  }

  // ---- ports ----

  private table(s: Socket): Map<number, Set<Socket>> {
    return s.isTcp ? this.tcp : this.udp;
  }

  /** Whether `a` (bound to ip a.ip) and `b` could receive for one address. */
  private overlaps(aIp: Buffer, aV6only: boolean, bIp: Buffer, bV6only: boolean): boolean {
    const covers = (ip: Buffer, v6only: boolean, other: Buffer): boolean => {
      if (ip.equals(other)) return true;
      if (ip.equals(ANY4)) return isV4(other);
      if (ip.equals(ANY6)) return !isV4(other) || !v6only;
      return false;
    };
    return covers(aIp, aV6only, bIp) || covers(bIp, bV6only, aIp);
  }

  /** Binds an inet socket to ip:port (port 0: an ephemeral one). */
  bindInet(s: Socket, addr: InetAddr): number {
    if (!this.isLocal(addr.ip)) return -E.EADDRNOTAVAIL;
    const table = this.table(s);
    let port = addr.port;
    if (port === 0) {
      const p = this.ephemeral(table, (cand) => this.free(s, table, addr.ip, cand));
      if (p < 0) return p;
      port = p;
    } else if (!this.free(s, table, addr.ip, port)) return -E.EADDRINUSE;
    s.inetLocal = { ip: Buffer.from(addr.ip), port, scope: addr.scope };
    s.portLocked = addr.port !== 0;
    let set = table.get(port);
    if (!set) table.set(port, (set = new Set()));
    set.add(s);
    s.state = 'bound';
    return 0;
  }

  private free(s: Socket, table: Map<number, Set<Socket>>, ip: Buffer, port: number): boolean {
    const set = table.get(port);
    if (!set) return true;
    for (const o of set) {
      if (o === s || !o.inetLocal) continue;
      if (!this.overlaps(ip, s.v6only, o.inetLocal.ip, o.v6only)) continue;
      if (s.reusePort && o.reusePort) continue;
      // SO_REUSEADDR: TCP may share a port unless one of them listens; UDP always.
      if (s.reuseAddr && o.reuseAddr && (s.isUdp || (o.state !== 'listening' && s.state !== 'listening'))) continue;
      return false;
    }
    return true;
  }

  private ephemeral(table: Map<number, Set<Socket>>, ok: (p: number) => boolean): number {
    const [lo, hi] = this.portRange;
    const span = hi - lo + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const p = lo + ((start + i) % span);
      if (!table.has(p) && ok(p)) return p;
    }
    return -E.EADDRNOTAVAIL;
  }

  /** An unbound socket about to connect or send: an ephemeral port on the wildcard address. */
  autobind(s: Socket): number {
    if (s.inetLocal) return 0;
    return this.bindInet(s, { ip: s.family === AF_INET6 ? ANY6 : ANY4, port: 0 });
  }

  private covers(s: Socket, ip: Buffer): boolean {
    const l = s.inetLocal!.ip;
    if (l.equals(ip)) return true;
    if (l.equals(ANY4)) return isV4(ip);
    if (l.equals(ANY6)) return !isV4(ip) || !s.v6only;
    return false;
  }

  /** The listener for a connection to ip:port (an exact address before a wildcard). */
  findListener(ip: Buffer, port: number): Socket | null {
    if (isAny(ip)) ip = isV4(ip) ? LOOP4 : LOOP6;
    let wild: Socket | null = null;
    for (const s of this.tcp.get(port) ?? []) {
      if (s.state !== 'listening' || !this.covers(s, ip)) continue;
      if (!isAny(s.inetLocal!.ip)) return s;
      wild ??= s;
    }
    return wild;
  }

  /** The UDP socket a datagram from `from` to ip:port goes to. */
  findUdp(ip: Buffer, port: number, from: InetAddr | null): Socket | null {
    if (isAny(ip)) ip = isV4(ip) ? LOOP4 : LOOP6;
    let best: Socket | null = null;
    let bestScore = -1;
    for (const s of this.udp.get(port) ?? []) {
      if (!this.covers(s, ip)) continue;
      let score = isAny(s.inetLocal!.ip) ? 0 : 1;
      if (s.inetPeer) {
        if (!from || s.inetPeer.port !== from.port || !s.inetPeer.ip.equals(from.ip)) continue;
        score += 2;
      }
      if (score > bestScore) (best = s), (bestScore = score);
    }
    return best;
  }

  // ---- host plumbing ----

  /** Gives the host socket a kernel-chosen abstract name (for connects and datagrams to reach it). */
  hostAutobind(s: Socket): number {
    if (s.hostName) return 0;
    const r = hostBind(s.hostFd, abstractAddr(''));
    if (r < 0) return r;
    const name = boundName(s.hostFd);
    if (typeof name === 'number') return name;
    s.hostName = name;
    this.byHostName.set(name, s);
    return 0;
  }

  listen(s: Socket, backlog: number, cred: PeerCred): number {
    const r = this.hostAutobind(s);
    if (r < 0) return r;
    const b = Math.max(0, Math.min(backlog, MAX_BACKLOG));
    const l = hostListen(s.hostFd, b);
    if (l < 0) return l;
    s.backlog = b;
    s.state = 'listening';
    s.listenCred = cred;
    return 0;
  }

  /**
   * Connects the host socket of `s` to the listener `l` without blocking the
   * sentry, and queues what accept will need to know. -EAGAIN: the
   * listener's queue is full (the caller waits or answers EAGAIN).
   */
  connectTo(s: Socket, l: Socket, p: Omit<Pending, 'client'>): number {
    if (l.pending.length >= MAX_BACKLOG) return -E.ECONNREFUSED;
    const r = withNonblock(s.hostFd, () => hostConnect(s.hostFd, abstractAddr(l.hostName)));
    if (r < 0) return r === -E.EAGAIN || r === -E.EINPROGRESS ? -E.EAGAIN : r;
    l.pending.push({ client: s, ...p });
    return 0;
  }

  /**
   * Queues a connection from outside (--publish): a stand-in host socket
   * takes the host queue's slot so the guest's poll on the listener sees it;
   * accept swaps in the real host socket.
   */
  inject(l: Socket, hostFd: number, from: InetAddr): number {
    const standIn = hostSocket(H_UNIX, l.type === SOCK_STREAM ? 1 : 5, 0);
    if (standIn < 0) return standIn;
    const nb = fcntl(standIn, F_SETFL, fcntl(standIn, F_GETFL, 0) | O_NONBLOCK);
    const r = nb < 0 ? nb : hostConnect(standIn, abstractAddr(l.hostName));
    if (r < 0) {
      close(standIn);
      return r;
    }
    l.pending.push({ client: null, cred: { pid: 0, uid: 65534, gid: 65534 }, from, injected: hostFd, standIn });
    return 0;
  }

  /** Takes the next connection off the host queue of `l` (non-blocking): its host fd and what we know of it. */
  acceptFrom(l: Socket): { fd: number; p: Pending | undefined } | number {
    // accept4's SOCK_NONBLOCK is the new socket's mode; the listener's shared description is made non-blocking for the call.
    const fd = withNonblock(l.hostFd, () => hostAccept(l.hostFd, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (fd < 0) return fd;
    return { fd, p: l.pending.shift() };
  }

  /** A datagram socket that refuses: what a connected UDP socket whose peer does not exist talks to. */
  deadPeer(s: Socket): number {
    const sink = hostSocket(H_UNIX, H_DGRAM | SOCK_CLOEXEC, 0);
    if (sink < 0) return sink;
    let r = hostBind(sink, abstractAddr(''));
    const name = r < 0 ? r : boundName(sink);
    if (typeof name === 'number') {
      close(sink);
      return name;
    }
    r = hostConnect(s.hostFd, abstractAddr(name));
    close(sink);
    return r;
  }
}

/** Runs `f` with O_NONBLOCK set on the (shared) description, then restores the guest's mode. */
export function withNonblock<T>(fd: number, f: () => T): T {
  const fl = fcntl(fd, F_GETFL, 0);
  if (fl >= 0 && !(fl & O_NONBLOCK)) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  try {
    return f();
  } finally {
    if (fl >= 0 && !(fl & O_NONBLOCK)) fcntl(fd, F_SETFL, fl);
  }
}

const stacks = new WeakMap<object, NetStack>();

/** The network namespace of a kernel (sandbox); a loopback-only one unless one was attached. */
export function netOf(kernel: { log: (line: string) => void }): NetStack {
  let s = stacks.get(kernel);
  if (!s) {
    s = new NetStack('none', new NetPolicy(), kernel.log);
    stacks.set(kernel, s);
  }
  return s;
}

export function attachNet(kernel: object, stack: NetStack): void {
  stacks.set(kernel, stack);
}
