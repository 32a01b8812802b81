// NETLINK_ROUTE, as much as getifaddrs(3) and iproute2's `ip addr`, `ip link`
// and `ip route` ask for: dumps of links, addresses and routes of the
// sandbox's own interfaces. Requests reach the sentry on its end of the
// socket's host pair (the guest's send/write run natively into it, or the
// sentry forwards what a trapped sendto/sendmsg carried); answers are written
// back into the pair for the guest to read. Changes (RTM_NEW*/DEL*) are EPERM,
// other requests EOPNOTSUPP, each as an NLMSG_ERROR like the kernel's.
import { E } from '../abi/errno.js';
import { hostRecvmsg, hostSendmsg, MSG_DONTWAIT, whenReady, EPOLLIN } from '../platform/net.js';
import { AF_INET, AF_INET6, isV4 } from './addr.js';
import type { Socket } from './socket.js';
import { IFACE_ADDR, IFACE_GATEWAY, IFACE_PREFIX, type NetStack } from './stack.js';

const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 1;
const NLM_F_MULTI = 2;
const NLM_F_ACK = 4;
const NLM_F_DUMP = 0x300;

const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const RTM_NEWADDR = 20;
const RTM_GETADDR = 22;
const RTM_NEWROUTE = 24;
const RTM_GETROUTE = 26;

const IFLA_ADDRESS = 1;
const IFLA_BROADCAST = 2;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFLA_QDISC = 6;
const IFLA_TXQLEN = 13;
const IFLA_OPERSTATE = 16;
const IFLA_LINKMODE = 17;
const IFLA_GROUP = 27;
const IFLA_PROMISCUITY = 30;
const IFLA_NUM_TX_QUEUES = 31;
const IFLA_NUM_RX_QUEUES = 32;
const IFLA_CARRIER = 33;
const IFLA_MIN_MTU = 50;
const IFLA_MAX_MTU = 51;

const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_LABEL = 3;
const IFA_BROADCAST = 4;
const IFA_CACHEINFO = 6;
const IFA_FLAGS = 8;
const IFA_F_PERMANENT = 0x80;

const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PREFSRC = 7;
const RTA_TABLE = 15;

const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;
const RT_SCOPE_UNIVERSE = 0;
const RT_SCOPE_LINK = 253;
const RT_SCOPE_HOST = 254;
const RT_TABLE_MAIN = 254;
const RTPROT_KERNEL = 2;
const RTPROT_BOOT = 3;
const RTN_UNICAST = 1;

const align4 = (n: number): number => (n + 3) & ~3;

function attr(type: number, data: Buffer): Buffer {
  const b = Buffer.alloc(align4(4 + data.length));
  b.writeUInt16LE(4 + data.length, 0);
  b.writeUInt16LE(type, 2);
  data.copy(b, 4);
  return b;
}

const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return b;
};
const u8 = (v: number): Buffer => Buffer.from([v]);
const str = (s: string): Buffer => Buffer.from(s + '\0', 'latin1');

function message(type: number, flags: number, seq: number, pid: number, body: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + body.length, 0);
  h.writeUInt16LE(type, 4);
  h.writeUInt16LE(flags, 6);
  h.writeUInt32LE(seq, 8);
  h.writeUInt32LE(pid >>> 0, 12);
  return Buffer.concat([h, body]);
}

