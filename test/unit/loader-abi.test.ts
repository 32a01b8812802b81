// The image block the sentry writes for the loader (src/platform/loader-abi.ts)
// against the C header the loader is compiled with (native/include/tsvisor_abi.h):
// a small C program prints sizes, offsets and constants; every field the
// encoder writes is read back at the C offset.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { encodeImage, type Image, imageSize, LOADER_NR, LOADER_OP_HELLO } from '../../src/platform/loader-abi.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const INCLUDE = join(ROOT, 'native', 'include');

const IMAGE_FIELDS = ['magic', 'version', 'size', 'argc', 'envc', 'strings_off', 'strings_len', 'execfn_off', 'comm_off', 'has_interp', 'uid', 'euid', 'gid', 'egid', 'secure', 'prog', 'interp'];
const ELF_FIELDS = ['entry', 'phoff', 'type', 'phnum', 'phentsize', 'fd', 'phdrs_off', 'pad'];

interface Layout {
  image: number;
  elf: number;
  magic: number;
  version: number;
  nr: number;
  hello: number;
  off: Record<string, number>;
  eoff: Record<string, number>;
  size: Record<string, number>;
  esize: Record<string, number>;
}

function cLayout(): Layout | string {
  const dir = mkdtempSync(join(tmpdir(), 'tsvisor-abi-'));
  try {
    const src = `#include <stdio.h>
#include <stddef.h>
#include "tsvisor_abi.h"
#define F(s, f) printf("%s\\"%s\\":[%zu,%zu]", first++ ? "," : "", #f, offsetof(struct s, f), sizeof(((struct s *)0)->f))
int main(void) {
  int first = 0;
  printf("{\\"image\\":%zu,\\"elf\\":%zu,\\"magic\\":%u,\\"version\\":%d,\\"nr\\":%d,\\"hello\\":%d,\\"off\\":{",
         sizeof(struct tsv_image), sizeof(struct tsv_image_elf), TSV_IMAGE_MAGIC, TSV_IMAGE_VERSION, TSV_NR_LOADER, TSV_LOADER_OP_HELLO);
  ${IMAGE_FIELDS.map((f) => `F(tsv_image, ${f});`).join('\n  ')}
  printf("},\\"eoff\\":{");
  first = 0;
  ${ELF_FIELDS.map((f) => `F(tsv_image_elf, ${f});`).join('\n  ')}
  printf("}}\\n");
  return 0;
}
`;
    writeFileSync(join(dir, 'layout.c'), src);
    const cc = spawnSync('gcc', ['-Wall', '-Werror', '-I', INCLUDE, '-o', join(dir, 'layout'), join(dir, 'layout.c')], { encoding: 'utf8' });
    if (cc.error) return `gcc not available (${cc.error.message})`;
    if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr}`);
    const run = spawnSync(join(dir, 'layout'), { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`layout program failed: ${run.stderr}`);
    const raw = JSON.parse(run.stdout) as Omit<Layout, 'off' | 'eoff' | 'size' | 'esize'> & { off: Record<string, [number, number]>; eoff: Record<string, [number, number]> };
    const pick = (m: Record<string, [number, number]>, i: 0 | 1) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v[i]]));
    return { ...raw, off: pick(raw.off, 0), size: pick(raw.off, 1), eoff: pick(raw.eoff, 0), esize: pick(raw.eoff, 1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const layout = cLayout();
const skip = typeof layout === 'string' ? layout : false;
const L = layout as Layout;

function phdrs(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n * 56 }, (_, i) => (i * 7 + seed) & 0xff);
}

const img: Image = {
  argv: ['/bin/prog', '-x', '', 'with space', 'caf\u00e9'],
  envp: ['PATH=/bin:/usr/bin', 'HOME=/root', 'EMPTY='],
  execfn: '/usr/local/bin/a-rather-long-program-name',
  comm: 'a-rather-long-program-name',
  uid: 1000,
  euid: 0,
  gid: 2 ** 32 - 2,
  egid: 65534,
  secure: true,
  prog: { entry: 0x7f12_3456_7000, phoff: 64, type: 3, phnum: 13, phentsize: 56, fd: 1021, phdrs: phdrs(13, 1) },
  interp: { entry: 0x1100, phoff: 64, type: 3, phnum: 11, phentsize: 56, fd: 1020, phdrs: phdrs(11, 5) },
};

t.test('the TypeScript constants are the header\'s', { skip }, (t) => {
  t.equal(L.image, 160, 'sizeof(struct tsv_image)');
  t.equal(L.elf, 40, 'sizeof(struct tsv_image_elf)');
  t.equal(LOADER_NR, L.nr);
  t.equal(LOADER_OP_HELLO, L.hello);
  t.same(Object.keys(L.off), IMAGE_FIELDS, 'every header field printed');
  t.end();
});

/** Reads a field of the encoded block at the C offset, with the C size. */
function field(b: Buffer, off: number, size: number, signed = false): number {
  if (size === 4) return signed ? b.readInt32LE(off) : b.readUInt32LE(off);
  if (size === 8) return Number(b.readBigUInt64LE(off));
  throw new Error(`unexpected field size ${size}`);
}

/** A NUL-terminated latin1 string at `off`. */
function cstr(b: Buffer, off: number): string {
  const end = b.indexOf(0, off);
  return b.toString('latin1', off, end);
}

t.test('every field is written at the C offset', { skip }, (t) => {
  const b = Buffer.from(encodeImage(img));
  const f = (name: string) => field(b, L.off[name]!, L.size[name]!);
  t.equal(f('magic'), L.magic, 'magic');
  t.equal(f('version'), L.version, 'version');
  t.equal(f('size'), b.length, 'size: the whole block');
  t.equal(f('argc'), img.argv.length);
  t.equal(f('envc'), img.envp.length);
  t.equal(f('has_interp'), 1);
  t.equal(f('uid'), 1000);
  t.equal(f('euid'), 0);
  t.equal(f('gid'), 2 ** 32 - 2);
  t.equal(f('egid'), 65534);
  t.equal(f('secure'), 1);
  for (const which of ['prog', 'interp'] as const) {
    const base = L.off[which]!;
    const e = (name: string) => field(b, base + L.eoff[name]!, L.esize[name]!, name === 'fd');
    const want = img[which]!;
    t.equal(e('entry'), want.entry, `${which}.entry`);
    t.equal(e('phoff'), want.phoff, `${which}.phoff`);
    t.equal(e('type'), want.type, `${which}.type`);
    t.equal(e('phnum'), want.phnum, `${which}.phnum`);
    t.equal(e('phentsize'), want.phentsize, `${which}.phentsize`);
    t.equal(e('fd'), want.fd, `${which}.fd`);
    const at = e('phdrs_off');
    t.ok(at >= L.image, `${which} program headers after the header`);
    t.same(b.subarray(at, at + want.phdrs.length), Buffer.from(want.phdrs), `${which} program headers`);
  }
  t.end();
});

t.test('strings: argv then envp packed, each NUL-terminated; execfn and comm', { skip }, (t) => {
  const b = Buffer.from(encodeImage(img));
  const f = (name: string) => field(b, L.off[name]!, L.size[name]!);
  const so = f('strings_off');
  const all = [...img.argv, ...img.envp];
  const len = all.reduce((n, s) => n + s.length + 1, 0);
  t.equal(f('strings_len'), len, 'strings_len covers argv and envp');
  t.ok(so >= L.image, 'after the header');
  t.same(b.subarray(so, so + len), Buffer.from(all.map((s) => s + '\0').join(''), 'latin1'), 'argv then envp, packed');
  t.equal(b[so + len - 1], 0);
  t.equal(cstr(b, f('execfn_off')), img.execfn);
  t.equal(cstr(b, f('comm_off')), 'a-rather-long-p', 'comm: at most 15 bytes (TASK_COMM_LEN - 1)');
  t.equal(cstr(b, so + '/bin/prog\0-x\0\0with space\0'.length), 'caf\u00e9');
  t.equal(b[so + '/bin/prog\0-x\0\0with space\0caf'.length], 0xe9, 'latin1: one byte per character');
  // Regions do not overlap: header, program headers, strings, execfn, comm.
  const regions = [
    [0, L.image],
    [f('strings_off'), f('strings_off') + len],
    [f('execfn_off'), f('execfn_off') + img.execfn.length + 1],
    [f('comm_off'), f('comm_off') + 16],
    ...(['prog', 'interp'] as const).map((w) => {
      const at = field(b, L.off[w]! + L.eoff['phdrs_off']!, 4);
      return [at, at + img[w]!.phdrs.length];
    }),
  ].sort((x, y) => x[0]! - y[0]!);
  for (let i = 1; i < regions.length; i++) t.ok(regions[i]![0]! >= regions[i - 1]![1]!, `region ${i} starts after region ${i - 1} ends`);
  t.ok(regions[regions.length - 1]![1]! <= b.length, 'all inside the block');
  t.end();
});

t.test('imageSize: at least the bytes written, 8-aligned; no interpreter', { skip }, (t) => {
  const cases: Image[] = [
    img,
    { ...img, interp: undefined },
    { ...img, argv: [], envp: [], execfn: '', comm: '' },
    { ...img, argv: ['a'], envp: [], execfn: '/x', comm: 'x', interp: undefined },
    { ...img, argv: ['ab'], envp: ['c'], execfn: '/xyz', comm: 'xyz' },
  ];
  for (const [i, c] of cases.entries()) {
    const b = Buffer.from(encodeImage(c));
    const size = imageSize(c);
    t.equal(b.length, size, `case ${i}: the block is imageSize bytes`);
    t.equal(size % 8, 0, `case ${i}: 8-aligned`);
    const f = (name: string) => field(b, L.off[name]!, L.size[name]!);
    const commEnd = f('comm_off') + c.comm.slice(0, 15).length + 1;
    const execEnd = f('execfn_off') + c.execfn.length + 1;
    t.ok(size >= commEnd && size >= execEnd, `case ${i}: everything written fits`);
    t.ok(size - Math.max(commEnd, execEnd) < 8 + c.comm.length, `case ${i}: and not much more`);
  }
  const b = Buffer.from(encodeImage({ ...img, interp: undefined }));
  t.equal(field(b, L.off['has_interp']!, 4), 0);
  t.equal(b.readInt32LE(L.off['interp']! + L.eoff['fd']!), -1, 'interp.fd is -1 without an interpreter');
  t.equal(field(b, L.off['argc']!, 4), img.argv.length);
  const e = Buffer.from(encodeImage(cases[2]!));
  t.equal(field(e, L.off['strings_len']!, 4), 0, 'no strings');
  t.equal(cstr(e, field(e, L.off['execfn_off']!, 4)), '');
  t.end();
});
