// The architecture the sentry serves: one folder per architecture holds what
// differs (syscall numbers, struct layouts, audit arch). x86_64 today; arm64
// is a new folder plus a case here.
import type { Stat } from '../stat.js';
import { encodeStat as encodeStatX86_64, STAT_SIZE as STAT_SIZE_X86_64 } from './x86_64/structs.js';
import { MAX_SYSCALL_X86_64, SYSCALLS_X86_64 } from './x86_64/syscalls.js';

export interface ArchInfo {
  readonly name: 'x86_64';
  /** AUDIT_ARCH_* value seccomp reports in seccomp_data.arch. */
  readonly auditArch: number;
  /** Bit that marks another ABI sharing this arch value (x32 on x86_64); 0 if none. */
  readonly x32Bit: number;
  readonly syscalls: Readonly<Record<string, number>>;
  readonly maxSyscall: number;
  /** sizeof(struct stat) and its encoder, which writes every byte (padding included). */
  readonly statSize: number;
  encodeStat(b: Buffer, st: Stat): void;
}

const X86_64: ArchInfo = {
  name: 'x86_64',
  auditArch: 0xc000003e,
  x32Bit: 0x40000000,
  syscalls: SYSCALLS_X86_64,
  maxSyscall: MAX_SYSCALL_X86_64,
  statSize: STAT_SIZE_X86_64,
  encodeStat: encodeStatX86_64,
};

export function archInfo(): ArchInfo {
  if (process.arch === 'x64') return X86_64;
  throw new Error(`tsvisor: architecture ${process.arch} is not supported yet (x86_64 only)`);
}
