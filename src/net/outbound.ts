// The sandbox's way out and in, with `--network host` and `--publish`:
//
// - outbound TCP: after the policy check the sentry opens a host TCP
//   connection for the guest and relays between it and the guest's socket
//   (the guest's socket is connected to a relay end the sentry holds);
// - outbound UDP: the sentry sends each permitted datagram from a host UDP
//   socket of its own and delivers replies as datagrams from the remote
//   address; DNS queries (port 53) are checked against the policy by name
//   first, and the addresses of permitted answers become reachable;
// - published ports: the sentry listens on the host and queues each accepted
//   host TCP connection on the guest's listener, which accept hands over as
//   is (a real host TCP socket: no relay).
import { readFileSync } from 'node:fs';
import { E } from '../abi/errno.js';
import { lazyBuiltin } from '../platform/builtin.js';
import { close } from '../platform/host.js';
import {
  abstractAddr, EPOLLIN, EPOLLOUT, hostAccept, hostGetpeername, hostBind, hostConnect, hostGetsockoptInt, hostListen, hostRecvmsg, hostSendmsg, hostSetsockoptInt,
  hostSocket, MSG_DONTWAIT, SOCK_CLOEXEC, SOCK_NONBLOCK, whenReady,
} from '../platform/net.js';
import { AF_INET, AF_INET6, encodeInet, type InetAddr, inetText, ipText, isV4, parseIp } from './addr.js';
import { Socket, SOCK_DGRAM, SOCK_STREAM } from './socket.js';
import { IFACE_ADDR, type NetStack } from './stack.js';

const nodeNet = lazyBuiltin<typeof import('node:net')>('node:net');

const H_UNIX = 1;
const SOL_SOCKET = 1;
const SO_ERROR = 4;
const SO_REUSEADDR = 2;

/** A host sockaddr for ip:port (sockaddr_in for IPv4, sockaddr_in6 otherwise). */
function hostAddr(a: InetAddr): Buffer {
  return encodeInet(a, isV4(a.ip) ? AF_INET : AF_INET6);
}

function denied(stack: NetStack, a: InetAddr, what: string): void {
  stack.log(`tsvisor: network: denied ${what} to ${inetText(a)} (not in --allow-net)`);
}

/**
 * Connects the guest's socket to a relay end the sentry holds (a host
 * connection on the stack's relay listener). Returns the sentry's end.
 */
