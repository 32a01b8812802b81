// Mirror of native/include/tsvisor_abi.h: the image block the sentry writes
// into the loader's buffer. The layout is checked by a unit test against the
// C header's sizes.

export const LOADER_NR = 0x7473;
export const LOADER_OP_HELLO = 1;
const MAGIC = 0x31565354;
const VERSION = 1;

const HEADER_SIZE = 160;
const ELF_SIZE = 40;

export interface ImageElf {
  entry: number;
  phoff: number;
  type: number;
  phnum: number;
  phentsize: number;
  /** fd number in the guest where the file was installed; -1 when absent. */
  fd: number;
  phdrs: Uint8Array;
}

export interface Image {
  argv: string[];
  envp: string[];
  execfn: string;
  comm: string;
  uid: number;
  euid: number;
  gid: number;
  egid: number;
  secure: boolean;
  prog: ImageElf;
  interp?: ImageElf;
}

function latin1Length(s: string): number {
  return s.length;
}

/** Size of the block for an image: the loader's buffer must be at least this. */
export function imageSize(img: Image): number {
  let n = HEADER_SIZE;
  n += img.prog.phdrs.length + (img.interp?.phdrs.length ?? 0);
  for (const s of img.argv) n += latin1Length(s) + 1;
  for (const s of img.envp) n += latin1Length(s) + 1;
  n += latin1Length(img.execfn) + 1 + latin1Length(img.comm) + 1;
  return (n + 7) & ~7;
}

/** Encodes the block; strings are byte strings (latin1). */
export function encodeImage(img: Image): Uint8Array {
  const size = imageSize(img);
  const buf = Buffer.alloc(size);
  let off = HEADER_SIZE;
  const put = (bytes: Uint8Array): number => {
    const at = off;
    buf.set(bytes, off);
    off += bytes.length;
    return at;
  };
  const putStr = (s: string): number => {
    const at = off;
    off += buf.write(s, off, 'latin1');
    buf[off++] = 0;
    return at;
  };
  const progPh = put(img.prog.phdrs);
  const interpPh = img.interp ? put(img.interp.phdrs) : 0;
  const stringsOff = off;
  for (const s of img.argv) putStr(s);
  for (const s of img.envp) putStr(s);
  const stringsLen = off - stringsOff;
  const execfnOff = putStr(img.execfn);
  const commOff = putStr(img.comm.slice(0, 15));

  const u32 = (o: number, v: number) => buf.writeUInt32LE(v >>> 0, o);
  const u64 = (o: number, v: number) => buf.writeBigUInt64LE(BigInt(v), o);
  u32(0, MAGIC);
  u32(4, VERSION);
  u32(8, size);
  u32(12, img.argv.length);
  u32(16, img.envp.length);
  u32(20, stringsOff);
  u32(24, stringsLen);
  u32(28, execfnOff);
  u32(32, commOff);
  u32(36, img.interp ? 1 : 0);
  u64(40, img.uid);
  u64(48, img.euid);
  u64(56, img.gid);
  u64(64, img.egid);
  u64(72, img.secure ? 1 : 0);
  const elf = (o: number, e: ImageElf | undefined, phOff: number) => {
    if (!e) {
      buf.writeInt32LE(-1, o + 28);
      return;
    }
    u64(o, e.entry);
    u64(o + 8, e.phoff);
    u32(o + 16, e.type);
    u32(o + 20, e.phnum);
    u32(o + 24, e.phentsize);
    buf.writeInt32LE(e.fd, o + 28);
    u32(o + 32, phOff);
  };
  elf(80, img.prog, progPh);
  elf(80 + ELF_SIZE, img.interp, interpPh);
  return buf;
}
