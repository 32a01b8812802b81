// What a syscall family file exports: handlers by name, each with the
// argument formats --strace uses and an honest support note.
import type { Call } from './call.js';

/**
 * Argument formats for --strace: int, uint, hex, ptr, fd, atfd, path, str,
 * oflags, mode, sig, size, pid, flags (hex), whence, how (ignored args: -).
 */
export type ArgFormat = string;

export interface SyscallDef {
  fn: (c: Call) => number;
  /** Comma-separated ArgFormat list. */
  args?: string;
  /** How to print the result: int (default), fd, hex, ptr. */
  ret?: 'int' | 'fd' | 'hex' | 'ptr';
  /** Set when only part of the Linux behaviour is implemented; says what is missing. */
  partial?: string;
  /** Set when the sandbox answers with an errno on purpose; says why. */
  refused?: string;
}

export type SyscallFamily = Record<string, SyscallDef>;
