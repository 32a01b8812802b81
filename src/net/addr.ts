// Socket addresses as the guest writes them (sockaddr_un, sockaddr_in,
// sockaddr_in6) and as the sentry keeps them. IP addresses are kept as 16
// bytes, IPv4 in its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so one table
// serves both families; a socket's family decides how they are written back.
import { E } from '../abi/errno.js';

export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;

/** sizeof(struct sockaddr_un) and the path's room in it. */
export const SUN_LEN = 110;
const SUN_PATH = 108;

export type UnixAddr = { kind: 'path'; path: string } | { kind: 'abstract'; name: string } | { kind: 'unnamed' };

export interface InetAddr {
  /** 16 bytes; IPv4 as ::ffff:a.b.c.d. */
  ip: Buffer;
  port: number;
  flowinfo?: number;
  scope?: number;
}

const V4_PREFIX = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);

export function v4(a: number, b: number, c: number, d: number): Buffer {
  return Buffer.concat([V4_PREFIX, Buffer.from([a, b, c, d])]);
}

export const ANY4 = v4(0, 0, 0, 0);
export const ANY6 = Buffer.alloc(16);
export const LOOP4 = v4(127, 0, 0, 1);
export const LOOP6 = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);

export function isV4(ip: Buffer): boolean {
  return ip.compare(V4_PREFIX, 0, 12, 0, 12) === 0;
}

export function isAny(ip: Buffer): boolean {
  return ip.equals(ANY6) || ip.equals(ANY4);
}

export function isLoopback(ip: Buffer): boolean {
  return (isV4(ip) && ip[12] === 127) || ip.equals(LOOP6);
}

/** Printable form: dotted quad for IPv4 (mapped), RFC 5952 for IPv6. */
export function ipText(ip: Buffer): string {
  if (isV4(ip)) return `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(ip.readUInt16BE(i));
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) (bestAt = i), (bestLen = j - i);
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

/** Parses a textual IPv4 or IPv6 address; null when it is neither. */
export function parseIp(s: string): Buffer | null {
  const m4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (m4) {
    const p = m4.slice(1).map(Number);
    if (p.some((x) => x > 255)) return null;
    return v4(p[0]!, p[1]!, p[2]!, p[3]!);
  }
  if (!s.includes(':')) return null;
  const last = s.lastIndexOf(':');
  const tail = s.slice(last + 1);
  if (tail.includes('.')) {
    const t = parseIp(tail);
    if (!t || !isV4(t)) return null;
    s = `${s.slice(0, last + 1)}${t.readUInt16BE(12).toString(16)}:${t.readUInt16BE(14).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const part = (x: string): number[] | null => {
    if (x === '') return [];
    const out: number[] = [];
    for (const h of x.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return null;
      out.push(parseInt(h, 16));
    }
    return out;
  };
  const a = part(halves[0]!);
  const b = halves.length === 2 ? part(halves[1]!) : [];
  if (!a || !b) return null;
  const have = a.length + b.length;
  if (halves.length === 1 && have !== 8) return null;
  if (halves.length === 2 && have > 7) return null;
  const groups = [...a, ...new Array(8 - have).fill(0), ...b];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, 2 * i));
  return out;
}

/** A CIDR prefix match. */
export function inPrefix(ip: Buffer, net: Buffer, bits: number): boolean {
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
}

// ---- guest sockaddrs ----

/**
 * Decodes a sockaddr_un of `len` bytes (unix(7)): a path (up to the first NUL),
 * an abstract name (leading NUL, every byte counts), or unnamed (family only).
 */
export function decodeUnix(b: Buffer, len: number): UnixAddr | number {
  if (len < 2 || len > SUN_LEN) return -E.EINVAL;
  if (b.readUInt16LE(0) !== AF_UNIX) return -E.EINVAL;
  if (len === 2) return { kind: 'unnamed' };
  if (b[2] === 0) return { kind: 'abstract', name: b.toString('latin1', 3, len) };
  let end = 2;
  while (end < len && b[end] !== 0) end++;
  return { kind: 'path', path: b.toString('latin1', 2, end) };
}

export function encodeUnix(a: UnixAddr | null): Buffer {
  if (!a || a.kind === 'unnamed') {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(AF_UNIX, 0);
    return b;
  }
  if (a.kind === 'abstract') {
    const b = Buffer.alloc(3 + a.name.length);
    b.writeUInt16LE(AF_UNIX, 0);
    b.write(a.name, 3, 'latin1');
    return b;
  }
  // A path: as Linux reports it, with its NUL when it fits.
  const n = Math.min(a.path.length + 1, SUN_PATH);
  const b = Buffer.alloc(2 + n);
  b.writeUInt16LE(AF_UNIX, 0);
  b.write(a.path, 2, 'latin1');
  return b;
}

/**
 * Decodes sockaddr_in / sockaddr_in6 for a socket of `family`. An AF_INET
 * socket takes only sockaddr_in (EAFNOSUPPORT otherwise; AF_UNSPEC is the
 * caller's to handle); an AF_INET6 socket takes sockaddr_in6 (a sockaddr_in
 * is EINVAL for bind and EAFNOSUPPORT for connect, decided by the caller).
 */
export function decodeInet(b: Buffer, len: number, family: number): InetAddr | number {
  if (len < 2) return -E.EINVAL;
  const fam = b.readUInt16LE(0);
  if (family === AF_INET) {
    if (len < 16) return -E.EINVAL;
    if (fam !== AF_INET) return -E.EAFNOSUPPORT;
    return { ip: v4(b[4]!, b[5]!, b[6]!, b[7]!), port: b.readUInt16BE(2) };
  }
  if (len < 24) return -E.EINVAL;
  if (fam !== AF_INET6) return -E.EAFNOSUPPORT;
  return { ip: Buffer.from(b.subarray(8, 24)), port: b.readUInt16BE(2), flowinfo: b.readUInt32BE(4), scope: len >= 28 ? b.readUInt32LE(24) : 0 };
}

/** sockaddr_in for an AF_INET socket, sockaddr_in6 (IPv4 mapped) for AF_INET6. */
export function encodeInet(a: InetAddr | null, family: number): Buffer {
  if (family === AF_INET) {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(AF_INET, 0);
    if (a) {
      b.writeUInt16BE(a.port, 2);
      a.ip.copy(b, 4, 12, 16);
    }
    return b;
  }
  const b = Buffer.alloc(28);
  b.writeUInt16LE(AF_INET6, 0);
  if (a) {
    b.writeUInt16BE(a.port, 2);
    a.ip.copy(b, 8);
    b.writeUInt32LE(a.scope ?? 0, 24);
  }
  return b;
}

export function inetText(a: InetAddr): string {
  return isV4(a.ip) ? `${ipText(a.ip)}:${a.port}` : `[${ipText(a.ip)}]:${a.port}`;
}
