// The struct encoders the sentry writes into guest memory on every stat and
// getdents (src/abi/structs.ts, src/abi/arch/x86_64/structs.ts): every byte
// of a record is written (the buffers they get are reused, never zeroed), and
// 64-bit fields match what a BigInt write gives, negative values included.
import t from 'tap';
import { direntOldSize, direntSize, encodeDirent64, encodeDirentOld, i64, u64 } from '../../src/abi/structs.js';
import { encodeStat, STAT_SIZE } from '../../src/abi/arch/x86_64/structs.js';
import type { Stat } from '../../src/abi/stat.js';

t.test('i64 writes what writeBigInt64LE writes', async (t) => {
  const a = Buffer.alloc(8);
  const b = Buffer.alloc(8);
  for (const v of [0, 1, -1, 42, -42, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 2 ** 32 + 5, -(2 ** 32) - 5, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 62, -(2 ** 63), 1.9, -1.9]) {
    i64(a, 0, v);
    b.writeBigInt64LE(BigInt(Math.trunc(v)), 0);
    t.same(a, b, `${v}`);
  }
  t.throws(() => i64(a, 0, 2 ** 64), 'out of range still throws');
  t.throws(() => i64(a, 0, NaN), 'NaN still throws');
});

t.test('u64 round-trips below 2^53', async (t) => {
  const a = Buffer.alloc(8);
  for (const v of [0, 1, 2 ** 32 + 7, 2 ** 53 - 1]) {
    u64(a, 0, v);
    t.equal(Number(a.readBigUInt64LE(0)), v);
  }
});

t.test('dirent records: fields, NUL and padding written over old bytes', async (t) => {
  for (const name of ['a', 'LC_MESSAGES', 'nf_conntrack_tuple_common.h', 'x'.repeat(40), 'caf\u00e9', '12345']) {
    const b = Buffer.alloc(128, 0xff);
    const len = encodeDirent64(b, 8, 2 ** 40 + 3, 7, 4, name);
    t.equal(len, direntSize(name));
    t.equal(len % 8, 0);
    t.equal(Number(b.readBigUInt64LE(8)), 2 ** 40 + 3, 'd_ino');
    t.equal(Number(b.readBigInt64LE(16)), 7, 'd_off');
    t.equal(b.readUInt16LE(24), len, 'd_reclen');
    t.equal(b[26], 4, 'd_type');
    t.equal(b.toString('latin1', 27, 27 + name.length), name, 'd_name');
    for (let i = 27 + name.length; i < 8 + len; i++) t.equal(b[i], 0, `zero at ${i - 8}`);
    t.equal(b[8 + len], 0xff, 'nothing past the record');
    const o = Buffer.alloc(128, 0xff);
    const olen = encodeDirentOld(o, 0, 5, 9, 8, name);
    t.equal(olen, direntOldSize(name));
    t.equal(o.toString('latin1', 18, 18 + name.length), name);
    for (let i = 18 + name.length; i < olen - 1; i++) t.equal(o[i], 0, `old: zero at ${i}`);
    t.equal(o[olen - 1], 8, 'old: d_type last');
  }
});

t.test('struct stat: every byte written', async (t) => {
  const st: Stat = {
    dev: 0x803, ino: 2 ** 44 + 9, nlink: 3, mode: 0o100644, uid: 1000, gid: 100, rdev: 0, size: 2 ** 33 + 1, blksize: 4096, blocks: 16,
    atime: { sec: -5, nsec: 1 }, mtime: { sec: 1700000000, nsec: 2 }, ctime: { sec: 2 ** 34, nsec: 999999999 }, btime: { sec: 0, nsec: 0 },
  };
  const dirty = Buffer.alloc(STAT_SIZE, 0xff);
  const clean = Buffer.alloc(STAT_SIZE, 0);
  encodeStat(dirty, st);
  encodeStat(clean, st);
  t.same(dirty, clean);
  t.equal(Number(dirty.readBigInt64LE(72)), -5, 'negative atime');
  t.equal(Number(dirty.readBigInt64LE(48)), 2 ** 33 + 1, 'size');
  t.equal(Number(dirty.readBigUInt64LE(8)), 2 ** 44 + 9, 'ino');
});
