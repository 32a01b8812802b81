// A streaming reader of tar archives as image layers use them: ustar, GNU
// long names and links ('L'/'K'), and PAX extended headers ('x', 'g': path,
// linkpath, size, mtime, uid, gid). It only parses: bytes go in, entries and
// their data come out, and nothing here touches the host (unpack.ts writes).
// Every byte is untrusted: sizes are bounded, checksums checked, and a
// truncated or malformed archive is an error, never a partial guess.
//
// Names are latin1 JS strings holding the archive's raw bytes (a PAX path is
// UTF-8 on the wire and stays those bytes), as paths are everywhere in tsvisor.

export type EntryType = 'file' | 'hardlink' | 'symlink' | 'chardev' | 'blockdev' | 'dir' | 'fifo';

export interface TarEntry {
  /** The path as the archive names it (not yet checked or normalised). */
  path: string;
  type: EntryType;
  /** Permission bits and setuid/setgid/sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of data that follow (files only; 0 for the rest). */
  size: number;
  /** Seconds since the epoch; PAX gives a fraction. */
  mtime: number;
  /** Target of a symlink, or the archive path of a hard link's target. */
  linkpath: string;
  devMajor: number;
  devMinor: number;
}

/** What the reader calls, in archive order: entry, its data (files), end. */
export interface TarHandler {
  entry(e: TarEntry): void;
  data(chunk: Buffer): void;
  end(): void;
}

export class TarError extends Error {
  override name = 'TarError';
}

const BLOCK = 512;
/** Extended headers and long names are held in memory: bounded. */
const MAX_META = 1 << 20;
const TYPES: Record<string, EntryType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'chardev', '4': 'blockdev', '5': 'dir', '6': 'fifo',
};

/** A NUL-terminated header field as latin1. */
function field(h: Buffer, off: number, len: number): string {
  const end = h.indexOf(0, off);
  return h.toString('latin1', off, end < 0 || end > off + len ? off + len : end);
}

/** A numeric header field: octal text, or GNU base-256 (high bit of the first byte). */
export function parseNumber(h: Buffer, off: number, len: number, what: string): number {
  if (h[off]! & 0x80) {
    if (h[off]! & 0x40) throw new TarError(`negative ${what} in a tar header`);
    let n = h[off]! & 0x3f;
    for (let i = 1; i < len; i++) {
      n = n * 256 + h[off + i]!;
      if (n > Number.MAX_SAFE_INTEGER) throw new TarError(`${what} too large in a tar header`);
    }
    return n;
  }
  const s = field(h, off, len).replace(/^[ ]+|[ \0]+$/g, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`bad ${what} "${s}" in a tar header`);
  const n = parseInt(s, 8);
  if (!Number.isSafeInteger(n)) throw new TarError(`${what} too large in a tar header`);
  return n;
}

/** Header checksum: the sum of its bytes with the checksum field read as spaces (signed or unsigned, as tar accepts). */
function checksumOk(h: Buffer): boolean {
  const want = parseNumber(h, 148, 8, 'checksum');
  let u = 0;
  let s = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i]!;
    u += b;
    s += b > 127 ? b - 256 : b;
  }
  return want === u || want === s;
}

/** PAX records "LEN KEY=VALUE\n"; values stay raw bytes (latin1). */
export function parsePax(b: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < b.length) {
    if (b[i] === 0) break; // padding some writers leave
    const sp = b.indexOf(0x20, i);
    if (sp < 0 || sp - i > 20) throw new TarError('bad PAX record length');
    const lenText = b.toString('latin1', i, sp);
    if (!/^\d+$/.test(lenText)) throw new TarError(`bad PAX record length "${lenText}"`);
    const len = Number(lenText);
    const end = i + len;
    if (len <= sp - i + 1 || end > b.length || b[end - 1] !== 0x0a) throw new TarError('bad PAX record');
    const rec = b.subarray(sp + 1, end - 1);
    const eq = rec.indexOf(0x3d);
    if (eq <= 0) throw new TarError('bad PAX record (no key)');
    out.set(rec.toString('latin1', 0, eq), rec.toString('latin1', eq + 1));
    i = end;
  }
  return out;
}