function links(stack: NetStack): Buffer[] {
  return stack.ifaces.map((i) => {
    const hdr = Buffer.alloc(16);
    hdr[0] = 0; // AF_UNSPEC
    hdr.writeUInt16LE(i.name === 'lo' ? ARPHRD_LOOPBACK : ARPHRD_ETHER, 2);
    hdr.writeInt32LE(i.index, 4);
    hdr.writeUInt32LE(i.flags, 8);
    const lo = i.name === 'lo';
    return Buffer.concat([
      hdr,
      attr(IFLA_IFNAME, str(i.name)),
      attr(IFLA_TXQLEN, u32(lo ? 1000 : 1000)),
      attr(IFLA_OPERSTATE, u8(lo ? 0 : 6)), // UNKNOWN for lo, UP
      attr(IFLA_LINKMODE, u8(0)),
      attr(IFLA_MTU, u32(i.mtu)),
      attr(IFLA_MIN_MTU, u32(lo ? 0 : 68)),
      attr(IFLA_MAX_MTU, u32(lo ? 0 : 65535)),
      attr(IFLA_GROUP, u32(0)),
      attr(IFLA_PROMISCUITY, u32(0)),
      attr(IFLA_NUM_TX_QUEUES, u32(1)),
      attr(IFLA_NUM_RX_QUEUES, u32(1)),
      attr(IFLA_CARRIER, u8(1)),
      attr(IFLA_QDISC, str(lo ? 'noqueue' : 'noqueue')),
      attr(IFLA_ADDRESS, i.mac),
      attr(IFLA_BROADCAST, lo ? Buffer.alloc(6) : Buffer.alloc(6, 0xff)),
    ]);
  });
}

function addrs(stack: NetStack, family: number): Buffer[] {
  const out: Buffer[] = [];
  for (const i of stack.ifaces) {
    for (const [ip, prefix] of i.addrs) {
      const fam = isV4(ip) ? AF_INET : AF_INET6;
      if (family && family !== fam) continue;
      const raw = fam === AF_INET ? ip.subarray(12) : ip;
      const hdr = Buffer.alloc(8);
      hdr[0] = fam;
      hdr[1] = fam === AF_INET ? prefix : prefix;
      hdr[2] = IFA_F_PERMANENT;
      hdr[3] = i.name === 'lo' ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
      hdr.writeUInt32LE(i.index, 4);
      const cache = Buffer.alloc(16);
      cache.writeUInt32LE(0xffffffff, 0);
      cache.writeUInt32LE(0xffffffff, 4);
      const parts = [hdr, attr(IFA_ADDRESS, Buffer.from(raw))];
      if (fam === AF_INET) {
        parts.push(attr(IFA_LOCAL, Buffer.from(raw)));
        if (i.name !== 'lo') {
          const bc = Buffer.from(raw);
          const host = 32 - prefix;
          bc.writeUInt32BE((bc.readUInt32BE(0) | ((2 ** host - 1) >>> 0)) >>> 0, 0);
          parts.push(attr(IFA_BROADCAST, bc));
        }
        parts.push(attr(IFA_LABEL, str(i.name)));
      }
      parts.push(attr(IFA_FLAGS, u32(IFA_F_PERMANENT)), attr(IFA_CACHEINFO, cache));
      out.push(Buffer.concat(parts));
    }
  }
  return out;
}

function routes(stack: NetStack, family: number): Buffer[] {
  const route = (dst: Buffer | null, dstLen: number, scope: number, proto: number, gw: Buffer | null, src: Buffer | null, fam = AF_INET, oif = 2): Buffer => {
    const hdr = Buffer.alloc(12);
    hdr[0] = fam;
    hdr[1] = dstLen;
    hdr[4] = RT_TABLE_MAIN;
    hdr[5] = proto;
    hdr[6] = scope;
    hdr[7] = RTN_UNICAST;
    const parts = [hdr, attr(RTA_TABLE, u32(RT_TABLE_MAIN))];
    if (dst) parts.push(attr(RTA_DST, dst));
    if (src) parts.push(attr(RTA_PREFSRC, src));
    if (gw) parts.push(attr(RTA_GATEWAY, gw));
    parts.push(attr(RTA_OIF, u32(oif)));
    return Buffer.concat(parts);
  };
  const net = Buffer.from(IFACE_ADDR.subarray(12));
  net[3] = 0;
  const out: Buffer[] = [];
  if (family === 0 || family === AF_INET) {
    if (stack.mode === 'host') out.push(route(null, 0, RT_SCOPE_UNIVERSE, RTPROT_BOOT, Buffer.from(IFACE_GATEWAY.subarray(12)), null));
    out.push(route(net, IFACE_PREFIX, RT_SCOPE_LINK, RTPROT_KERNEL, null, Buffer.from(IFACE_ADDR.subarray(12))));
  }
  if (family === 0 || family === AF_INET6) {
    const one = Buffer.alloc(16);
    one[15] = 1;
    out.push(route(one, 128, RT_SCOPE_UNIVERSE, RTPROT_KERNEL, null, null, AF_INET6, 1));
  }
  return out;
}

