// The sandbox's stdio when it is a host unix socket (Node, libuv and many
// supervisors give their children socketpairs as "pipes"): the guest sees a
// connected, unnamed AF_UNIX socket. Its other end is outside the sandbox,
// so descriptors are never sent through it (docs/network.md).
import { fstat } from '../platform/host.js';
import { hostGetsockname, hostGetsockoptInt } from '../platform/net.js';
import { OpenFile } from '../vfs/file.js';
import { AF_UNIX } from './addr.js';
import { Socket, SocketInode } from './socket.js';
import type { NetStack } from './stack.js';

const SOL_SOCKET = 1;
const SO_TYPE = 3;

export function stdioSocket(stack: NetStack, fd: number, flags: number, label: string): OpenFile | null {
  const st = fstat(fd);
  if (typeof st === 'number' || (st.mode & 0o170000) !== 0o140000) return null;
  const b = Buffer.alloc(128);
  if (hostGetsockname(fd, b) < 0 || b.readUInt16LE(0) !== AF_UNIX) return null;
  const type = hostGetsockoptInt(fd, SOL_SOCKET, SO_TYPE);
  if (type < 0) return null;
  const s = new Socket(AF_UNIX, type, 0, fd);
  s.state = 'connected';
  s.external = true;
  s.unixLocal = { kind: 'unnamed' };
  s.unixPeer = { kind: 'unnamed' };
  stack.add(s);
  return new OpenFile(null, new SocketInode(s, (x) => stack.remove(x)), flags, fd, 'socket', label);
}
