// The call being handled: its task, decoded arguments (from the shared trap
// buffer, without allocation) and guest memory helpers. One instance is
// reused for every trap.
import { E } from '../abi/errno.js';
import { PATH_MAX } from '../abi/flags.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { NotifId, Platform } from '../platform/platform.js';
import { Slot } from '../platform/trap-abi.js';

const TWO32 = 4294967296;
/** User addresses on x86_64 are below 2^47; anything else faults. */
const USER_TOP = 2 ** 47;

export class Call {
  task!: Task;
  nr = 0;
  /** What a handler that answered by itself (REPLIED) gave the guest, for --strace. */
  replied = 0;
  private readonly scratch = Buffer.alloc(512);

  constructor(
    readonly buf: Int32Array,
    readonly kernel: Kernel,
    readonly pf: Platform,
  ) {}

  /** Argument i as a C int (low 32 bits, signed). */
  int(i: number): number {
    return this.buf[Slot.Args + 2 * i]!;
  }

  /** Argument i as an unsigned int (low 32 bits). */
  uint(i: number): number {
    return this.buf[Slot.Args + 2 * i]! >>> 0;
  }

  /** Argument i as an unsigned 64-bit value (pointers, sizes); exact below 2^53. */
  ptr(i: number): number {
    return (this.buf[Slot.Args + 2 * i + 1]! >>> 0) * TWO32 + (this.buf[Slot.Args + 2 * i]! >>> 0);
  }

  /** Argument i as a signed 64-bit value (offsets). */
  long(i: number): number {
    return this.buf[Slot.Args + 2 * i + 1]! * TWO32 + (this.buf[Slot.Args + 2 * i]! >>> 0);
  }

  /** The id of this notification, copied for a deferred reply. */
  id(): NotifId {
    return { lo: this.buf[Slot.IdLo]!, hi: this.buf[Slot.IdHi]!, lfd: this.buf[Slot.Lfd]! };
  }

  // ---- guest memory of the calling task ----

  readPath(i: number): string | number {
    const addr = this.ptr(i);
    if (addr === 0 || addr >= USER_TOP) return -E.EFAULT;
    const r = this.pf.readString(this.task.hostTid, addr, PATH_MAX - 1);
    return r;
  }

  readString(addr: number, max: number): string | number {
    if (addr === 0 || addr >= USER_TOP) return -E.EFAULT;
    return this.pf.readString(this.task.hostTid, addr, max);
  }

  /** Reads exactly len bytes, or -EFAULT. */
  read(addr: number, len: number): Buffer | number {
    if (len === 0) return Buffer.alloc(0);
    if (addr === 0 || addr >= USER_TOP || addr + len > USER_TOP) return -E.EFAULT;
    const b = len <= this.scratch.length ? this.scratch.subarray(0, len) : Buffer.alloc(len);
    const n = this.pf.read(this.task.hostTid, addr, b, 0, len);
    return n === len ? b : -E.EFAULT;
  }

  /** Reads into a fresh buffer the caller may keep. */
  readCopy(addr: number, len: number): Buffer | number {
    const r = this.read(addr, len);
    return typeof r === 'number' ? r : Buffer.from(r);
  }

  /** Writes all of data, or -EFAULT. */
  write(addr: number, data: Uint8Array): number {
    if (data.length === 0) return 0;
    if (addr === 0 || addr >= USER_TOP || addr + data.length > USER_TOP) return -E.EFAULT;
    const n = this.pf.write(this.task.hostTid, addr, data, 0, data.length);
    return n === data.length ? 0 : -E.EFAULT;
  }

  writeI32(addr: number, v: number): number {
    const b = this.scratch.subarray(0, 4);
    b.writeInt32LE(v | 0, 0);
    return this.write(addr, b);
  }

  writeU64(addr: number, v: number | bigint): number {
    const b = this.scratch.subarray(0, 8);
    b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), 0);
    return this.write(addr, b);
  }

  readI32(addr: number): number {
    const b = this.read(addr, 4);
    return typeof b === 'number' ? b : b.readInt32LE(0);
  }

  /** A scratch buffer of len bytes, not zeroed: for encoders that write every byte (valid until the next call). */
  raw(len: number): Buffer {
    return len <= this.scratch.length ? this.scratch.subarray(0, len) : Buffer.allocUnsafe(len);
  }

  /** A zeroed scratch buffer of len bytes (valid until the next call). */
  out(len: number): Buffer {
    const b = len <= this.scratch.length ? this.scratch.subarray(0, len) : Buffer.alloc(len);
    b.fill(0);
    return b;
  }
}
