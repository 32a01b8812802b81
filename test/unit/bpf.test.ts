// The classic-BPF assembler, its encoding (struct sock_filter) and the
// reference interpreter, on hand-written programs. Validity rules are those
// of the kernel's bpf_check_classic/seccomp_check_filter: jumps stay inside
// the program and go forward, conditional offsets fit in a u8, the last
// instruction returns, loads read aligned words of struct seccomp_data.
import t from 'tap';
import { BpfAssembler, encode, type Insn, Op, run, SECCOMP_DATA } from '../../src/platform/bpf.js';

const RET_ALLOW = 0x7fff0000;
const RET_KILL = 0x80000000;
const RET_ERRNO = (e: number) => (0x00050000 | e) >>> 0;

t.test('opcodes are the kernel values of BPF_* combinations', (t) => {
  // BPF_LD|BPF_W|BPF_ABS, BPF_ALU|BPF_AND|BPF_K, BPF_JMP|BPF_JA, BPF_JMP|BPF_J*|BPF_K, BPF_RET|BPF_K
  t.equal(Op.LD_W_ABS, 0x00 | 0x00 | 0x20);
  t.equal(Op.ALU_AND_K, 0x04 | 0x50 | 0x00);
  t.equal(Op.JMP_JA, 0x05 | 0x00);
  t.equal(Op.JMP_JEQ_K, 0x05 | 0x10);
  t.equal(Op.JMP_JGT_K, 0x05 | 0x20);
  t.equal(Op.JMP_JGE_K, 0x05 | 0x30);
  t.equal(Op.JMP_JSET_K, 0x05 | 0x40);
  t.equal(Op.RET_K, 0x06);
  t.equal(SECCOMP_DATA.nr, 0);
  t.equal(SECCOMP_DATA.arch, 4);
  t.equal(SECCOMP_DATA.argLo(0), 16);
  t.equal(SECCOMP_DATA.argHi(0), 20);
  t.equal(SECCOMP_DATA.argLo(5), 56);
  t.equal(SECCOMP_DATA.argHi(5), 60);
  t.end();
});

t.test('labels resolve to relative forward offsets', (t) => {
  const a = new BpfAssembler();
  const yes = a.label('yes');
  const no = a.label('no');
  a.ld(SECCOMP_DATA.nr) // 0
    .jump(Op.JMP_JEQ_K, 39, yes, 'next') // 1: jt -> 4 (offset 2), jf -> 2
    .jump(Op.JMP_JEQ_K, 110, 'next', no) // 2: jt -> 3, jf -> 5 (offset 2)
    .ja(yes) // 3: -> 4 (offset 0)
    .bind(yes)
    .ret(RET_ALLOW) // 4
    .bind(no)
    .ret(RET_KILL); // 5
  t.equal(a.length, 6);
  const p = a.assemble();
  t.same(p, [
    { code: 0x20, jt: 0, jf: 0, k: 0 },
    { code: 0x15, jt: 2, jf: 0, k: 39 },
    { code: 0x15, jt: 0, jf: 2, k: 110 },
    { code: 0x05, jt: 0, jf: 0, k: 0 },
    { code: 0x06, jt: 0, jf: 0, k: RET_ALLOW },
    { code: 0x06, jt: 0, jf: 0, k: RET_KILL },
  ]);
  t.equal(run(p, { nr: 39, arch: 0 }), RET_ALLOW, 'first branch taken');
  t.equal(run(p, { nr: 110, arch: 0 }), RET_ALLOW, 'second comparison, then JA');
  t.equal(run(p, { nr: 1, arch: 0 }), RET_KILL, 'neither');
  t.end();
});

t.test('k is stored unsigned', (t) => {
  const p = new BpfAssembler().ld(0).jump(Op.JMP_JEQ_K, -1, 'next', 'next').ret(-2147483648).assemble();
  t.equal(p[1]!.k, 0xffffffff);
  t.equal(p[2]!.k, 0x80000000);
  t.equal(run(p, { nr: 0, arch: 0 }), 0x80000000);
  t.end();
});