function errorMsg(req: Buffer, err: number, pid: number): Buffer {
  const body = Buffer.alloc(4 + 16);
  body.writeInt32LE(err, 0);
  req.copy(body, 4, 0, 16);
  return message(NLMSG_ERROR, 0x100 /* NLM_F_CAPPED */, req.readUInt32LE(8), pid, body);
}

/** The answers (datagrams) to what the guest sent. */
export function answer(stack: NetStack, s: Socket, data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off + 16 <= data.length) {
    const len = data.readUInt32LE(off);
    if (len < 16 || off + len > data.length) break;
    const req = data.subarray(off, off + len);
    const type = req.readUInt16LE(4);
    const flags = req.readUInt16LE(6);
    const seq = req.readUInt32LE(8);
    off += align4(len);
    if (!(flags & NLM_F_REQUEST) || type < 16) continue;
    const family = len > 16 ? req[16]! : 0;
    const dump = (flags & NLM_F_DUMP) === NLM_F_DUMP;
    let items: Buffer[] | null = null;
    let kind = 0;
    if (type === RTM_GETLINK && dump) (items = links(stack)), (kind = RTM_NEWLINK);
    else if (type === RTM_GETADDR && dump) (items = addrs(stack, family)), (kind = RTM_NEWADDR);
    else if (type === RTM_GETROUTE && dump) (items = routes(stack, family)), (kind = RTM_NEWROUTE);
    else if (type === RTM_GETLINK && len >= 32) {
      // One link, by index or by IFLA_IFNAME.
      const index = req.readInt32LE(20);
      let name = '';
      for (let a = 32; a + 4 <= len; ) {
        const al = req.readUInt16LE(a);
        if (al < 4) break;
        if (req.readUInt16LE(a + 2) === IFLA_IFNAME) name = req.toString('latin1', a + 4, a + al).replace(/\0.*$/, '');
        a += align4(al);
      }
      const all = links(stack);
      const i = stack.ifaces.findIndex((x) => (index ? x.index === index : x.name === name));
      if (i < 0) out.push(errorMsg(req, -E.ENODEV, s.nlPid));
      else out.push(message(RTM_NEWLINK, 0, seq, s.nlPid, all[i]!));
      continue;
    }
    if (items) {
      // Dumps: every item in one datagram, NLMSG_DONE in the next, as the kernel does.
      if (items.length) out.push(Buffer.concat(items.map((b) => message(kind, NLM_F_MULTI, seq, s.nlPid, b))));
      out.push(message(NLMSG_DONE, NLM_F_MULTI, seq, s.nlPid, Buffer.alloc(4)));
      continue;
    }
    const change = type % 4 === 0 || type % 4 === 1; // RTM_NEW*, RTM_DEL*
    out.push(errorMsg(req, change ? -E.EPERM : -E.EOPNOTSUPP, s.nlPid));
    if (flags & NLM_F_ACK && !change) continue;
  }
  return out;
}

/** Writes answers into the sentry's end of the pair. */
export function deliver(s: Socket, msgs: Buffer[]): void {
  for (const m of msgs) hostSendmsg(s.nlFd, m, null, null, MSG_DONTWAIT);
}

/** Serves requests the guest writes into its end (native send/write) for as long as the socket lives. */
export function serve(stack: NetStack, s: Socket): void {
  const buf = Buffer.alloc(65536);
  const addr = Buffer.alloc(128);
  const meta = new Int32Array(8);
  let cancel = (): void => {};
  const ready = (): void => {
    if (s.nlFd < 0) return;
    for (;;) {
      const n = hostRecvmsg(s.nlFd, buf, MSG_DONTWAIT, addr, meta);
      if (n < 0) break;
      deliver(s, answer(stack, s, Buffer.from(buf.subarray(0, n))));
    }
    cancel = whenReady(s.nlFd, EPOLLIN, ready);
  };
  cancel = whenReady(s.nlFd, EPOLLIN, ready);
  s.onClose.push(() => cancel());
}
