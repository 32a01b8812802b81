// Sysctls a container may set (OCI linux.sysctl, `tsvisor run --sysctl`):
// only those Linux keeps per namespace, since the sandbox owns an IPC,
// network and UTS namespace of its own and nothing else. Which names those
// are follows runc's validation: the System V IPC limits and fs.mqueue.*
// (IPC namespace), net.* (network namespace), kernel.domainname (UTS
// namespace); kernel.hostname is refused because the hostname option says
// it. The values are virtual: /proc/sys shows them, and the few the sentry
// models (kernel.domainname, net.ipv4.ip_local_port_range) take effect.

/** The System V IPC sysctls of an IPC namespace (ipc/ipc_sysctl.c). */
const IPC_SYSCTLS = new Set(['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced']);

/**
 * A sysctl name in dotted form. sysctl(8) also takes '/' separators, where
 * a '.' is part of a component (net/ipv4/conf/eth0.100/rp_filter): the first
 * separator decides which form is used, and the other character is swapped.
 */
export function dottedSysctl(name: string): string {
  const first = name.search(/[./]/);
  if (first < 0 || name[first] === '.') return name;
  return name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** The /proc/sys path of a dotted name, below /proc/sys ('net.ipv4.conf.eth0/100.x' → 'net/ipv4/conf/eth0.100/x'). */
export function sysctlPath(dotted: string): string {
  return dotted.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** Why the sandbox cannot take sysctl `name` (any form), or null when it can. */
export function sysctlRefusal(name: string): string | null {
  const s = dottedSysctl(name);
  const segs = sysctlPath(s).split('/');
  if (segs.length < 2 || segs.some((x) => !x || x === '.' || x === '..') || /[\s\0]/.test(s)) return `"${name}" is not a sysctl name`;
  if (IPC_SYSCTLS.has(s) || s.startsWith('fs.mqueue.') || s.startsWith('net.') || s === 'kernel.domainname') return null;
  if (s === 'kernel.hostname') return 'not allowed: it conflicts with the hostname setting';
  return 'not in a separate kernel namespace (only kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.* and kernel.domainname are)';
}

/** The lowest and highest ephemeral port of net.ipv4.ip_local_port_range ("LOW HIGH"), or null when the value is not one. */
export function parsePortRange(v: string): [number, number] | null {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(v);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  // Linux refuses a range that is empty or reaches outside 1..65535 (ipv4_local_port_range).
  if (lo < 1 || hi > 65535 || lo > hi) return null;
  return [lo, hi];
}

/** Why value `v` cannot be given to `name` (dotted), or null: the values the sentry acts on are checked as Linux checks them. */
export function sysctlValueRefusal(name: string, v: string): string | null {
  if (v.includes('\0') || v.length > 4096) return 'not a sysctl value';
  if (name === 'net.ipv4.ip_local_port_range' && !parsePortRange(v)) return `"${v}" is not a port range (LOW HIGH, 1..65535)`;
  if (name === 'kernel.domainname' && Buffer.byteLength(v) > 64) return 'longer than 64 bytes';
  return null;
}