t.test('conditional jumps reach 255 instructions, not 256', (t) => {
  const build = (gap: number) => {
    const a = new BpfAssembler();
    const far = a.label('far');
    a.ld(0).jump(Op.JMP_JEQ_K, 1, far, 'next');
    for (let i = 0; i < gap; i++) a.ret(i);
    a.bind(far).ret(RET_ALLOW);
    return a;
  };
  const ok = build(255).assemble();
  t.equal(ok[1]!.jt, 255);
  t.equal(run(ok, { nr: 1, arch: 0 }), RET_ALLOW, 'the jump lands on the bound instruction');
  t.equal(run(ok, { nr: 2, arch: 0 }), 0, 'fall through');
  t.throws(() => build(256).assemble(), /out of range \(256\)/);
  // The same distance through JA (32-bit offset) is fine.
  const a = new BpfAssembler();
  const far = a.label('far');
  a.ja(far);
  for (let i = 0; i < 1000; i++) a.ret(i);
  a.bind(far).ret(RET_ALLOW);
  const p = a.assemble();
  t.equal(p[0]!.k, 1000);
  t.equal(run(p, { nr: 0, arch: 0 }), RET_ALLOW);
  t.end();
});

t.test('backward, unbound, twice-bound and past-the-end labels are errors', (t) => {
  {
    const a = new BpfAssembler();
    const top = a.label('top');
    a.bind(top).ld(0).jump(Op.JMP_JEQ_K, 0, top, 'next').ret(0);
    t.throws(() => a.assemble(), /backward jump to top/);
  }
  {
    const a = new BpfAssembler();
    const top = a.label('loop');
    a.bind(top).ja(top).ret(0);
    t.throws(() => a.assemble(), /backward jump to loop/, 'JA to itself');
  }
  {
    const a = new BpfAssembler();
    const nowhere = a.label('nowhere');
    a.ld(0).jump(Op.JMP_JEQ_K, 0, 'next', nowhere).ret(0);
    t.throws(() => a.assemble(), /label nowhere never bound/);
  }
  {
    const a = new BpfAssembler();
    const l = a.label('twice');
    a.bind(l).ret(0);
    t.throws(() => a.bind(l), /label twice bound twice/);
  }
  {
    // A label bound after the last instruction targets nothing: the kernel
    // refuses such a filter (EINVAL), so the assembler must too.
    const a = new BpfAssembler();
    const end = a.label('end');
    a.ld(0).jump(Op.JMP_JEQ_K, 0, end, 'next').ret(0).bind(end);
    t.throws(() => a.assemble(), /end/);
    const b = new BpfAssembler();
    const end2 = b.label('end2');
    b.ja(end2).ret(0).bind(end2);
    t.throws(() => b.assemble(), /end2/);
  }
  {
    // bpf_check_classic: the last instruction must be a RET.
    const a = new BpfAssembler();
    a.ret(0).ld(0);
    t.throws(() => a.assemble(), /last instruction/);
  }
  t.end();
});

t.test('encode: 8 bytes per instruction, little-endian u16 code, u8 jt, u8 jf, u32 k', (t) => {
  const prog: Insn[] = [
    { code: 0x20, jt: 0, jf: 0, k: 4 },
    { code: 0x15, jt: 0x12, jf: 0x34, k: 0xc000003e },
    { code: 0x06, jt: 0, jf: 0, k: 0x7fff0000 },
  ];
  const b = encode(prog);
  t.equal(b.length, 24);
  t.same(Array.from(b.subarray(0, 8)), [0x20, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00]);
  t.same(Array.from(b.subarray(8, 16)), [0x15, 0x00, 0x12, 0x34, 0x3e, 0x00, 0x00, 0xc0]);
  t.same(Array.from(b.subarray(16, 24)), [0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x7f]);
  // A code above 0xff keeps its high byte at offset 1.
  t.same(Array.from(encode([{ code: 0x1234, jt: 0, jf: 0, k: 0 }]).subarray(0, 2)), [0x34, 0x12]);
  t.throws(() => encode([]), /length 0/);
  t.throws(() => encode(new Array<Insn>(4097).fill({ code: 6, jt: 0, jf: 0, k: 0 })), /length 4097/);
  t.equal(encode(new Array<Insn>(4096).fill({ code: 6, jt: 0, jf: 0, k: 0 })).length, 4096 * 8, 'BPF_MAXINSNS fits');
  t.end();
});

