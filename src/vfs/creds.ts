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
