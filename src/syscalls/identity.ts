// Credentials, all virtual: root inside by default. The set*id rules and the
// capability effects follow Linux (kernel/sys.c, commoncap.c); the host
// process keeps running as the unprivileged user that started tsvisor.
import { E } from '../abi/errno.js';
import { ALL_CAPS, CAP_SETGID, CAP_SETPCAP, CAP_SETUID, type Creds } from '../vfs/creds.js';
import type { Call } from './call.js';
import type { SyscallFamily } from './types.js';

const NGROUPS_MAX = 65536;
/** (uid_t)-1 as it arrives in a 32-bit register: "leave unchanged". */
const KEEP = 0xffffffff;

/**
 * After a uid change: dropping root clears the capability sets unless
 * PR_SET_KEEPCAPS; becoming root (euid 0) restores them.
 */
function fixCaps(c: Creds, oldUid: number, oldEuid: number, oldSuid: number): void {
  const wasRoot = oldUid === 0 || oldEuid === 0 || oldSuid === 0;
  const isRoot = c.uid === 0 || c.euid === 0 || c.suid === 0;
  if (wasRoot && !isRoot && !c.keepCaps) {
    c.capPermitted = 0n;
    c.capEffective = 0n;
    c.capAmbient = 0n;
  }
  if (oldEuid === 0 && c.euid !== 0) c.capEffective = 0n;
  if (oldEuid !== 0 && c.euid === 0) c.capEffective = c.capPermitted;
}

function setresuid(c: Call, r: number, e: number, s: number): number {
  const cr = c.task.creds;
  const priv = cr.hasCap(CAP_SETUID);
  const allowed = (v: number) => v === KEEP || priv || v === cr.uid || v === cr.euid || v === cr.suid;
  if (!allowed(r) || !allowed(e) || !allowed(s)) return -E.EPERM;
  const [ou, oe, os] = [cr.uid, cr.euid, cr.suid];
  if (r !== KEEP) cr.uid = r;
  if (e !== KEEP) cr.euid = e;
  if (s !== KEEP) cr.suid = s;
  cr.fsuid = cr.euid;
  fixCaps(cr, ou, oe, os);
  return 0;
}

function setresgid(c: Call, r: number, e: number, s: number): number {
  const cr = c.task.creds;
  const priv = cr.hasCap(CAP_SETGID);
  const allowed = (v: number) => v === KEEP || priv || v === cr.gid || v === cr.egid || v === cr.sgid;
  if (!allowed(r) || !allowed(e) || !allowed(s)) return -E.EPERM;
  if (r !== KEEP) cr.gid = r;
  if (e !== KEEP) cr.egid = e;
  if (s !== KEEP) cr.sgid = s;
  cr.fsgid = cr.egid;
  return 0;
}

/** setuid(uid): privileged callers set all three ids; others only the effective one. */
function sysSetuid(c: Call): number {
  const uid = c.uint(0);
  if (uid === KEEP) return -E.EINVAL;
  const cr = c.task.creds;
  if (cr.hasCap(CAP_SETUID)) return setresuid(c, uid, uid, uid);
  if (uid !== cr.uid && uid !== cr.suid) return -E.EPERM;
  return setresuid(c, KEEP, uid, KEEP);
}

function sysSetgid(c: Call): number {
  const gid = c.uint(0);
  if (gid === KEEP) return -E.EINVAL;
  const cr = c.task.creds;
  if (cr.hasCap(CAP_SETGID)) return setresgid(c, gid, gid, gid);
  if (gid !== cr.gid && gid !== cr.sgid) return -E.EPERM;
  return setresgid(c, KEEP, gid, KEEP);
}

/** setreuid(r, e): the saved id follows the effective one when r is set or e differs from the old real id. */
function sysSetreuid(c: Call): number {
  const r = c.uint(0);
  const e = c.uint(1);
  const cr = c.task.creds;
  const priv = cr.hasCap(CAP_SETUID);
  if (r !== KEEP && !priv && r !== cr.uid && r !== cr.euid) return -E.EPERM;
  if (e !== KEEP && !priv && e !== cr.uid && e !== cr.euid && e !== cr.suid) return -E.EPERM;
  const newE = e !== KEEP ? e : cr.euid;
  const s = r !== KEEP || (e !== KEEP && e !== cr.uid) ? newE : KEEP;
  return setresuid(c, r, e, s);
}

