// /proc/net/{tcp,tcp6,udp,udp6,unix,dev}: the sandbox's own sockets and
// interfaces in the kernel's formats, for tools that read them (netstat, ss
// fallbacks, language runtimes).
import { fstat } from '../platform/host.js';
import { AF_INET6, type InetAddr, isV4 } from './addr.js';
import type { Socket } from './socket.js';
import { SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM } from './socket.js';
import type { NetStack } from './stack.js';

const hex = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w, '0');

function inoOf(s: Socket): number {
  const st = fstat(s.hostFd);
  return typeof st === 'number' ? 0 : st.ino;
}

/** An address as /proc/net/tcp prints it: the 32-bit words in host (little-endian) order. */
function addrHex(a: InetAddr | null, v6: boolean): string {
  const ip = a?.ip ?? Buffer.alloc(16);
  const port = hex(a?.port ?? 0, 4);
  if (!v6) return `${hex(ip.readUInt32LE(12), 8)}:${port}`;
  let out = '';
  for (let i = 0; i < 16; i += 4) out += hex(ip.readUInt32LE(i), 8);
  return `${out}:${port}`;
}

function inetTable(stack: NetStack, tcp: boolean, v6: boolean): string {
  const head = v6
    ? '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'
    : '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  const rows: string[] = [];
  for (const s of stack.sockets) {
    if (!s.isInet || s.isTcp !== tcp || s.external) continue;
    if ((s.family === AF_INET6) !== v6) continue;
    // An IPv6 socket whose addresses are IPv4 is still listed in the *6 table, as Linux does.
    const st = s.state === 'listening' ? 0x0a : s.state === 'connected' ? 0x01 : 0x07;
    const local = s.inetLocal ?? null;
    const peer = s.inetPeer ?? null;
    void isV4;
    rows.push(
      `${String(rows.length).padStart(4)}: ${addrHex(local, v6)} ${addrHex(peer, v6)} ${hex(st, 2)} 00000000:00000000 00:00000000 00000000 ${'0'.padStart(5)} ${'0'.padStart(8)} ${inoOf(s)} 2 0000000000000000 100 0 0 10 0`,
    );
  }
  return head + rows.map((r) => r + '\n').join('');
}

function unixTable(stack: NetStack): string {
  const rows = ['Num       RefCount Protocol Flags    Type St Inode Path'];
  for (const s of stack.sockets) {
    if (!s.isUnix) continue;
    const type = s.type === SOCK_STREAM ? 1 : s.type === SOCK_DGRAM ? 2 : s.type === SOCK_SEQPACKET ? 5 : s.type;
    const flags = s.state === 'listening' ? 0x10000 : 0;
    const st = s.state === 'connected' ? 3 : 1;
    const a = s.unixLocal;
    const path = !a || a.kind === 'unnamed' ? '' : a.kind === 'abstract' ? ` @${a.name.replace(/\0/g, '@')}` : ` ${a.path}`;
    rows.push(`${hex(s.id, 16).toLowerCase()}: 00000002 00000000 ${hex(flags, 8)} ${hex(type, 4)} ${hex(st, 2)} ${inoOf(s)}${path}`);
  }
  return rows.join('\n') + '\n';
}

function devTable(stack: NetStack): string {
  const lines = [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
  ];
  for (const i of stack.ifaces) {
    lines.push(`${i.name.padStart(6)}: ${[0, 0, 0, 0, 0, 0, 0, 0].map((n) => String(n).padStart(7)).join(' ')} ${[0, 0, 0, 0, 0, 0, 0, 0].map((n) => String(n).padStart(7)).join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

/** The files of /proc/net, each rendered when opened. */
export function procNetFiles(stack: NetStack): Record<string, () => string> {
  return {
    tcp: () => inetTable(stack, true, false),
    tcp6: () => inetTable(stack, true, true),
    udp: () => inetTable(stack, false, false),
    udp6: () => inetTable(stack, false, true),
    unix: () => unixTable(stack),
    dev: () => devTable(stack),
  };
}
