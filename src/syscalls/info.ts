// The system as the sandbox sees it: uname with its own host name, sysinfo
// with its own process count, and virtual resource limits.
import { freemem, loadavg, release, totalmem, uptime, version } from 'node:os';
import { E } from '../abi/errno.js';
import {
  RLIM_NLIMITS, RLIMIT_AS, RLIMIT_CORE, RLIMIT_CPU, RLIMIT_DATA, RLIMIT_FSIZE, RLIMIT_MEMLOCK, RLIMIT_NOFILE,
  RLIMIT_STACK,
} from '../abi/flags.js';
import { UTSNAME_FIELD } from '../abi/structs.js';
import type { Rlimit } from '../kernel/rlimits.js';
import { getrlimit as hostGetrlimit, prlimit as hostPrlimit } from '../platform/host.js';
import { CAP_SYS_ADMIN, CAP_SYS_RESOURCE, type Creds } from '../vfs/creds.js';
import type { Call } from './call.js';
import type { SyscallFamily } from './types.js';

const HOST_RELEASE = release();
const HOST_VERSION = version();
/** Virtual fs.nr_open: the most RLIMIT_NOFILE may be set to. */
export const NR_OPEN = 1048576;
const RLIM_INFINITY_U64 = 0xffffffffffffffffn;

/** uname(buf): six 65-byte fields. */
function sysUname(c: Call): number {
  const k = c.kernel;
  const b = c.out(UTSNAME_FIELD * 6);
  const fields = ['Linux', k.hostname, HOST_RELEASE, HOST_VERSION, 'x86_64', k.domainname];
  fields.forEach((f, i) => b.write(f.slice(0, UTSNAME_FIELD - 1), i * UTSNAME_FIELD, 'latin1'));
  return c.write(c.ptr(0), b);
}

function setName(c: Call, which: 'hostname' | 'domainname'): number {
  if (!c.task.creds.hasCap(CAP_SYS_ADMIN)) return -E.EPERM;
  const len = c.int(1);
  if (len < 0 || len > 64) return -E.EINVAL;
  const b = c.read(c.ptr(0), len);
  if (typeof b === 'number') return b;
  c.kernel[which] = b.toString('latin1');
  return 0;
}

/** sysinfo(info): host memory and load, the sandbox's uptime-independent process count. */
function sysSysinfo(c: Call): number {
  const b = c.out(112);
  const la = loadavg();
  b.writeBigInt64LE(BigInt(Math.floor(uptime())), 0);
  la.forEach((l, i) => b.writeBigUInt64LE(BigInt(Math.floor(l * 65536)), 8 + 8 * i));
  b.writeBigUInt64LE(BigInt(totalmem()), 32);
  b.writeBigUInt64LE(BigInt(freemem()), 40);
  b.writeUInt16LE(Math.min(c.kernel.pids.processCount(), 0xffff), 80);
  b.writeUInt32LE(1, 104); // mem_unit
  return c.write(c.ptr(0), b);
}

function encodeLimit(v: number): bigint {
  return v === Infinity ? RLIM_INFINITY_U64 : BigInt(v);
}

function decodeLimit(v: bigint): number {
  return v >= 0x7fffffffffffffffn ? Infinity : Number(v);
}

/** Limits the host must also enforce on the guest process (the host kernel does the work). */
const HOST_ENFORCED = new Set([RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_AS, RLIMIT_MEMLOCK]);

function applyLimit(hostPid: number, res: number, lim: Rlimit): void {
  if (!HOST_ENFORCED.has(res)) return;
  const host = hostGetrlimit(res);
  const hard = typeof host === 'number' ? Infinity : host[1];
  // Never above what the host lets us have; the virtual value is what the guest sees.
  hostPrlimit(hostPid, res, Math.min(lim.soft, hard), Math.min(lim.hard, hard));
}

/**
 * kernel/sys.c check_prlimit_permission: another process's limits need all
 * of its uids and gids equal to our real ones, or CAP_SYS_RESOURCE.
 */
function mayPrlimit(me: Creds, them: Creds): boolean {
  const idsMatch =
    me.uid === them.uid && me.uid === them.euid && me.uid === them.suid &&
    me.gid === them.gid && me.gid === them.egid && me.gid === them.sgid;
  return idsMatch || me.hasCap(CAP_SYS_RESOURCE);
}

function prlimitImpl(c: Call, pid: number, res: number, newAddr: number, oldAddr: number): number {
  if (res < 0 || res >= RLIM_NLIMITS) return -E.EINVAL;
  // Any thread's id names its process; limits are per process.
  const g = pid === 0 ? c.task.group : c.kernel.processOf(pid);
  if (!g || !g.alive) return -E.ESRCH;
  if (pid !== 0 && pid !== c.task.tid && !mayPrlimit(c.task.creds, g.creds)) return -E.EPERM;
  const cur = g.rlimits.get(res);
  let next: Rlimit | null = null;
  if (newAddr) {
    const b = c.read(newAddr, 16);
    if (typeof b === 'number') return b;
    next = { soft: decodeLimit(b.readBigUInt64LE(0)), hard: decodeLimit(b.readBigUInt64LE(8)) };
    if (next.soft > next.hard) return -E.EINVAL;
    if (next.hard > cur.hard && !c.task.creds.hasCap(CAP_SYS_RESOURCE)) return -E.EPERM;
    if (res === RLIMIT_NOFILE && next.hard > NR_OPEN) return -E.EPERM;
  }
  if (oldAddr) {
    const b = c.out(16);
    b.writeBigUInt64LE(encodeLimit(cur.soft), 0);
    b.writeBigUInt64LE(encodeLimit(cur.hard), 8);
    const r = c.write(oldAddr, b);
    if (r < 0) return r;
  }
  if (next) {
    cur.soft = next.soft;
    cur.hard = next.hard;
    applyLimit(g.hostTgid, res, cur);
  }
  return 0;
}

export const infoSyscalls: SyscallFamily = {
  uname: { fn: sysUname, args: 'ptr' },
  sethostname: { fn: (c) => setName(c, 'hostname'), args: 'str,int' },
  setdomainname: { fn: (c) => setName(c, 'domainname'), args: 'str,int' },
  sysinfo: { fn: sysSysinfo, args: 'ptr' },
  getrlimit: { fn: (c) => prlimitImpl(c, 0, c.int(0), 0, c.ptr(1)), args: 'int,ptr' },
  setrlimit: { fn: (c) => prlimitImpl(c, 0, c.int(0), c.ptr(1), 0), args: 'int,ptr' },
  prlimit64: { fn: (c) => prlimitImpl(c, c.int(0), c.int(1), c.ptr(2), c.ptr(3)), args: 'pid,int,ptr,ptr' },
  syslog: { fn: () => -E.EPERM, args: 'int,ptr,int', refused: 'EPERM: the host kernel log is not the sandbox\'s' },
};