function sysSetregid(c: Call): number {
  const r = c.uint(0);
  const e = c.uint(1);
  const cr = c.task.creds;
  const priv = cr.hasCap(CAP_SETGID);
  if (r !== KEEP && !priv && r !== cr.gid && r !== cr.egid) return -E.EPERM;
  if (e !== KEEP && !priv && e !== cr.gid && e !== cr.egid && e !== cr.sgid) return -E.EPERM;
  const newE = e !== KEEP ? e : cr.egid;
  const s = r !== KEEP || (e !== KEEP && e !== cr.gid) ? newE : KEEP;
  return setresgid(c, r, e, s);
}

/**
 * kernel/cred.c commit_creds: when an effective or fs id changes, or the
 * permitted capabilities grow, the process takes fs.suid_dumpable as its
 * dumpable flag and the caller's parent-death signal is cleared.
 */
function committing(fn: (c: Call) => number): (c: Call) => number {
  return (c) => {
    const cr = c.task.creds;
    const { euid, egid, fsuid, fsgid, capPermitted } = cr;
    const r = fn(c);
    if (cr.euid !== euid || cr.egid !== egid || cr.fsuid !== fsuid || cr.fsgid !== fsgid || (cr.capPermitted & ~capPermitted) !== 0n) {
      c.task.group.dumpable = c.kernel.suidDumpable;
      c.task.pdeathsig = 0;
    }
    return r;
  };
}

function writeIds(c: Call, ids: number[]): number {
  for (let i = 0; i < ids.length; i++) {
    const r = c.writeI32(c.ptr(i), ids[i]!);
    if (r < 0) return r;
  }
  return 0;
}

/** setfsuid returns the old value whether or not it changed it. */
function sysSetfsuid(c: Call): number {
  const cr = c.task.creds;
  const old = cr.fsuid;
  const v = c.uint(0);
  if (cr.hasCap(CAP_SETUID) || v === cr.uid || v === cr.euid || v === cr.suid || v === cr.fsuid) cr.fsuid = v;
  return old;
}

function sysSetfsgid(c: Call): number {
  const cr = c.task.creds;
  const old = cr.fsgid;
  const v = c.uint(0);
  if (cr.hasCap(CAP_SETGID) || v === cr.gid || v === cr.egid || v === cr.sgid || v === cr.fsgid) cr.fsgid = v;
  return old;
}

/** getgroups(size, list): size 0 asks for the count. */
function sysGetgroups(c: Call): number {
  const size = c.int(0);
  const g = c.task.creds.groups;
  if (size < 0) return -E.EINVAL;
  if (size === 0) return g.length;
  if (size < g.length) return -E.EINVAL;
  const b = Buffer.alloc(g.length * 4);
  g.forEach((v, i) => b.writeUInt32LE(v >>> 0, i * 4));
  const r = c.write(c.ptr(1), b);
  return r < 0 ? r : g.length;
}

function sysSetgroups(c: Call): number {
  const n = c.int(0);
  if (n < 0 || n > NGROUPS_MAX) return -E.EINVAL;
  if (!c.task.creds.hasCap(CAP_SETGID)) return -E.EPERM;
  const b = c.read(c.ptr(1), n * 4);
  if (typeof b === 'number') return b;
  const groups: number[] = [];
  for (let i = 0; i < n; i++) groups.push(b.readUInt32LE(i * 4));
  // Linux sorts the list (groups_sort) but keeps duplicates: getgroups shows them.
  c.task.creds.groups = groups.sort((a, b2) => a - b2);
  return 0;
}

const LINUX_CAPABILITY_VERSION_1 = 0x19980330;
const LINUX_CAPABILITY_VERSION_2 = 0x20071026;
const LINUX_CAPABILITY_VERSION_3 = 0x20080522;