t.test('run: loads of nr, arch and the low/high words of each argument', (t) => {
  // RET A is not in our subset: load, compare against the expected value, return 1 on equality.
  const probe = (off: number, want: number, data: Parameters<typeof run>[1]) => {
    const p: Insn[] = [{ code: Op.LD_W_ABS, jt: 0, jf: 0, k: off }, { code: Op.JMP_JEQ_K, jt: 0, jf: 1, k: want >>> 0 }, { code: Op.RET_K, jt: 0, jf: 0, k: 1 }, { code: Op.RET_K, jt: 0, jf: 0, k: 0 }];
    return run(p, data);
  };
  const data = {
    nr: 231,
    arch: 0xc000003e,
    args: [0x11223344 * 2 ** 32 + 0x55667000, 7, -1, 0x100000002, 0, 2 ** 53 - 1],
  };
  t.equal(probe(SECCOMP_DATA.nr, 231, data), 1, 'nr');
  t.equal(probe(SECCOMP_DATA.arch, 0xc000003e, data), 1, 'arch');
  t.equal(probe(SECCOMP_DATA.argLo(0), 0x55667000, data), 1, 'arg0 lo');
  t.equal(probe(SECCOMP_DATA.argHi(0), 0x11223344, data), 1, 'arg0 hi');
  t.equal(probe(SECCOMP_DATA.argLo(1), 7, data), 1, 'arg1 lo');
  t.equal(probe(SECCOMP_DATA.argHi(1), 0, data), 1, 'arg1 hi');
  t.equal(probe(SECCOMP_DATA.argLo(2), 0xffffffff, data), 1, '-1 lo');
  t.equal(probe(SECCOMP_DATA.argHi(2), 0xffffffff, data), 1, '-1 hi (sign-extended to 64 bits)');
  t.equal(probe(SECCOMP_DATA.argLo(3), 2, data), 1, 'arg3 lo');
  t.equal(probe(SECCOMP_DATA.argHi(3), 1, data), 1, 'arg3 hi');
  t.equal(probe(SECCOMP_DATA.argLo(5), 0xffffffff, data), 1, '2^53-1 lo');
  t.equal(probe(SECCOMP_DATA.argHi(5), 0x1fffff, data), 1, '2^53-1 hi');
  t.equal(probe(SECCOMP_DATA.argLo(4), 0, { nr: 0, arch: 0 }), 1, 'missing args read as 0');
  t.equal(probe(SECCOMP_DATA.nr, 0xffffffff, { nr: -1, arch: 0 }), 1, 'nr -1 is 0xffffffff');
  t.end();
});

t.test('run: loads the kernel would reject are refused', (t) => {
  // seccomp_check_filter: k >= sizeof(struct seccomp_data) or k & 3 is EINVAL.
  for (const k of [64, 68, 1, 18, 2]) {
    t.throws(() => run([{ code: Op.LD_W_ABS, jt: 0, jf: 0, k }, { code: Op.RET_K, jt: 0, jf: 0, k: 0 }], { nr: 0, arch: 0 }), /offset/, `k=${k}`);
  }
  t.end();
});

t.test('run: AND and the four conditional jumps compare unsigned 32-bit values', (t) => {
  const cmp = (op: Op.JMP_JEQ_K | Op.JMP_JGT_K | Op.JMP_JGE_K | Op.JMP_JSET_K, k: number, nr: number, mask?: number) => {
    const a = new BpfAssembler();
    const hit = a.label('hit');
    a.ld(SECCOMP_DATA.nr);
    if (mask !== undefined) a.and(mask);
    a.jump(op, k, hit, 'next').ret(0).bind(hit).ret(1);
    return run(a.assemble(), { nr, arch: 0 });
  };
  t.equal(cmp(Op.JMP_JEQ_K, 5, 5), 1);
  t.equal(cmp(Op.JMP_JEQ_K, 5, 6), 0);
  t.equal(cmp(Op.JMP_JGT_K, 5, 6), 1);
  t.equal(cmp(Op.JMP_JGT_K, 5, 5), 0, 'JGT is strict');
  t.equal(cmp(Op.JMP_JGE_K, 5, 5), 1);
  t.equal(cmp(Op.JMP_JGE_K, 5, 4), 0);
  t.equal(cmp(Op.JMP_JGT_K, 0x7fffffff, 0x80000000), 1, 'unsigned: 0x80000000 > 0x7fffffff');
  t.equal(cmp(Op.JMP_JGE_K, 0x80000000, 0xffffffff), 1, 'unsigned: 0xffffffff >= 0x80000000');
  t.equal(cmp(Op.JMP_JGT_K, 0xfffffffe, 0xffffffff), 1);
  t.equal(cmp(Op.JMP_JSET_K, 0x40000000, 0x40000003), 1);
  t.equal(cmp(Op.JMP_JSET_K, 0x40000000, 0x3fffffff), 0);
  t.equal(cmp(Op.JMP_JSET_K, 0x80000000, 0x80000000), 1, 'JSET on the sign bit');
  t.equal(cmp(Op.JMP_JEQ_K, 0x34, 0x1234, 0xff), 1, 'AND masks the accumulator');
  t.equal(cmp(Op.JMP_JEQ_K, 0x80000000, 0xffffffff, 0x80000000), 1, 'AND result is unsigned');
  t.equal(cmp(Op.JMP_JEQ_K, 0, 0x1234, 0), 1, 'AND 0');
  t.end();
});

