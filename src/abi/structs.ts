// Layouts of the structs the sentry writes into guest memory that are the
// same on every 64-bit Linux architecture (statx, dirents, rusage, siginfo,
// utsname). struct stat differs: it lives in abi/arch/<arch>/structs.ts.
import type { Stat } from './stat.js';

const TWO32 = 4294967296;

/** Writes a number as a little-endian u64 (exact below 2^53). */
export function u64(b: Buffer, off: number, v: number): void {
  b.writeUInt32LE(v % TWO32 >>> 0, off);
  b.writeUInt32LE(Math.floor(v / TWO32) >>> 0, off + 4);
}

export function i64(b: Buffer, off: number, v: number): void {
  const t = Math.trunc(v);
  const hi = Math.floor(t / TWO32);
  // Two 32-bit halves, no BigInt (this runs for every stat and dirent); the
  // BigInt path stays for what does not fit (it throws as it always did).
  if (hi >= -0x80000000 && hi <= 0x7fffffff) {
    b.writeUInt32LE(t - hi * TWO32, off);
    b.writeInt32LE(hi, off + 4);
  } else {
    b.writeBigInt64LE(BigInt(t), off);
  }
}

export const STATX_SIZE = 256;

/** struct statx (generic). `mask` is what we fill (STATX_BASIC_STATS | STATX_BTIME). */
export function encodeStatx(b: Buffer, st: Stat, mask: number, devMajor: number, devMinor: number, rdevMajor: number, rdevMinor: number, mntId: number): void {
  b.fill(0, 0, STATX_SIZE);
  b.writeUInt32LE(mask >>> 0, 0);
  b.writeUInt32LE(st.blksize >>> 0, 4);
  b.writeUInt32LE(st.nlink >>> 0, 16);
  b.writeUInt32LE(st.uid >>> 0, 20);
  b.writeUInt32LE(st.gid >>> 0, 24);
  b.writeUInt16LE(st.mode & 0xffff, 28);
  u64(b, 32, st.ino);
  u64(b, 40, st.size);
  u64(b, 48, st.blocks);
  const ts = (off: number, t: { sec: number; nsec: number }) => {
    i64(b, off, t.sec);
    b.writeUInt32LE(t.nsec >>> 0, off + 8);
  };
  ts(64, st.atime);
  ts(80, st.btime);
  ts(96, st.ctime);
  ts(112, st.mtime);
  b.writeUInt32LE(rdevMajor >>> 0, 128);
  b.writeUInt32LE(rdevMinor >>> 0, 132);
  b.writeUInt32LE(devMajor >>> 0, 136);
  b.writeUInt32LE(devMinor >>> 0, 140);
  u64(b, 144, mntId);
}

/** struct linux_dirent64: returns the record length. */
export function direntSize(name: string): number {
  return (19 + name.length + 1 + 7) & ~7;
}

export function encodeDirent64(b: Buffer, off: number, ino: number, next: number, dtype: number, name: string): number {
  const len = direntSize(name);
  u64(b, off, ino);
  i64(b, off + 8, next);
  b.writeUInt16LE(len, off + 16);
  b[off + 18] = dtype;
  putName(b, off + 19, name, off + len);
  return len;
}

/**
 * A latin1 name at `at`, then zeros up to `end` (its NUL and the record's
 * padding). Short names byte by byte: a native call per dirent costs more
 * than the copy.
 */
function putName(b: Buffer, at: number, name: string, end: number): void {
  const n = name.length;
  if (n > 32) b.write(name, at, n, 'latin1');
  else for (let i = 0; i < n; i++) b[at + i] = name.charCodeAt(i);
  for (let i = at + n; i < end; i++) b[i] = 0;
}

/** struct linux_dirent (getdents): d_type is the last byte of the record. */
export function direntOldSize(name: string): number {
  return (18 + name.length + 2 + 7) & ~7;
}

export function encodeDirentOld(b: Buffer, off: number, ino: number, next: number, dtype: number, name: string): number {
  const len = direntOldSize(name);
  u64(b, off, ino);
  i64(b, off + 8, next);
  b.writeUInt16LE(len, off + 16);
  putName(b, off + 18, name, off + len);
  b[off + len - 1] = dtype;
  return len;
}

export const UTSNAME_FIELD = 65;

export const RUSAGE_SIZE = 144;

export interface Rusage {
  utimeUs: number;
  stimeUs: number;
  maxrssKb: number;
  minflt?: number;
  majflt?: number;
  nvcsw?: number;
  nivcsw?: number;
}

export function encodeRusage(b: Buffer, r: Rusage): void {
  b.fill(0, 0, RUSAGE_SIZE);
  i64(b, 0, Math.floor(r.utimeUs / 1e6));
  i64(b, 8, r.utimeUs % 1e6);
  i64(b, 16, Math.floor(r.stimeUs / 1e6));
  i64(b, 24, r.stimeUs % 1e6);
  i64(b, 32, r.maxrssKb);
  i64(b, 64, r.minflt ?? 0);
  i64(b, 72, r.majflt ?? 0);
  i64(b, 128, r.nvcsw ?? 0);
  i64(b, 136, r.nivcsw ?? 0);
}

export const SIGINFO_SIZE = 128;

/** siginfo_t for SIGCHLD (waitid). */
export function encodeSigchldInfo(b: Buffer, code: number, pid: number, uid: number, status: number, utimeTicks = 0, stimeTicks = 0): void {
  b.fill(0, 0, SIGINFO_SIZE);
  b.writeInt32LE(17, 0); // SIGCHLD
  b.writeInt32LE(0, 4);
  b.writeInt32LE(code, 8);
  b.writeInt32LE(pid, 16);
  b.writeUInt32LE(uid >>> 0, 20);
  b.writeInt32LE(status, 24);
  i64(b, 32, utimeTicks);
  i64(b, 40, stimeTicks);
}
