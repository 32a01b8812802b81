// ELF header checks for exec (src/kernel/elf.ts), on real binaries of the
// host (readelf, when installed, is the oracle) and on headers built or
// corrupted here. Errors are those of Linux's load_elf_binary: ENOEXEC for
// what cannot run on x86_64, EIO when the file is shorter than it claims.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { E } from '../../src/abi/errno.js';
import { ET_DYN, ET_EXEC, type ElfInfo, isElf, parseElf } from '../../src/kernel/elf.js';

/** exec reads the first 256 bytes, then the rest through readAt: mimic that over a buffer. */
function parse(file: Uint8Array): ElfInfo | number {
  return parseElf(file.subarray(0, 256), (pos, len) => file.subarray(pos, Math.min(file.length, pos + len)));
}

interface Readelf {
  type: string;
  entry: number;
  phoff: number;
  phnum: number;
  interp: string | null;
}
function readelf(path: string): Readelf | null {
  const r = spawnSync('readelf', ['-hlW', path], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const field = (re: RegExp) => re.exec(r.stdout)?.[1] ?? '';
  return {
    type: field(/Type:\s+(\w+)/),
    entry: Number(field(/Entry point address:\s+(0x[0-9a-f]+)/)),
    phoff: Number(field(/Start of program headers:\s+(\d+)/)),
    phnum: Number(field(/Number of program headers:\s+(\d+)/)),
    interp: /Requesting program interpreter: ([^\]]+)\]/.exec(r.stdout)?.[1] ?? null,
  };
}

for (const path of ['/bin/true', '/bin/busybox']) {
  t.test(`${path} parses as readelf reads it`, { skip: existsSync(path) ? false : `${path} not present` }, (t) => {
    const file = readFileSync(path);
    const info = parse(file);
    if (typeof info === 'number') {
      t.fail(`parseElf: errno ${-info}`);
      return t.end();
    }
    t.ok(isElf(file));
    t.equal(info.phentsize, 56);
    t.equal(info.phdrs.length, info.phnum * 56);
    t.same(Buffer.from(info.phdrs), file.subarray(info.phoff, info.phoff + info.phnum * 56), 'program headers as in the file');
    const re = readelf(path);
    if (re) {
      t.equal(info.type, re.type === 'DYN' ? ET_DYN : re.type === 'EXEC' ? ET_EXEC : -1, `type ${re.type}`);
      t.equal(info.entry, re.entry, 'entry');
      t.equal(info.phoff, re.phoff);
      t.equal(info.phnum, re.phnum);
      t.equal(info.interp, re.interp, 'interpreter');
    }
    if (path === '/bin/true') {
      // Debian/Ubuntu amd64: a PIE linked against glibc.
      t.equal(info.type, ET_DYN);
      t.equal(info.interp, '/lib64/ld-linux-x86-64.so.2');
    } else {
      t.equal(info.interp, null, 'busybox is static: no interpreter');
    }
    t.end();
  });
}

// ---- a synthetic ELF: header, program headers at 64, strings after them ----
interface Ph {
  type: number;
  offset: number;
  filesz: number;
}
function mkElf(opts: { phdrs?: Ph[]; tail?: Uint8Array; type?: number; machine?: number; phentsize?: number; phnum?: number; phoff?: number } = {}): Buffer {
  const phdrs = opts.phdrs ?? [{ type: 1 /* PT_LOAD */, offset: 0, filesz: 0x100 }];
  const tail = opts.tail ?? new Uint8Array(0);
  const b = Buffer.alloc(64 + phdrs.length * 56 + tail.length);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* LSB */, 1 /* EV_CURRENT */], 0);
  b.writeUInt16LE(opts.type ?? ET_EXEC, 16);
  b.writeUInt16LE(opts.machine ?? 62, 18);
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(0x401000n, 24);
  b.writeBigUInt64LE(BigInt(opts.phoff ?? 64), 32);
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(opts.phentsize ?? 56, 54);
  b.writeUInt16LE(opts.phnum ?? phdrs.length, 56);
  phdrs.forEach((p, i) => {
    const o = 64 + i * 56;
    b.writeUInt32LE(p.type, o);
    b.writeBigUInt64LE(BigInt(p.offset), o + 8);
    b.writeBigUInt64LE(BigInt(p.filesz), o + 32);
  });
  b.set(tail, 64 + phdrs.length * 56);
  return b;
}
const PT_INTERP = 3;
function withInterp(s: string | Uint8Array, filesz?: number): Buffer {
  const bytes = typeof s === 'string' ? Buffer.from(s + '\0', 'latin1') : s;
  const at = 64 + 2 * 56;
  return mkElf({ phdrs: [{ type: 1, offset: 0, filesz: 0x100 }, { type: PT_INTERP, offset: at, filesz: filesz ?? bytes.length }], tail: bytes });
}