t.test('run: RET returns k, JA skips, unknown opcodes and falling off the end throw', (t) => {
  const p: Insn[] = [
    { code: Op.JMP_JA, jt: 0, jf: 0, k: 1 },
    { code: Op.RET_K, jt: 0, jf: 0, k: RET_KILL },
    { code: Op.RET_K, jt: 0, jf: 0, k: RET_ERRNO(1) },
  ];
  t.equal(run(p, { nr: 0, arch: 0 }), 0x00050001);
  t.throws(() => run([{ code: 0x07, jt: 0, jf: 0, k: 0 }], { nr: 0, arch: 0 }), /opcode 7/, 'TAX is not in the subset');
  t.throws(() => run([{ code: Op.LD_W_ABS, jt: 0, jf: 0, k: 0 }], { nr: 0, arch: 0 }), /fell off the end/);
  t.end();
});

t.test('a complete filter: arch check, x32 bit, errno for one syscall, arg check', (t) => {
  const AUDIT_ARCH_X86_64 = 0xc000003e;
  const a = new BpfAssembler();
  const goodArch = a.label('arch');
  const notX32 = a.label('x32');
  const isOpen = a.label('open');
  const kill = a.label('kill');
  a.ld(SECCOMP_DATA.arch).jump(Op.JMP_JEQ_K, AUDIT_ARCH_X86_64, goodArch, kill);
  a.bind(goodArch).ld(SECCOMP_DATA.nr).jump(Op.JMP_JSET_K, 0x40000000, kill, notX32);
  a.bind(notX32).jump(Op.JMP_JEQ_K, 2, isOpen, 'next');
  a.jump(Op.JMP_JGE_K, 500, kill, 'next').ret(RET_ALLOW);
  // open: only O_RDONLY (low two bits 0) allowed, anything else EACCES.
  a.bind(isOpen).ld(SECCOMP_DATA.argLo(1)).and(3);
  const deny = a.label('deny');
  a.jump(Op.JMP_JGT_K, 0, deny, 'next').ret(RET_ALLOW).bind(deny).ret(RET_ERRNO(13));
  a.bind(kill).ret(RET_KILL);
  const p = a.assemble();
  const x = (nr: number, args: number[] = [], arch = AUDIT_ARCH_X86_64) => run(p, { nr, arch, args });
  t.equal(x(0), RET_ALLOW);
  t.equal(x(2, [0, 0]), RET_ALLOW);
  t.equal(x(2, [0, 2]), RET_ERRNO(13));
  t.equal(x(2, [0, 0x100000000]), RET_ALLOW, 'high word of the flags is ignored');
  t.equal(x(0x40000002), RET_KILL, 'x32');
  t.equal(x(600), RET_KILL);
  t.equal(x(0, [], 0x40000003), RET_KILL, 'i386');
  // Round trip through encode: decode the bytes and run them again.
  const bytes = encode(p);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const back: Insn[] = [];
  for (let o = 0; o < bytes.length; o += 8) back.push({ code: dv.getUint16(o, true), jt: bytes[o + 2]!, jf: bytes[o + 3]!, k: dv.getUint32(o + 4, true) });
  t.same(back, p);
  t.end();
});
