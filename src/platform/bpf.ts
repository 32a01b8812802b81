// A small classic-BPF assembler for seccomp filters: instructions, forward
// labels, and the encoding the kernel expects (struct sock_filter, 8 bytes).

export const enum Op {
  LD_W_ABS = 0x20,
  ALU_AND_K = 0x54,
  JMP_JA = 0x05,
  JMP_JEQ_K = 0x15,
  JMP_JGT_K = 0x25,
  JMP_JGE_K = 0x35,
  JMP_JSET_K = 0x45,
  RET_K = 0x06,
}

export interface Insn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** A branch target: an instruction index once bound. */
export class Label {
  at = -1;
  constructor(readonly name: string) {}
}

type Target = Label | 'next';

interface Pending {
  code: number;
  k: number;
  jt?: Target;
  jf?: Target;
  ja?: Label;
}

/** Conditional jumps reach at most 255 instructions ahead; the assembler reports, never truncates. */
export class BpfAssembler {
  private readonly prog: Pending[] = [];

  get length(): number {
    return this.prog.length;
  }

  label(name = ''): Label {
    return new Label(name);
  }

  bind(l: Label): this {
    if (l.at >= 0) throw new Error(`bpf: label ${l.name} bound twice`);
    l.at = this.prog.length;
    return this;
  }

  ld(offset: number): this {
    this.prog.push({ code: Op.LD_W_ABS, k: offset });
    return this;
  }

  and(k: number): this {
    this.prog.push({ code: Op.ALU_AND_K, k });
    return this;
  }

  ret(k: number): this {
    this.prog.push({ code: Op.RET_K, k });
    return this;
  }

  ja(l: Label): this {
    this.prog.push({ code: Op.JMP_JA, k: 0, ja: l });
    return this;
  }

  /** if (A op k) goto jt else goto jf; 'next' falls through. */
  jump(op: Op.JMP_JEQ_K | Op.JMP_JGE_K | Op.JMP_JGT_K | Op.JMP_JSET_K, k: number, jt: Target, jf: Target): this {
    this.prog.push({ code: op, k, jt, jf });
    return this;
  }

  assemble(): Insn[] {
    const last = this.prog[this.prog.length - 1];
    // bpf_check_classic: every jump lands inside the program, which ends in a return.
    if (last && last.code !== Op.RET_K) throw new Error('bpf: the last instruction must be a return');
    return this.prog.map((p, i) => {
      const rel = (t: Target | undefined, what: string): number => {
        if (t === undefined || t === 'next') return 0;
        if (t.at < 0) throw new Error(`bpf: label ${t.name} never bound`);
        if (t.at >= this.prog.length) throw new Error(`bpf: label ${t.name} bound past the last instruction`);
        const d = t.at - i - 1;
        if (d < 0) throw new Error(`bpf: backward jump to ${t.name}`);
        if (what !== 'ja' && d > 255) throw new Error(`bpf: jump to ${t.name} out of range (${d})`);
        return d;
      };
      if (p.code === Op.JMP_JA) return { code: p.code, jt: 0, jf: 0, k: rel(p.ja, 'ja') };
      return { code: p.code, jt: rel(p.jt, 'jt'), jf: rel(p.jf, 'jf'), k: p.k >>> 0 };
    });
  }
}

/** struct sock_filter[] as the kernel reads it (little-endian hosts). */
export function encode(prog: Insn[]): Uint8Array {
  if (prog.length === 0 || prog.length > 4096) throw new Error(`bpf: program length ${prog.length} out of range`);
  const out = new Uint8Array(prog.length * 8);
  const v = new DataView(out.buffer);
  prog.forEach((p, i) => {
    v.setUint16(i * 8, p.code, true);
    v.setUint8(i * 8 + 2, p.jt);
    v.setUint8(i * 8 + 3, p.jf);
    v.setUint32(i * 8 + 4, p.k >>> 0, true);
  });
  return out;
}

/**
 * A reference interpreter for the subset we emit, so tests can run a filter
 * over every syscall number without installing it.
 */
export function run(prog: Insn[], data: { nr: number; arch: number; args?: number[] }): number {
  let a = 0;
  for (let pc = 0; pc < prog.length; pc++) {
    const p = prog[pc]!;
    switch (p.code) {
      case Op.LD_W_ABS:
        a = loadWord(data, p.k);
        break;
      case Op.ALU_AND_K:
        a = (a & p.k) >>> 0;
        break;
      case Op.JMP_JA:
        pc += p.k;
        break;
      case Op.JMP_JEQ_K:
        pc += a === p.k >>> 0 ? p.jt : p.jf;
        break;
      case Op.JMP_JGT_K:
        pc += a > p.k >>> 0 ? p.jt : p.jf;
        break;
      case Op.JMP_JGE_K:
        pc += a >= p.k >>> 0 ? p.jt : p.jf;
        break;
      case Op.JMP_JSET_K:
        pc += (a & p.k) !== 0 ? p.jt : p.jf;
        break;
      case Op.RET_K:
        return p.k >>> 0;
      default:
        throw new Error(`bpf: opcode ${p.code} not supported by the interpreter`);
    }
  }
  throw new Error('bpf: fell off the end of the program');
}

/** struct seccomp_data: nr @0, arch @4, ip @8, args[6] @16 (u64 each, little-endian). */
function loadWord(d: { nr: number; arch: number; args?: number[] }, off: number): number {
  // seccomp_check_filter rejects these loads: a filter using them cannot be installed.
  if (off >= 64 || off % 4 !== 0) throw new Error(`bpf: load offset ${off} outside struct seccomp_data or unaligned`);
  if (off === 0) return d.nr >>> 0;
  if (off === 4) return d.arch >>> 0;
  if (off >= 16 && off < 64) {
    const i = (off - 16) >> 3;
    const v = BigInt.asUintN(64, BigInt(d.args?.[i] ?? 0));
    return Number((off - 16) % 8 === 0 ? v & 0xffffffffn : v >> 32n);
  }
  return 0;
}

export const SECCOMP_DATA = {
  nr: 0,
  arch: 4,
  argLo: (i: number) => 16 + 8 * i,
  argHi: (i: number) => 20 + 8 * i,
} as const;