/** capget(hdr, data): version negotiation as Linux; pid 0 or a sandbox pid. */
function sysCapget(c: Call): number {
  const hdr = c.read(c.ptr(0), 8);
  if (typeof hdr === 'number') return hdr;
  const version = hdr.readUInt32LE(0);
  const pid = hdr.readInt32LE(4);
  const words = version === LINUX_CAPABILITY_VERSION_1 ? 1 : version === LINUX_CAPABILITY_VERSION_2 || version === LINUX_CAPABILITY_VERSION_3 ? 2 : 0;
  if (!words) {
    const r = c.writeI32(c.ptr(0), LINUX_CAPABILITY_VERSION_3);
    return r < 0 ? r : c.ptr(1) ? -E.EINVAL : 0;
  }
  if (pid < 0) return -E.EINVAL;
  const t = pid === 0 ? c.task : c.kernel.taskByTid(pid);
  if (!t) return -E.ESRCH;
  if (!c.ptr(1)) return 0;
  const cr = t.creds;
  const b = Buffer.alloc(12 * words);
  for (let i = 0; i < words; i++) {
    const sh = BigInt(32 * i);
    b.writeUInt32LE(Number((cr.capEffective >> sh) & 0xffffffffn), 12 * i);
    b.writeUInt32LE(Number((cr.capPermitted >> sh) & 0xffffffffn), 12 * i + 4);
    b.writeUInt32LE(Number((cr.capInheritable >> sh) & 0xffffffffn), 12 * i + 8);
  }
  return c.write(c.ptr(1), b);
}

/** capset(hdr, data): only the caller; new sets must stay within what it may hold. */
function sysCapset(c: Call): number {
  const hdr = c.read(c.ptr(0), 8);
  if (typeof hdr === 'number') return hdr;
  const version = hdr.readUInt32LE(0);
  const pid = hdr.readInt32LE(4);
  const words = version === LINUX_CAPABILITY_VERSION_1 ? 1 : version === LINUX_CAPABILITY_VERSION_2 || version === LINUX_CAPABILITY_VERSION_3 ? 2 : 0;
  if (!words) {
    c.writeI32(c.ptr(0), LINUX_CAPABILITY_VERSION_3);
    return -E.EINVAL;
  }
  if (pid !== 0 && pid !== c.task.tid) return -E.EPERM;
  const b = c.read(c.ptr(1), 12 * words);
  if (typeof b === 'number') return b;
  let eff = 0n;
  let perm = 0n;
  let inh = 0n;
  for (let i = 0; i < words; i++) {
    const sh = BigInt(32 * i);
    eff |= BigInt(b.readUInt32LE(12 * i)) << sh;
    perm |= BigInt(b.readUInt32LE(12 * i + 4)) << sh;
    inh |= BigInt(b.readUInt32LE(12 * i + 8)) << sh;
  }
  const cr = c.task.creds;
  eff &= ALL_CAPS;
  perm &= ALL_CAPS;
  inh &= ALL_CAPS;
  if (perm & ~cr.capPermitted) return -E.EPERM;
  if (eff & ~perm) return -E.EPERM;
  if (inh & ~(cr.capInheritable | cr.capPermitted) && !cr.hasCap(CAP_SETPCAP)) return -E.EPERM;
  if (inh & ~(cr.capInheritable | cr.capBounding)) return -E.EPERM;
  cr.capEffective = eff;
  cr.capPermitted = perm;
  cr.capInheritable = inh;
  cr.capAmbient &= perm & inh;
  return 0;
}

export const identitySyscalls: SyscallFamily = {
  getuid: { fn: (c) => c.task.creds.uid },
  geteuid: { fn: (c) => c.task.creds.euid },
  getgid: { fn: (c) => c.task.creds.gid },
  getegid: { fn: (c) => c.task.creds.egid },
  setuid: { fn: committing(sysSetuid), args: 'uint' },
  setgid: { fn: committing(sysSetgid), args: 'uint' },
  setreuid: { fn: committing(sysSetreuid), args: 'int,int' },
  setregid: { fn: committing(sysSetregid), args: 'int,int' },
  setresuid: { fn: committing((c) => setresuid(c, c.uint(0), c.uint(1), c.uint(2))), args: 'int,int,int' },
  setresgid: { fn: committing((c) => setresgid(c, c.uint(0), c.uint(1), c.uint(2))), args: 'int,int,int' },
  getresuid: { fn: (c) => writeIds(c, [c.task.creds.uid, c.task.creds.euid, c.task.creds.suid]), args: 'ptr,ptr,ptr' },
  getresgid: { fn: (c) => writeIds(c, [c.task.creds.gid, c.task.creds.egid, c.task.creds.sgid]), args: 'ptr,ptr,ptr' },
  setfsuid: { fn: committing(sysSetfsuid), args: 'uint' },
  setfsgid: { fn: committing(sysSetfsgid), args: 'uint' },
  getgroups: { fn: sysGetgroups, args: 'int,ptr' },
  setgroups: { fn: sysSetgroups, args: 'int,ptr' },
  capget: { fn: sysCapget, args: 'ptr,ptr' },
  capset: { fn: committing(sysCapset), args: 'ptr,ptr' },
};