t.test('a minimal valid header', (t) => {
  const info = parse(mkElf());
  t.same(typeof info === 'number' ? info : [info.type, info.entry, info.phoff, info.phnum, info.interp], [ET_EXEC, 0x401000, 64, 1, null]);
  const dyn = parse(mkElf({ type: ET_DYN }));
  t.equal(typeof dyn === 'number' ? dyn : dyn.type, ET_DYN);
  const ip = parse(withInterp('/lib/ld.so'));
  t.equal(typeof ip === 'number' ? ip : ip.interp, '/lib/ld.so');
  t.end();
});

t.test('what cannot run on x86_64 is ENOEXEC', (t) => {
  const good = mkElf();
  const patch = (off: number, bytes: number[]) => {
    const b = Buffer.from(good);
    b.set(bytes, off);
    return b;
  };
  t.equal(parse(patch(0, [0x7f, 0x45, 0x4c, 0x47])), -E.ENOEXEC, 'bad magic');
  t.equal(parse(patch(4, [1])), -E.ENOEXEC, 'ELFCLASS32');
  t.equal(parse(patch(5, [2])), -E.ENOEXEC, 'big-endian');
  t.equal(parse(mkElf({ machine: 3 })), -E.ENOEXEC, 'EM_386');
  t.equal(parse(mkElf({ machine: 183 })), -E.ENOEXEC, 'EM_AARCH64');
  t.equal(parse(mkElf({ type: 1 })), -E.ENOEXEC, 'ET_REL');
  t.equal(parse(mkElf({ type: 4 })), -E.ENOEXEC, 'ET_CORE');
  t.equal(parse(mkElf({ phentsize: 32 })), -E.ENOEXEC, 'e_phentsize not sizeof(Elf64_Phdr)');
  t.equal(parse(mkElf({ phnum: 0 })), -E.ENOEXEC, 'no program headers');
  t.equal(parse(good.subarray(0, 63)), -E.ENOEXEC, 'shorter than an ELF header');
  t.equal(parse(new Uint8Array(0)), -E.ENOEXEC, 'empty file');
  t.end();
});

t.test('the program header table: at most one page, and all of it in the file', (t) => {
  // load_elf_phdrs: size == 0 || size > ELF_MIN_ALIGN is ENOEXEC: 73 headers fit in 4096 bytes, 74 do not.
  const many = (n: number) => mkElf({ phdrs: Array.from({ length: n }, () => ({ type: 1, offset: 0, filesz: 1 })) });
  t.equal(typeof parse(many(73)), 'object', '73 headers');
  t.equal(parse(many(74)), -E.ENOEXEC, '74 headers');
  t.equal(parse(mkElf({ phnum: 0xffff })), -E.ENOEXEC);
  // Truncated: the header claims more than the file holds.
  const five = many(5);
  t.equal(parse(five.subarray(0, 64 + 4 * 56)), -E.EIO, 'one header short');
  t.equal(parse(mkElf({ phoff: 1 << 20 })), -E.EIO, 'table past the end of the file');
  // A read error is passed through.
  t.equal(parseElf(five.subarray(0, 256), () => -E.EACCES), -E.EACCES);
  t.end();
});

t.test('PT_INTERP: size limits, NUL termination, the first one wins', (t) => {
  const interp = (b: Buffer) => {
    const r = parse(b);
    return typeof r === 'number' ? r : r.interp;
  };
  t.equal(interp(withInterp('/lib64/ld-linux-x86-64.so.2')), '/lib64/ld-linux-x86-64.so.2');
  t.equal(interp(withInterp(Buffer.from('/lib/ld.so'))), -E.ENOEXEC, 'not NUL-terminated');
  t.equal(interp(withInterp(Buffer.from('\0'))), -E.ENOEXEC, 'p_filesz 1 (< 2)');
  t.equal(interp(withInterp('x')), 'x', 'p_filesz 2');
  t.equal(interp(withInterp('/' + 'a'.repeat(4094))), '/' + 'a'.repeat(4094), 'p_filesz 4096 (PATH_MAX)');
  t.equal(interp(withInterp('/' + 'a'.repeat(4095))), -E.ENOEXEC, 'p_filesz 4097');
  t.equal(interp(withInterp(Buffer.from('/lib/ld.so\0junk\0'))), '/lib/ld.so', 'the path ends at the first NUL');
  t.equal(interp(withInterp('/lib/ld.so', 200)), -E.EIO, 'the string runs past the end of the file');
  const two = mkElf({
    phdrs: [
      { type: PT_INTERP, offset: 64 + 2 * 56, filesz: 7 },
      { type: PT_INTERP, offset: 64 + 2 * 56 + 7, filesz: 8 },
    ],
    tail: Buffer.from('/first\0/second\0', 'latin1'),
  });
  t.equal(interp(two), '/first', 'load_elf_binary uses the first PT_INTERP');
  t.end();
});