function relayEnd(stack: NetStack, s: Socket): number {
  const l = new Socket(H_UNIX, SOCK_STREAM, 0, hostSocket(H_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (l.hostFd < 0) return l.hostFd;
  try {
    let r = stack.listen(l, 1, { pid: 0, uid: 0, gid: 0 });
    if (r < 0) return r;
    r = stack.connectTo(s, l, { cred: { pid: 0, uid: 0, gid: 0 }, from: null });
    if (r < 0) return r;
    const acc = stack.acceptFrom(l);
    return typeof acc === 'number' ? acc : acc.fd;
  } finally {
    stack.remove(l);
    close(l.hostFd);
  }
}

/** Relays bytes both ways between two host sockets the sentry owns, half-closes included. */
function relay(aFd: number, bFd: number, onEnd: () => void): void {
  const { Socket: NodeSocket } = nodeNet();
  const a = new NodeSocket({ fd: aFd, allowHalfOpen: true, readable: true, writable: true });
  const b = new NodeSocket({ fd: bFd, allowHalfOpen: true, readable: true, writable: true });
  let ended = 0;
  const finish = (): void => {
    if (++ended === 2) {
      a.destroy();
      b.destroy();
      onEnd();
    }
  };
  a.pipe(b);
  b.pipe(a);
  a.on('end', finish);
  b.on('end', finish);
  const kill = (): void => {
    a.destroy();
    b.destroy();
    onEnd();
  };
  a.on('error', kill);
  b.on('error', kill);
}

type Park = (fd: number, events: number, attempt: () => number | null) => number;

/**
 * connect() to an address outside the sandbox (--network host): the policy
 * decides; a permitted connection is opened by the sentry without blocking
 * it, and the guest's call waits (or answers EINPROGRESS) until it is up.
 */
export function connectOutbound(c: { task: { group: { tgid: number } } }, stack: NetStack, s: Socket, a: InetAddr, nonblock: boolean, park: Park): number {
  if (!stack.policy.allows(a.ip, a.port)) {
    denied(stack, a, `connection (pid ${c.task.group.tgid})`);
    return -E.ECONNREFUSED;
  }
  const tcp = hostSocket(isV4(a.ip) ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (tcp < 0) return tcp;
  const r = hostConnect(tcp, hostAddr(a));
  if (r < 0 && r !== -E.EINPROGRESS) {
    close(tcp);
    return r;
  }
  const end = relayEnd(stack, s);
  if (end < 0) {
    close(tcp);
    return end;
  }
  s.state = 'connected';
  s.external = true;
  s.inetPeer = { ip: Buffer.from(a.ip), port: a.port };
  s.inetLocal = { ip: isV4(a.ip) ? IFACE_ADDR : s.inetLocal!.ip, port: s.inetLocal!.port };
  // Outcome of the host connect: 0 up, >0 an errno, -1 still going.
  let outcome = -1;
  const settle = (): void => {
    const e = hostGetsockoptInt(tcp, SOL_SOCKET, SO_ERROR);
    outcome = e < 0 ? -e : e;
    if (outcome === 0) {
      relay(end, tcp, () => {});
      return;
    }
    // Refused: the guest's socket reports the error and hangs up, as a refused
    // Linux socket does (data left unread on the relay end makes the host say so).
    s.error = outcome;
    hostSendmsg(s.hostFd, Buffer.from([0]), null, null, MSG_DONTWAIT | 0x4000);
    close(end);
    close(tcp);
  };
  whenReady(tcp, EPOLLOUT, settle);
  if (nonblock) {
    s.connectPending = true;
    return -E.EINPROGRESS;
  }
  return park(-1, 0, () => {
    if (outcome < 0) return null;
    if (outcome === 0) return 0;
    s.error = 0;
    return -outcome;
  });
}

// ---- UDP ----

interface UdpOut {
  fd: number;
  /** Remote address → the sentry's stand-in socket replies come from. */
  proxies: Map<string, Socket>;
}

const udpOut = new WeakMap<Socket, UdpOut>();

function nameservers(): Buffer[] {
  try {
    // The host's resolver, which the sandbox's /etc/resolv.conf names too (the lower layer is the host's /).
    const text = readFileSync('/etc/resolv.conf', 'latin1');
    return text
      .split('\n')
      .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
      .map((x) => (x ? parseIp(x) : null))
      .filter((x): x is Buffer => x !== null);
  } catch {
    return [];
  }
}

/** The DNS question name of a query, or null. */
export function dnsQuestion(q: Buffer): string | null {
  if (q.length < 12 || q.readUInt16BE(4) < 1) return null;
  const labels: string[] = [];
  let off = 12;
  for (let guard = 0; guard < 128; guard++) {
    if (off >= q.length) return null;
    const n = q[off]!;
    if (n === 0) return labels.join('.');
    if (n > 63 || off + 1 + n > q.length) return null;
    labels.push(q.toString('latin1', off + 1, off + 1 + n));
    off += 1 + n;
  }
  return null;
}

/** A REFUSED answer to a query (the policy does not allow the name). */
export function dnsRefused(q: Buffer): Buffer {
  const r = Buffer.from(q);
  const flags = q.readUInt16BE(2);
  r.writeUInt16BE(0x8000 | (flags & 0x0100) | 0x0080 | 5, 2); // QR, RD copied, RA, REFUSED
  r.writeUInt16BE(0, 6);
  r.writeUInt16BE(0, 8);
  r.writeUInt16BE(0, 10);
  return r;
}

/** The A/AAAA addresses in an answer. */
export function dnsAddresses(r: Buffer): Buffer[] {
  const out: Buffer[] = [];
  try {
    const qd = r.readUInt16BE(4);
    const an = r.readUInt16BE(6);
    let off = 12;
    const skipName = (): void => {
      for (;;) {
        const n = r[off]!;
        if (n === 0) return void off++;
        if ((n & 0xc0) === 0xc0) return void (off += 2);
        off += 1 + n;
      }
    };
    for (let i = 0; i < qd; i++) skipName(), (off += 4);
    for (let i = 0; i < an; i++) {
      skipName();
      const type = r.readUInt16BE(off);
      const len = r.readUInt16BE(off + 8);
      off += 10;
      if (type === 1 && len === 4) out.push(Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]), r.subarray(off, off + 4)]));
      if (type === 28 && len === 16) out.push(Buffer.from(r.subarray(off, off + 16)));
      off += len;
    }
  } catch {
    // A truncated answer: what was read so far.
  }
  return out;
}

