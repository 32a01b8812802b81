// x86_64 layout of struct stat (asm/stat.h), the one struct the sentry writes
// whose layout differs between architectures.
import type { Stat } from '../../stat.js';
import { i64, u64 } from '../../structs.js';

export const STAT_SIZE = 144;

/** struct stat (asm/stat.h, x86_64). */
export function encodeStat(b: Buffer, st: Stat): void {
  // Only the padding (36..39 and the reserved tail) is not written below.
  b.writeUInt32LE(0, 36);
  b.fill(0, 120, STAT_SIZE);
  u64(b, 0, st.dev);
  u64(b, 8, st.ino);
  u64(b, 16, st.nlink);
  b.writeUInt32LE(st.mode >>> 0, 24);
  b.writeUInt32LE(st.uid >>> 0, 28);
  b.writeUInt32LE(st.gid >>> 0, 32);
  u64(b, 40, st.rdev);
  i64(b, 48, st.size);
  i64(b, 56, st.blksize);
  i64(b, 64, st.blocks);
  i64(b, 72, st.atime.sec);
  u64(b, 80, st.atime.nsec);
  i64(b, 88, st.mtime.sec);
  u64(b, 96, st.mtime.nsec);
  i64(b, 104, st.ctime.sec);
  u64(b, 112, st.ctime.nsec);
}
