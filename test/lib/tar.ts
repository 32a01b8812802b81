// A small tar writer for tests that need layer archives (ustar headers, GNU
// long names, PAX records), and an OCI image layout writer on top of it.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface TestEntry {
  path: string;
  /** tar type flag: '0' file, '1' hard link, '2' symlink, '3' char dev, '5' dir, '6' fifo... */
  type?: string;
  data?: string | Buffer;
  linkpath?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  devMajor?: number;
  devMinor?: number;
  /** Write the long path as a GNU 'L' record (else a PAX 'x' header when it does not fit). */
  gnuLong?: boolean;
  /** Extra PAX records for this entry. */
  pax?: Record<string, string>;
  /** Corrupt the checksum. */
  badChecksum?: boolean;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, type: string, size: number, e: TestEntry, linkpath = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'latin1');
  h.write(octal(e.mode ?? (type === '5' ? 0o755 : 0o644), 8), 100, 'latin1');
  h.write(octal(e.uid ?? 0, 8), 108, 'latin1');
  h.write(octal(e.gid ?? 0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(e.mtime ?? 1700000000, 12), 136, 'latin1');
  h.write(type, 156, 1, 'latin1');
  h.write(linkpath, 157, 100, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.write(octal(e.devMajor ?? 0, 8), 329, 'latin1');
  h.write(octal(e.devMinor ?? 0, 8), 337, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(e.badChecksum ? sum + 1 : sum, 7) + ' ', 148, 'latin1');
  return h;
}

function padded(b: Buffer): Buffer[] {
  const pad = (512 - (b.length % 512)) % 512;
  return [b, Buffer.alloc(pad)];
}

/** One PAX record "LEN key=value\n" (LEN counts itself). */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

/** A tar archive of `entries`, ending in two zero blocks. */
export function makeTar(entries: TestEntry[]): Buffer {
  const out: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? '0';
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'latin1') : (e.data ?? Buffer.alloc(0));
    const pax: Record<string, string> = { ...(e.pax ?? {}) };
    let name = e.path;
    let link = e.linkpath ?? '';
    if (Buffer.byteLength(name, 'latin1') > 100) {
      if (e.gnuLong) {
        const b = Buffer.from(name + '\0', 'latin1');
        out.push(header('././@LongLink', 'L', b.length, { path: '' }), ...padded(b));
      } else pax.path = name;
      name = name.slice(0, 99);
    }
    if (link.length > 100) {
      if (e.gnuLong) {
        const b = Buffer.from(link + '\0', 'latin1');
        out.push(header('././@LongLink', 'K', b.length, { path: '' }), ...padded(b));
      } else pax.linkpath = link;
      link = link.slice(0, 99);
    }
    if (Object.keys(pax).length) {
      const b = Buffer.from(Object.entries(pax).map(([k, v]) => paxRecord(k, v)).join(''), 'latin1');
      out.push(header('PaxHeaders/x', 'x', b.length, { path: '' }), ...padded(b));
    }
    out.push(header(name, type, type === '0' ? data.length : 0, e, link));
    if (type === '0') out.push(...padded(data));
  }
  out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}

export interface LayoutLayer {
  tar: Buffer;
  gzip?: boolean;
}

export interface LayoutImage {
  tag?: string;
  layers: LayoutLayer[];
  config?: Record<string, unknown>;
  architecture?: string;
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Writes a blob; returns its descriptor. */
export function writeBlob(dir: string, b: Buffer, mediaType: string): { mediaType: string; digest: string; size: number } {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const d = sha(b);
  writeFileSync(join(dir, 'blobs', 'sha256', d), b);
  return { mediaType, digest: `sha256:${d}`, size: b.length };
}

/** The manifest descriptor of one image written into the layout `dir` (blobs only). */
export function writeImage(dir: string, img: LayoutImage) {
  const layers = img.layers.map((l) =>
    writeBlob(dir, l.gzip ? gzipSync(l.tar) : l.tar, l.gzip ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar'),
  );
  const config = writeBlob(
    dir,
    Buffer.from(
      JSON.stringify({
        architecture: img.architecture ?? 'amd64',
        os: 'linux',
        config: img.config ?? {},
        rootfs: { type: 'layers', diff_ids: img.layers.map((l) => `sha256:${sha(l.tar)}`) },
      }),
    ),
    'application/vnd.oci.image.config.v1+json',
  );
  const manifest = writeBlob(
    dir,
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers })),
    'application/vnd.oci.image.manifest.v1+json',
  );
  return { manifest, config, layers };
}

/** An OCI image layout at `dir` holding `images` (index.json lists them with their tags). */
export function writeLayout(dir: string, images: LayoutImage[]) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const written = images.map((img) => writeImage(dir, img));
  writeIndex(
    dir,
    written.map((w, i) => ({ ...w.manifest, ...(images[i]!.tag ? { annotations: { 'org.opencontainers.image.ref.name': images[i]!.tag! } } : {}) })),
  );
  return written;
}

export function writeIndex(dir: string, manifests: unknown[]): void {
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}