/** The sentry's stand-in socket for a remote address: datagrams from it are "from" that address. */
function proxyFor(stack: NetStack, out: UdpOut, from: InetAddr): Socket | null {
  const k = `${ipText(from.ip)}:${from.port}`;
  let p = out.proxies.get(k);
  if (p) return p;
  const fd = hostSocket(H_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return null;
  p = new Socket(AF_INET, SOCK_DGRAM, 17, fd);
  p.external = true;
  p.inetPeer = { ip: Buffer.from(from.ip), port: from.port };
  if (stack.hostAutobind(p) < 0) {
    close(fd);
    return null;
  }
  out.proxies.set(k, p);
  return p;
}

function deliverFrom(stack: NetStack, s: Socket, out: UdpOut, from: InetAddr, data: Buffer): void {
  const p = proxyFor(stack, out, from);
  if (p && s.hostName) hostSendmsg(p.hostFd, data, abstractAddr(s.hostName), null, MSG_DONTWAIT);
}

/** Sends one datagram of the guest's outward (the policy was checked), DNS by name. */
function sendOut(stack: NetStack, s: Socket, out: UdpOut, a: InetAddr, data: Buffer, dns: boolean): number {
  if (dns) {
    const name = dnsQuestion(data);
    if (name === null || !stack.policy.allowsName(name)) {
      stack.log(`tsvisor: network: refused DNS query for ${name ?? '?'} (not in --allow-net)`);
      deliverFrom(stack, s, out, a, dnsRefused(data));
      return data.length;
    }
  }
  return hostSendmsg(out.fd, data, hostAddr(a), null, MSG_DONTWAIT);
}

/**
 * A UDP socket connected to an outside address: its host socket is connected
 * to the stand-in for that address, so the guest's native send reaches the
 * sentry, which forwards it; replies come from the stand-in, the only source
 * a connected socket takes.
 */
function connectOut(stack: NetStack, s: Socket, out: UdpOut, a: InetAddr, dns: boolean): number {
  const p = proxyFor(stack, out, a);
  if (!p) return -E.ENOBUFS;
  const r = hostConnect(s.hostFd, abstractAddr(p.hostName));
  if (r < 0) return r;
  const buf = Buffer.alloc(65536);
  const addr = Buffer.alloc(128);
  const meta = new Int32Array(8);
  let cancel = (): void => {};
  const ready = (): void => {
    if (p.state === 'closed') return;
    for (;;) {
      const n = hostRecvmsg(p.hostFd, buf, MSG_DONTWAIT, addr, meta);
      if (n < 0) break;
      sendOut(stack, s, out, a, Buffer.from(buf.subarray(0, n)), dns);
    }
    cancel = whenReady(p.hostFd, EPOLLIN, ready);
  };
  cancel = whenReady(p.hostFd, EPOLLIN, ready);
  s.onClose.push(() => cancel());
  return 0;
}

function udpSocketFor(stack: NetStack, s: Socket, v4: boolean): UdpOut | number {
  let out = udpOut.get(s);
  if (out) return out;
  const fd = hostSocket(v4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return fd;
  out = { fd, proxies: new Map() };
  const o = out;
  udpOut.set(s, o);
  const buf = Buffer.alloc(65536);
  const addr = Buffer.alloc(128);
  const meta = new Int32Array(8);
  let cancel = (): void => {};
  const ready = (): void => {
    for (;;) {
      const n = hostRecvmsg(o.fd, buf, MSG_DONTWAIT, addr, meta);
      if (n < 0) break;
      const fam = addr.readUInt16LE(0);
      const from = fam === AF_INET ? { ip: Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]), addr.subarray(4, 8)]), port: addr.readUInt16BE(2) } : { ip: Buffer.from(addr.subarray(8, 24)), port: addr.readUInt16BE(2) };
      const data = Buffer.from(buf.subarray(0, n));
      if (from.port === 53 && nameservers().some((ns) => ns.equals(from.ip))) {
        const name = dnsQuestion(data);
        if (name) stack.policy.learn(name, dnsAddresses(data));
      }
      deliverFrom(stack, s, o, from, data);
    }
    cancel = whenReady(o.fd, EPOLLIN, ready);
  };
  cancel = whenReady(o.fd, EPOLLIN, ready);
  s.onClose.push(() => {
    cancel();
    close(o.fd);
    for (const p of o.proxies.values()) {
      p.state = 'closed';
      stack.remove(p);
      close(p.hostFd);
    }
  });
  return out;
}

