// Mirror of native/addon/trap_abi.h: the shared trap buffer and the sentinel
// results a handler may return instead of a syscall result.

export const enum Slot {
  Tid = 0,
  Nr = 1,
  Args = 2,
  IdLo = 14,
  IdHi = 15,
  Arch = 16,
  IpLo = 17,
  IpHi = 18,
  /** The listener the notification came from (a process spawned later has its own). */
  Lfd = 19,
  Count = 20,
}

/** The handler keeps the notification and replies later (blocking calls). */
export const DEFER = -268435457;
/** Let the kernel execute the call as issued (safe only when registers alone decide). */
export const CONTINUE = -268435458;
/** The handler already replied (ADDFD with SEND). */
export const REPLIED = -268435459;

export function isSentinel(v: number): boolean {
  return v === DEFER || v === CONTINUE || v === REPLIED;
}
