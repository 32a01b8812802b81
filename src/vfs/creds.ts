// Credentials of a task, as the sentry sees them (virtual ids: root inside by default).

export const CAP_CHOWN = 0;
export const CAP_DAC_OVERRIDE = 1;
export const CAP_DAC_READ_SEARCH = 2;
export const CAP_FOWNER = 3;
export const CAP_FSETID = 4;
export const CAP_KILL = 5;
export const CAP_SETGID = 6;
export const CAP_SETUID = 7;
export const CAP_SETPCAP = 8;
export const CAP_NET_ADMIN = 12;
export const CAP_SYS_CHROOT = 18;
export const CAP_SYS_NICE = 23;
export const CAP_SYS_ADMIN = 21;
export const CAP_SYS_RESOURCE = 24;
export const CAP_MKNOD = 27;
export const CAP_LAST_CAP = 40;

/** All capabilities (0..CAP_LAST_CAP) as a bigint mask. */
export const ALL_CAPS = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;

export class Creds {
  uid = 0;
  euid = 0;
  suid = 0;
  fsuid = 0;
  gid = 0;
  egid = 0;
  sgid = 0;
  fsgid = 0;
  groups: number[] = [];
  capEffective = ALL_CAPS;
  capPermitted = ALL_CAPS;
  capInheritable = 0n;
  capBounding = ALL_CAPS;
  capAmbient = 0n;
  /** PR_SET_KEEPCAPS */
  keepCaps = false;

  static root(): Creds {
    return new Creds();
  }

  static user(uid: number, gid: number, groups: number[] = []): Creds {
    const c = new Creds();
    c.uid = c.euid = c.suid = c.fsuid = uid;
    c.gid = c.egid = c.sgid = c.fsgid = gid;
    c.groups = groups.slice();
    if (uid !== 0) c.capEffective = c.capPermitted = 0n;
    return c;
  }

  clone(): Creds {
    const c = new Creds();
    Object.assign(c, this);
    c.groups = this.groups.slice();
    return c;
  }

  hasCap(cap: number): boolean {
    return (this.capEffective & (1n << BigInt(cap))) !== 0n;
  }

  inGroup(gid: number): boolean {
    return this.fsgid === gid || this.groups.includes(gid);
  }
}

/** Capability names by number (include/uapi/linux/capability.h), without the CAP_ prefix. */
const CAP_NAMES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT',
  'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE',
  'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ',
  'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
];

/** The number of capability `name` ("CAP_SYS_ADMIN", case-insensitive), or -1 when there is none of that name. */
export function capNumber(name: string): number {
  const n = name.toUpperCase();
  return n.startsWith('CAP_') ? CAP_NAMES.indexOf(n.slice(4)) : -1;
}

/** The five capability sets of a process. */
export interface CapSets {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  bounding: bigint;
  ambient: bigint;
}

/**
 * The sets a process holds after it executes a program with no file
 * capabilities and no set-id bit, as Linux computes them
 * (security/commoncap.c): root gets its bounding and inheritable sets back
 * as permitted and effective; anyone else keeps only the ambient set. The
 * ambient set only holds what is permitted and inheritable (PR_CAP_AMBIENT_RAISE
 * refuses the rest).
 */
export function capsAfterExec(c: CapSets, uid: number): CapSets {
  const ambient = c.ambient & c.permitted & c.inheritable;
  const permitted = uid === 0 ? (c.bounding | c.inheritable | ambient) & ALL_CAPS : ambient;
  return { effective: permitted, permitted, inheritable: c.inheritable, bounding: c.bounding, ambient };
}

/** Gives `creds` the capability sets `c`. */
export function setCaps(creds: Creds, c: CapSets): void {
  creds.capEffective = c.effective;
  creds.capPermitted = c.permitted;
  creds.capInheritable = c.inheritable;
  creds.capBounding = c.bounding;
  creds.capAmbient = c.ambient;
}