/**
 * A datagram (or a connect, with no data) to an address outside the sandbox.
 * DNS queries to the resolver of /etc/resolv.conf are checked by name.
 */
export function udpOutbound(stack: NetStack, s: Socket, a: InetAddr, data?: Buffer): number {
  const dns = a.port === 53 && nameservers().some((ns) => ns.equals(a.ip));
  if (!dns && !stack.policy.allows(a.ip, a.port)) {
    denied(stack, a, 'datagram');
    return -E.EACCES;
  }
  const out = udpSocketFor(stack, s, isV4(a.ip));
  if (typeof out === 'number') return out;
  if (!data) return connectOut(stack, s, out, a, dns);
  return sendOut(stack, s, out, a, data, dns);
}

// ---- published ports ----

export interface Publish {
  hostIp: Buffer;
  hostPort: number;
  guestPort: number;
  udp: boolean;
}

/** Parses `[ADDR:]HOSTPORT:GUESTPORT[/udp|/tcp]`; a string is the error. */
export function parsePublish(text: string): Publish | string {
  let t = text;
  let udp = false;
  const slash = t.lastIndexOf('/');
  if (slash >= 0) {
    const proto = t.slice(slash + 1);
    if (proto !== 'udp' && proto !== 'tcp') return `--publish ${text}: protocol must be tcp or udp`;
    udp = proto === 'udp';
    t = t.slice(0, slash);
  }
  const m = /^(?:\[([^\]]+)\]:|([^:]+):)?(\d+):(\d+)$/.exec(t);
  if (!m) return `--publish ${text}: expected [ADDR:]HOSTPORT:GUESTPORT[/udp]`;
  const ip = parseIp(m[1] ?? m[2] ?? '127.0.0.1');
  if (!ip) return `--publish ${text}: bad address`;
  const hostPort = Number(m[3]);
  const guestPort = Number(m[4]);
  if (!hostPort || hostPort > 65535 || !guestPort || guestPort > 65535) return `--publish ${text}: bad port`;
  return { hostIp: ip, hostPort, guestPort, udp };
}

