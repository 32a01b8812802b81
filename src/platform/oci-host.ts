// Host operations of the OCI runtime (native/addon/oci_ops.cc): unix sockets
// that carry file descriptors (the control socket of a container's sentry,
// runc's --console-socket) and readiness watches on any fd. Every function
// returns its result or -errno.
import { native } from './native.js';

/** Opaque handle of a watch (watchFd). */
export type FdWatch = { readonly __brand: 'FdWatch' };

interface OciNative {
  unixListen(path: string, backlog: number): number;
  unixConnect(path: string): number;
  accept(fd: number): number;
  sendFds(fd: number, data: Uint8Array, fds: number[]): number;
  recvFds(fd: number, buf: Uint8Array, wait: boolean): [number, number[]] | number;
  watchFd(fd: number, cb: (readable: boolean, hangup: boolean) => void): FdWatch | number;
  unwatchFd(w: FdWatch): void;
  unshareNetwork(): number;
}

const N = native() as unknown as OciNative;

/** A listening unix stream socket at `path` (close-on-exec, non-blocking). */
export const unixListen = (path: string, backlog = 16): number => N.unixListen(path, backlog);
/** A connected unix stream socket (blocking). */
export const unixConnect = (path: string): number => N.unixConnect(path);
/** The next pending connection (non-blocking), or -EAGAIN. */
export const acceptConn = (fd: number): number => N.accept(fd);
/** Sends `data` with `fds` attached (SCM_RIGHTS); never raises SIGPIPE. */
export const sendFds = (fd: number, data: Uint8Array, fds: number[] = []): number => N.sendFds(fd, data, fds);
/** Receives into `buf`: [bytes, fds received]; `wait` false: -EAGAIN when nothing is there. */
export const recvFds = (fd: number, buf: Uint8Array, wait: boolean): [number, number[]] | number => N.recvFds(fd, buf, wait);
/** Calls `cb` from the event loop whenever `fd` is readable or hung up (puts it in O_NONBLOCK); holds the loop open. */
export const watchFd = (fd: number, cb: (readable: boolean, hangup: boolean) => void): FdWatch | number => N.watchFd(fd, cb);
/** Ends a watch (the fd stays open); idempotent. */
export const unwatchFd = (w: FdWatch): void => N.unwatchFd(w);
/**
 * Puts this process (its main thread and the threads it starts later) in a
 * new, empty network namespace: 0, or -errno (EPERM without CAP_SYS_ADMIN).
 */
export const unshareNetwork = (): number => N.unshareNetwork();