function paxNumber(v: string, key: string): number {
  if (!/^\d+$/.test(v)) throw new TarError(`bad PAX ${key} "${v}"`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new TarError(`PAX ${key} too large`);
  return n;
}

type State = 'header' | 'data' | 'meta' | 'pad' | 'done';

/**
 * Feed it the decompressed archive with `write`, then call `end`. Throws
 * TarError on a malformed archive; errors thrown by the handler pass through.
 */
export class TarReader {
  private buf: Buffer = Buffer.alloc(0);
  private state: State = 'header';
  /** Bytes of the current entry's data (or extended header) still to come. */
  private left = 0;
  private pad = 0;
  private metaType = '';
  private meta: Buffer[] = [];
  private metaLen = 0;
  /** Pending from 'x', 'L', 'K' for the next entry; from 'g' for all following. */
  private pax = new Map<string, string>();
  private globals = new Map<string, string>();
  private longName: string | null = null;
  private longLink: string | null = null;

  constructor(private readonly h: TarHandler) {}

  write(chunk: Buffer): void {
    let c = chunk;
    while (c.length && this.state !== 'done') {
      if (this.state === 'data' || this.state === 'meta') {
        const n = Math.min(this.left, c.length);
        const part = c.subarray(0, n);
        if (this.state === 'data') this.h.data(part);
        else this.meta.push(part);
        this.left -= n;
        c = c.subarray(n);
        if (this.left === 0) this.finishBody();
        continue;
      }
      if (this.state === 'pad') {
        const n = Math.min(this.pad, c.length);
        this.pad -= n;
        c = c.subarray(n);
        if (this.pad === 0) this.state = 'header';
        continue;
      }
      // header: gather exactly one block
      const need = BLOCK - this.buf.length;
      if (c.length < need) {
        this.buf = Buffer.concat([this.buf, c]);
        return;
      }
      const block = this.buf.length ? Buffer.concat([this.buf, c.subarray(0, need)]) : c.subarray(0, need);
      this.buf = Buffer.alloc(0);
      c = c.subarray(need);
      this.header(block);
    }
  }

  /** The archive ended: an error if it stopped inside an entry. */
  end(): void {
    if ((this.state !== 'header' && this.state !== 'done') || this.buf.length) {
      throw new TarError('truncated tar archive');
    }
    if (this.longName !== null || this.longLink !== null || this.pax.size) throw new TarError('truncated tar archive (extended header without its entry)');
  }

  private header(h: Buffer): void {
    // The end: a zero block (tar writes two; what follows is ignored).
    if (h.every((b) => b === 0)) {
      this.state = 'done';
      return;
    }
    if (!checksumOk(h)) throw new TarError('bad tar header checksum (not a tar archive, or corrupt)');
    const flag = String.fromCharCode(h[156]!);
    const size = parseNumber(h, 124, 12, 'size');
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_META) throw new TarError(`extended header of ${size} bytes (at most ${MAX_META})`);
      this.metaType = flag;
      this.meta = [];
      this.metaLen = size;
      this.startBody('meta', size);
      return;
    }
    const type = TYPES[flag];
    const magic = h.toString('latin1', 257, 263);
    let path = field(h, 0, 100);
    // POSIX ustar splits long names into prefix/name; the old GNU format
    // ("ustar  ") keeps other things in those bytes.
    if (magic === 'ustar\0') {
      const prefix = field(h, 345, 155);
      if (prefix) path = `${prefix}/${path}`;
    }
    const pax = new Map([...this.globals, ...this.pax]);
    if (this.longName !== null) path = this.longName;
    if (pax.has('path')) path = pax.get('path')!;
    let linkpath = this.longLink ?? field(h, 157, 100);
    if (pax.has('linkpath')) linkpath = pax.get('linkpath')!;
    if (!type) throw new TarError(`${path}: unsupported tar entry type '${flag}'`);
    for (const k of pax.keys()) if (k.startsWith('GNU.sparse.')) throw new TarError(`${path}: sparse files are not supported`);
    const e: TarEntry = {
      path,
      type,
      mode: parseNumber(h, 100, 8, 'mode') & 0o7777,
      uid: pax.has('uid') ? paxNumber(pax.get('uid')!, 'uid') : parseNumber(h, 108, 8, 'uid'),
      gid: pax.has('gid') ? paxNumber(pax.get('gid')!, 'gid') : parseNumber(h, 116, 8, 'gid'),
      size: pax.has('size') ? paxNumber(pax.get('size')!, 'size') : size,
      mtime: parseNumber(h, 136, 12, 'mtime'),
      linkpath,
      devMajor: type === 'chardev' || type === 'blockdev' ? parseNumber(h, 329, 8, 'devmajor') : 0,
      devMinor: type === 'chardev' || type === 'blockdev' ? parseNumber(h, 337, 8, 'devminor') : 0,
    };
    if (pax.has('mtime')) {
      const m = pax.get('mtime')!;
      if (!/^-?\d+(\.\d+)?$/.test(m)) throw new TarError(`${path}: bad PAX mtime "${m}"`);
      e.mtime = Number(m);
    }
    this.pax = new Map();
    this.longName = this.longLink = null;
    // Only regular files carry data; a size on anything else (a hard link
    // written with its data) is skipped, not given to the handler.
    const dataSize = e.size;
    if (type !== 'file') e.size = 0;
    this.h.entry(e);
    if (type === 'file') {
      this.startBody('data', dataSize);
    } else {
      this.skip(dataSize);
    }
  }

  private startBody(state: 'data' | 'meta', size: number): void {
    this.left = size;
    this.pad = (BLOCK - (size % BLOCK)) % BLOCK;
    this.state = state;
    if (size === 0) this.finishBody();
  }

  /** Data of an entry that has none for the handler: consumed as padding. */
  private skip(size: number): void {
    this.h.end();
    this.pad = size + ((BLOCK - (size % BLOCK)) % BLOCK);
    this.state = this.pad ? 'pad' : 'header';
  }

  private finishBody(): void {
    if (this.state === 'data') {
      this.h.end();
    } else {
      const b = Buffer.concat(this.meta, this.metaLen);
      this.meta = [];
      if (this.metaType === 'L' || this.metaType === 'K') {
        const end = b.indexOf(0);
        const s = b.toString('latin1', 0, end < 0 ? b.length : end);
        if (this.metaType === 'L') this.longName = s;
        else this.longLink = s;
      } else {
        const recs = parsePax(b);
        const into = this.metaType === 'g' ? this.globals : this.pax;
        for (const [k, v] of recs) {
          if (v === '') into.delete(k);
          else into.set(k, v);
        }
      }
    }
    this.state = this.pad ? 'pad' : 'header';
  }
}