/**
 * Listens on the host for one published port. TCP connections are queued on
 * the guest's listener for guestPort (refused while there is none); UDP
 * datagrams are forwarded to the guest socket bound to guestPort and its
 * replies go back to their sender. Returns a stop function, or -errno.
 */
export function publish(stack: NetStack, p: Publish): (() => void) | number {
  const fam = isV4(p.hostIp) ? AF_INET : AF_INET6;
  const fd = hostSocket(fam, (p.udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return fd;
  hostSetsockoptInt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
  let r = hostBind(fd, hostAddr({ ip: p.hostIp, port: p.hostPort }));
  if (r >= 0 && !p.udp) r = hostListen(fd, 128);
  if (r < 0) {
    close(fd);
    return r;
  }
  let cancel = (): void => {};
  let stopped = false;
  const from = (addr: Buffer): InetAddr =>
    addr.readUInt16LE(0) === AF_INET
      ? { ip: Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]), addr.subarray(4, 8)]), port: addr.readUInt16BE(2) }
      : { ip: Buffer.from(addr.subarray(8, 24)), port: addr.readUInt16BE(2) };
  const ready = (): void => {
    if (stopped) return;
    if (!p.udp) {
      for (;;) {
        const c = hostAccept(fd, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (c < 0) break;
        const l = stack.findListener(IFACE_ADDR, p.guestPort);
        if (!l || stack.inject(l, c, peerOf(c, Buffer.alloc(128), from)) < 0) close(c);
      }
    } else {
      forwardUdp(stack, fd, p, from);
    }
    cancel = whenReady(fd, EPOLLIN, ready);
  };
  cancel = whenReady(fd, EPOLLIN, ready);
  return () => {
    stopped = true;
    cancel();
    close(fd);
  };
}

function peerOf(fd: number, buf: Buffer, decode: (b: Buffer) => InetAddr): InetAddr {
  const n = hostGetpeername(fd, buf);
  return n < 0 ? { ip: Buffer.alloc(16), port: 0 } : decode(buf);
}

const udpReturn = new WeakMap<Publish, Map<string, Socket>>();

function forwardUdp(stack: NetStack, fd: number, p: Publish, decode: (b: Buffer) => InetAddr): void {
  const buf = Buffer.alloc(65536);
  const addr = Buffer.alloc(128);
  const meta = new Int32Array(8);
  let peers = udpReturn.get(p);
  if (!peers) udpReturn.set(p, (peers = new Map()));
  for (;;) {
    const n = hostRecvmsg(fd, buf, MSG_DONTWAIT, addr, meta);
    if (n < 0) break;
    const src = decode(addr);
    const t = stack.findUdp(IFACE_ADDR, p.guestPort, null);
    if (!t || !t.hostName) continue;
    const k = inetText(src);
    let proxy = peers.get(k);
    if (!proxy) {
      // A stand-in socket for this remote sender: the guest's replies to it come back here.
      const pf = hostSocket(H_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      if (pf < 0) continue;
      const px = new Socket(AF_INET, SOCK_DGRAM, 17, pf);
      px.external = true;
      px.inetPeer = src;
      if (stack.hostAutobind(px) < 0) {
        close(pf);
        continue;
      }
      peers.set(k, px);
      proxy = px;
      const rb = Buffer.alloc(65536);
      const ra = Buffer.alloc(128);
      const rm = new Int32Array(8);
      const back = (): void => {
        for (;;) {
          const m = hostRecvmsg(pf, rb, MSG_DONTWAIT, ra, rm);
          if (m < 0) break;
          hostSendmsg(fd, rb.subarray(0, m), hostAddr(src), null, MSG_DONTWAIT);
        }
        whenReady(pf, EPOLLIN, back);
      };
      whenReady(pf, EPOLLIN, back);
    }
    hostSendmsg(proxy.hostFd, buf.subarray(0, n), abstractAddr(t.hostName), null, MSG_DONTWAIT);
  }
}
