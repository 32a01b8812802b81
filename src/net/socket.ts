// Socket objects. The sentry owns every name (addresses, ports, the unix
// namespaces, peer identities); the bytes travel on host AF_UNIX sockets the
// sentry made, whose open file description the guest shares:
//
//   guest socket              host object
//   unix stream, TCP          AF_UNIX SOCK_STREAM (unbound; a listener is
//                             bound to a kernel-chosen abstract name)
//   unix seqpacket            AF_UNIX SOCK_SEQPACKET (likewise)
//   unix dgram, UDP           AF_UNIX SOCK_DGRAM (bound to a kernel-chosen
//                             abstract name once it has a sandbox address)
//   netlink (NETLINK_ROUTE)   one end of an AF_UNIX SOCK_DGRAM socketpair;
//                             the sentry answers on the other end
//
// A connection between two guest sockets is a host connection between their
// host sockets, so data moves at host speed and the guest's own poll, epoll
// and select see real readiness (a listener is readable when a connection
// waits, an unconnected stream socket reports POLLOUT|POLLHUP as Linux does).
import { E } from '../abi/errno.js';
import { S_IFMT, S_IFSOCK } from '../abi/flags.js';
import { close, fstat } from '../platform/host.js';
import { type FileSystem, Inode, type Stat } from '../vfs/inode.js';
import type { OpenFile } from '../vfs/file.js';
import { AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, type InetAddr, type UnixAddr } from './addr.js';

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_SEQPACKET = 5;

export type SockState = 'unbound' | 'bound' | 'listening' | 'connected' | 'closed';

export interface PeerCred {
  pid: number;
  uid: number;
  gid: number;
}

/** A connection waiting in a listener's queue, in the host queue's order. */
export interface Pending {
  /** The connecting guest socket; null for a connection from outside (--publish). */
  client: Socket | null;
  cred: PeerCred;
  /** The client's address as the acceptor sees it. */
  from: InetAddr | UnixAddr | null;
  /** --publish: the host TCP socket to give the acceptor instead of the queued stand-in. */
  injected?: number;
  /** --publish: the stand-in that occupies the host queue's slot (closed at accept). */
  standIn?: number;
}

let nextSockId = 1;

export class Socket {
  readonly id = nextSockId++;
  state: SockState = 'unbound';
  /** Sandbox addresses: unix sockets use the unix pair, inet sockets the inet pair. */
  unixLocal: UnixAddr | null = null;
  unixPeer: UnixAddr | null = null;
  inetLocal: InetAddr | null = null;
  inetPeer: InetAddr | null = null;
  /** SO_PEERCRED: the peer's identity when the connection was made. */
  peerCred: PeerCred | null = null;
  /** The identity of whoever called listen() (what connecting clients see as peer). */
  listenCred: PeerCred | null = null;
  /** The guest socket at the other end of a connection made in the sandbox. */
  peer: Socket | null = null;
  readonly pending: Pending[] = [];
  backlog = 0;
  /** The abstract name of the host socket ("" while it has none). */
  hostName = '';
  /** SO_ERROR the sentry reports (a refused connect); 0 when none. */
  error = 0;
  /** A connect was answered EINPROGRESS; the next connect reports its outcome. */
  connectPending = false;
  passcred = false;
  /** The guest chose its port (a disconnect keeps it); an ephemeral one is given up. */
  portLocked = false;
  reuseAddr = false;
  reusePort = false;
  v6only = false;
  shutRd = false;
  shutWr = false;
  /** Options the sentry keeps and reports back (level << 16 | name → value). */
  readonly opts = new Map<number, Buffer>();
  /**
   * Files sent to this socket with SCM_RIGHTS that it has not received yet.
   * The host carries the descriptors; these references let the sentry know
   * which of its files a received descriptor is. Dropped with the socket.
   */
  readonly inflight: OpenFile[] = [];
  /** Who sent each message the sentry itself wrote into this socket (SCM_CREDENTIALS). */
  readonly sentBy: PeerCred[] = [];
  /** Netlink: the sentry's end of the pair, and the port id the guest sees. */
  nlFd = -1;
  nlPid = 0;
  /** Cleanup when the socket goes (watchers, relays). */
  readonly onClose: (() => void)[] = [];
  /** Outbound (--network host) connection carried by a relay. */
  external = false;

  constructor(
    readonly family: number,
    readonly type: number,
    readonly protocol: number,
    /** The sentry's reference to the host socket (the guest's description). */
    readonly hostFd: number,
  ) {}

  get isInet(): boolean {
    return this.family === AF_INET || this.family === AF_INET6;
  }

  get isUnix(): boolean {
    return this.family === AF_UNIX;
  }

  get isNetlink(): boolean {
    return this.family === AF_NETLINK;
  }

  /** Stream-like: connections, accept (TCP, unix stream and seqpacket). */
  get connectionOriented(): boolean {
    return this.type === SOCK_STREAM || this.type === SOCK_SEQPACKET;
  }

  get isTcp(): boolean {
    return this.isInet && this.type === SOCK_STREAM;
  }

  get isUdp(): boolean {
    return this.isInet && this.type === SOCK_DGRAM;
  }
}

const sockfs: FileSystem = { name: 'sockfs', dev: 0, readOnly: false };

/** The inode behind a socket fd: stat comes from the host socket, release ends the socket. */
export class SocketInode extends Inode {
  constructor(
    readonly sock: Socket,
    private readonly onRelease: (s: Socket) => void,
  ) {
    super(sockfs);
  }

  stat(): Stat | number {
    const h = fstat(this.sock.hostFd);
    if (typeof h === 'number') return h;
    return {
      dev: 8, // sockfs's anonymous device (0:8), as st_dev of sockets on Linux
      ino: h.ino,
      mode: S_IFSOCK | 0o777,
      nlink: 1,
      uid: h.uid,
      gid: h.gid,
      rdev: 0,
      size: 0,
      blksize: 4096,
      blocks: 0,
      atime: { sec: h.atimeSec, nsec: h.atimeNsec },
      mtime: { sec: h.mtimeSec, nsec: h.mtimeNsec },
      ctime: { sec: h.ctimeSec, nsec: h.ctimeNsec },
      btime: { sec: h.btimeSec, nsec: h.btimeNsec },
    };
  }

  override get mode(): number {
    return S_IFSOCK | 0o777;
  }

  override open(_flags: number): number {
    return -E.ENXIO;
  }

  override release(_flags: number): void {
    const s = this.sock;
    s.state = 'closed';
    for (const f of s.onClose.splice(0)) f();
    for (const f of s.inflight.splice(0)) f.unref();
    if (s.nlFd >= 0) close(s.nlFd), (s.nlFd = -1);
    this.onRelease(s);
  }
}

export function isSocketMode(mode: number): boolean {
  return (mode & S_IFMT) === S_IFSOCK;
}
