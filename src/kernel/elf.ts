// What exec needs from an ELF file: validity for this architecture, entry,
// program headers and the interpreter path. Everything else is the loader's.
import { E } from '../abi/errno.js';

export const ET_EXEC = 2;
export const ET_DYN = 3;
const PT_INTERP = 3;
const EM_X86_64 = 62;
const PHDR_SIZE = 56;

export interface ElfInfo {
  type: number;
  entry: number;
  phoff: number;
  phnum: number;
  phentsize: number;
  phdrs: Uint8Array;
  interp: string | null;
}

export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

/**
 * Parses the header read from the start of the file; `readAt` fetches the
 * program headers and the interpreter string. -ENOEXEC for anything this
 * architecture cannot run, -EIO when the file is shorter than it claims.
 */
export function parseElf(head: Uint8Array, readAt: (pos: number, len: number) => Uint8Array | number): ElfInfo | number {
  if (!isElf(head) || head.length < 64) return -E.ENOEXEC;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head[4] !== 2 || head[5] !== 1) return -E.ENOEXEC; // ELFCLASS64, little-endian
  const type = v.getUint16(16, true);
  if (type !== ET_EXEC && type !== ET_DYN) return -E.ENOEXEC;
  if (v.getUint16(18, true) !== EM_X86_64) return -E.ENOEXEC;
  const entry = Number(v.getBigUint64(24, true));
  const phoff = Number(v.getBigUint64(32, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  // load_elf_phdrs: the table must fit in ELF_MIN_ALIGN (a page).
  if (phentsize !== PHDR_SIZE || phnum === 0 || phnum * PHDR_SIZE > 4096) return -E.ENOEXEC;
  const phdrs = readAt(phoff, phnum * phentsize);
  if (typeof phdrs === 'number') return phdrs;
  if (phdrs.length !== phnum * phentsize) return -E.EIO;
  const pv = new DataView(phdrs.buffer, phdrs.byteOffset, phdrs.byteLength);
  let interp: string | null = null;
  for (let i = 0; i < phnum; i++) {
    const o = i * PHDR_SIZE;
    if (pv.getUint32(o, true) !== PT_INTERP) continue;
    const off = Number(pv.getBigUint64(o + 8, true));
    const size = Number(pv.getBigUint64(o + 32, true));
    if (size < 2 || size > 4096) return -E.ENOEXEC;
    const s = readAt(off, size);
    if (typeof s === 'number') return s;
    if (s.length !== size) return -E.EIO; // elf_read: a short read
    if (s[size - 1] !== 0) return -E.ENOEXEC;
    // The path is a C string; only the first PT_INTERP counts.
    interp = Buffer.from(s.buffer, s.byteOffset, s.indexOf(0)).toString('latin1');
    break;
  }
  return { type, entry, phoff, phnum, phentsize, phdrs, interp };
}
