// OCI images: the tar reader, the fd-relative unpacker (nothing escapes the
// layer), the layer cache, the layout reader (tags, indexes, digests) and
// the config as a process.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ImageError, imageProcess, loadImage, parseImageRef } from '../../src/image/index.js';
import { parsePax, TarReader, type TarEntry } from '../../src/image/tar.js';
import { entryParts } from '../../src/image/unpack.js';
import { makeTar, paxRecord, type TestEntry, writeBlob, writeIndex, writeLayout } from '../lib/tar.js';

function tmp(t: Tap): string {
  const d = mkdtempSync(join(tmpdir(), 'tsv-image-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}
type Tap = { teardown(f: () => void): void };

/** Entries and their data as the reader reports them, fed in awkward chunk sizes. */
function readAll(tar: Buffer, chunk = 333): { entries: TarEntry[]; data: string[] } {
  const entries: TarEntry[] = [];
  const data: string[] = [];
  let cur: Buffer[] = [];
  const r = new TarReader({
    entry: (e) => {
      entries.push(e);
      cur = [];
    },
    data: (b) => cur.push(Buffer.from(b)),
    end: () => data.push(Buffer.concat(cur).toString('latin1')),
  });
  for (let i = 0; i < tar.length; i += chunk) r.write(tar.subarray(i, i + chunk));
  r.end();
  return { entries, data };
}

t.test('tar reader: ustar, GNU long names and links, PAX records', (t) => {
  const long = 'd/' + 'x'.repeat(150) + '/file';
  const longLink = '/' + 'y'.repeat(120);
  const tar = makeTar([
    { path: 'a', type: '5', mode: 0o750, uid: 1000, gid: 100 },
    { path: 'a/f', data: 'hello', mode: 0o4755 },
    { path: long, data: 'gnu', gnuLong: true },
    { path: 'p/' + 'z'.repeat(120), data: 'pax' },
    { path: 'l', type: '2', linkpath: longLink, gnuLong: true },
    { path: 'm', data: '', pax: { mtime: '1234567890.5', uid: '70000', gid: '80000', 'SCHILY.xattr.user.x': 'ignored' } },
    { path: 'caf\xc3\xa9', data: 'utf8 bytes kept' },
    { path: 'h', type: '1', linkpath: 'a/f' },
    { path: 'c', type: '3', devMajor: 1, devMinor: 3 },
  ]);
  const { entries, data } = readAll(tar);
  t.same(
    entries.map((e) => [e.path, e.type]),
    [['a', 'dir'], ['a/f', 'file'], [long, 'file'], ['p/' + 'z'.repeat(120), 'file'], ['l', 'symlink'], ['m', 'file'], ['caf\xc3\xa9', 'file'], ['h', 'hardlink'], ['c', 'chardev']],
  );
  t.same(data, ['', 'hello', 'gnu', 'pax', '', '', 'utf8 bytes kept', '', '']);
  t.equal(entries[0]!.mode, 0o750);
  t.equal(entries[0]!.uid, 1000);
  t.equal(entries[1]!.mode, 0o4755, 'setuid bit read');
  t.equal(entries[4]!.linkpath, longLink);
  t.equal(entries[5]!.mtime, 1234567890.5);
  t.equal(entries[5]!.uid, 70000);
  t.equal(entries[5]!.gid, 80000);
  t.equal(entries[7]!.linkpath, 'a/f');
  t.same([entries[8]!.devMajor, entries[8]!.devMinor], [1, 3]);
  // Byte at a time: the state machine does not depend on chunking.
  t.same(readAll(tar, 1).data, data);
  t.end();
});

t.test('tar reader: malformed archives are errors', (t) => {
  const good = makeTar([{ path: 'f', data: 'x'.repeat(1000) }]);
  t.throws(() => readAll(good.subarray(0, 700)), /truncated/, 'cut inside the data');
  t.throws(() => readAll(makeTar([{ path: 'f', data: 'x', badChecksum: true }])), /checksum/);
  t.throws(() => readAll(Buffer.from('not a tar'.padEnd(512, '!'))), /checksum|bad/);
  t.throws(() => readAll(makeTar([{ path: 'f', pax: { 'GNU.sparse.size': '10' } }])), /sparse/);
  t.throws(() => readAll(makeTar([{ path: 'f', type: 'S' }])), /unsupported tar entry type/);
  t.throws(() => parsePax(Buffer.from('99 path=x\n')), /PAX/);
  t.same([...parsePax(Buffer.from(paxRecord('path', 'a=b') + paxRecord('k', 'v')))], [['path', 'a=b'], ['k', 'v']]);
  t.end();
});

t.test('entry paths: absolute and .. refused, . and // normalised', (t) => {
  t.same(entryParts('./a//b/./c'), ['a', 'b', 'c']);
  t.same(entryParts('./'), []);
  t.equal(entryParts('/etc/passwd'), 'absolute path');
  t.equal(entryParts('a/../../x'), '".." in path');
  t.equal(entryParts('a\0b'), 'NUL byte in path');
  t.end();
});

/** A one-image layout of `layers` (tar entries, bottom first) with `config`. */
function layout(t: Tap, layers: TestEntry[][], config: Record<string, unknown> = { Cmd: ['true'] }, gzip = false) {
  const dir = join(tmp(t), 'layout');
  const w = writeLayout(dir, [{ tag: 'v1', layers: layers.map((l) => ({ tar: makeTar(l), gzip })), config }]);
  return { dir, cache: join(dir, '..', 'cache'), w: w[0]! };
}

function cacheEntries(cache: string): string[] {
  const d = join(cache, 'sha256');
  return existsSync(d) ? readdirSync(d).sort() : [];
}

t.test('unpack: files, modes, times, symlinks, hard links, devices, whiteouts', async (t) => {
  const { dir, cache, w } = layout(
    t,
    [
      [
        { path: './', type: '5', mode: 0o755 },
        { path: 'etc/', type: '5', mode: 0o755 },
        { path: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\n', mode: 0o644, mtime: 1500000000 },
        { path: 'bin/su', data: 'ELF', mode: 0o4755, uid: 0, gid: 0 },
        { path: 'ro', type: '5', mode: 0o555, mtime: 1400000000 },
        { path: 'ro/inside', data: 'in a read-only dir' },
        { path: 'link', type: '2', linkpath: '/etc/passwd' },
        { path: 'hard', type: '1', linkpath: 'etc/passwd' },
        { path: 'dev/null', type: '3', devMajor: 1, devMinor: 3, mode: 0o666 },
        { path: 'fifo', type: '6', mode: 0o600 },
        { path: 'gone/.wh.x', data: '' },
        { path: 'opq/.wh..wh..opq', data: '' },
        { path: 'x'.repeat(120) + '/' + 'y'.repeat(120), data: 'long', gnuLong: true },
        { path: 'replaced', type: '5' },
        { path: 'replaced/child', data: 'c' },
        { path: 'replaced', data: 'now a file' },
      ],
    ],
    { Cmd: ['true'] },
    true,
  );
  const img = await loadImage(dir, { tag: 'v1', cacheDir: cache });
  t.equal(img.layers.length, 1);
  t.same(img.unpacked, [w.layers[0]!.digest]);
  const root = img.layers[0]!;
  t.equal(root, join(cache, 'sha256', w.layers[0]!.digest.slice(7)));
  t.equal(readFileSync(join(root, 'etc/passwd'), 'utf8'), 'root:x:0:0:root:/root:/bin/sh\n');
  t.equal(statSync(join(root, 'etc/passwd')).mtimeMs, 1500000000 * 1000);
  t.equal(statSync(join(root, 'bin/su')).mode & 0o7777, 0o4755, 'setuid kept (the cache is 0700)');
  t.equal(statSync(join(root, 'ro')).mode & 0o7777, 0o555, 'a read-only directory got its mode after being filled');
  t.equal(statSync(join(root, 'ro')).mtimeMs, 1400000000 * 1000, 'directory mtime applied after its children');
  t.equal(readFileSync(join(root, 'ro/inside'), 'utf8'), 'in a read-only dir');
  t.equal(readlinkSync(join(root, 'link')), '/etc/passwd', 'absolute symlink stored as is');
  t.equal(statSync(join(root, 'hard')).ino, statSync(join(root, 'etc/passwd')).ino, 'hard link');
  t.ok(lstatSync(join(root, 'fifo')).isFIFO());
  if (process.getuid?.() === 0) {
    t.ok(lstatSync(join(root, 'dev/null')).isCharacterDevice());
    t.equal(lstatSync(join(root, 'dev/null')).rdev, 0x103);
  }
  t.ok(existsSync(join(root, 'gone/.wh.x')), 'whiteouts kept as files');
  t.ok(existsSync(join(root, 'opq/.wh..wh..opq')));
  t.equal(readFileSync(join(root, 'x'.repeat(120), 'y'.repeat(120)), 'utf8'), 'long');
  t.equal(readFileSync(join(root, 'replaced'), 'utf8'), 'now a file', 'a later entry replaces a directory');
  t.equal(statSync(join(cache, 'sha256')).mode & 0o777, 0o700, 'the cache is private');
  t.same(cacheEntries(cache), [w.layers[0]!.digest.slice(7)], 'no temp dirs left');
  const again = await loadImage(dir, { cacheDir: cache });
  t.same(again.unpacked, [], 'second load: from the cache');
  t.same(again.layers, img.layers);
});

t.test('cache: two loads of the same image at once unpack into their own temp dirs; one rename wins', async (t) => {
  const entries: TestEntry[] = [];
  for (let i = 0; i < 200; i++) entries.push({ path: `d${i % 10}/f${i}`, data: 'x'.repeat(5000) });
  const { dir, cache, w } = layout(t, [entries, [{ path: 'top', data: 'y' }]], { Cmd: ['true'] }, true);
  const [a, b] = await Promise.all([loadImage(dir, { cacheDir: cache }), loadImage(dir, { cacheDir: cache })]);
  t.same(a.layers, b.layers);
  t.same(cacheEntries(cache), w.layers.map((l) => l.digest.slice(7)).sort(), 'one directory per layer, no temp dirs');
  t.equal(readdirSync(join(a.layers[0]!, 'd3')).length, 20, 'the layer is complete');
});

t.test('unpack: untrusted archives cannot write outside the layer', async (t) => {
  const base = tmp(t);
  const outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'passwd'), 'host file\n');
  const cases: [string, TestEntry[], RegExp][] = [
    ['symlink then a file through it', [{ path: 'a', type: '2', linkpath: outside }, { path: 'a/passwd', data: 'pwned\n' }], /"a\/passwd": goes through a symlink/],
    ['relative symlink up and through', [{ path: 'a', type: '2', linkpath: '../../../../../../..' + outside }, { path: 'a/new', data: 'x' }], /goes through a symlink/],
    ['symlink then a dir through it', [{ path: 'a', type: '2', linkpath: outside }, { path: 'a/sub/', type: '5' }], /goes through a symlink/],
    ['symlink then a symlink through it', [{ path: 'a', type: '2', linkpath: outside }, { path: 'a/l', type: '2', linkpath: '/' }], /goes through a symlink/],
    ['.. in a path', [{ path: 'x/../../outside/passwd', data: 'pwned\n' }], /".." in path/],
    ['absolute path', [{ path: join(outside, 'passwd'), data: 'pwned\n' }], /absolute path/],
    ['hard link to a host file', [{ path: 'h', type: '1', linkpath: join(outside, 'passwd') }], /hard link .*absolute path/],
    ['hard link with ..', [{ path: 'h', type: '1', linkpath: '../outside/passwd' }], /hard link .*".." in path/],
    ['hard link through a symlink', [{ path: 'a', type: '2', linkpath: outside }, { path: 'h', type: '1', linkpath: 'a/passwd' }], /not an earlier entry of this layer/],
    ['hard link to nothing', [{ path: 'h', type: '1', linkpath: 'missing' }], /not an earlier entry/],
    ['a malformed tar', [{ path: 'f', data: 'x', badChecksum: true }], /layer sha256:[0-9a-f]+…: bad tar header checksum/],
    ['PAX path with ..', [{ path: 'ok', data: 'x', pax: { path: '../escape' } }], /".." in path/],
  ];
  for (const [name, entries, err] of cases) {
    const l = layout(t, [entries]);
    await t.rejects(loadImage(l.dir, { cacheDir: l.cache }), err, name);
    t.same(cacheEntries(l.cache), [], `${name}: nothing left in the cache`);
  }
  t.equal(readFileSync(join(outside, 'passwd'), 'utf8'), 'host file\n');
  t.same(readdirSync(outside), ['passwd'], 'nothing written outside');
});

t.test('layout: tags, the only image, latest, indexes, platforms', async (t) => {
  const dir = join(tmp(t), 'layout');
  const cache = join(dir, '..', 'cache');
  const layer = (s: string) => ({ tar: makeTar([{ path: 'which', data: s }]) });
  const w = writeLayout(dir, [
    { tag: 'one', layers: [layer('one')], config: { Cmd: ['one'] } },
    { tag: 'two', layers: [layer('two')], config: { Cmd: ['two'] } },
  ]);
  const cmd = async (tag?: string) => (await loadImage(dir, { tag, cacheDir: cache })).config.cmd;
  t.same(await cmd('two'), ['two']);
  t.same(await cmd('one'), ['one']);
  await t.rejects(cmd('three'), /no image tagged "three" in index.json \(tags: one, two\)/);
  await t.rejects(cmd(), /2 images and none is tagged "latest"/);
  // An index (manifest list) tagged latest: the host's platform is chosen.
  const arm = { ...w[0]!.manifest, platform: { os: 'linux', architecture: 'arm64' } };
  const amd = { ...w[1]!.manifest, platform: { os: 'linux', architecture: 'amd64' } };
  const list = writeBlob(dir, Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [arm, amd] })), 'application/vnd.oci.image.index.v1+json');
  writeIndex(dir, [
    { ...w[0]!.manifest, annotations: { 'org.opencontainers.image.ref.name': 'one' } },
    { ...list, annotations: { 'org.opencontainers.image.ref.name': 'latest' } },
  ]);
  t.same(await cmd(), ['two'], 'latest → index → linux/amd64');
  const armOnly = writeBlob(dir, Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [arm] })), 'application/vnd.oci.image.index.v1+json');
  writeIndex(dir, [armOnly]);
  await t.rejects(cmd(), /no linux\/amd64 image \(has linux\/arm64\)/);
  writeIndex(dir, [w[0]!.manifest]);
  t.same(await cmd(), ['one'], 'the only image, untagged');
  t.same(parseImageRef(`${dir}:one`), { dir, tag: 'one' });
  t.same(parseImageRef(dir), { dir });
  t.same(parseImageRef('some/dir:name:tag'), { dir: 'some/dir', tag: 'name:tag' });
  await t.rejects(loadImage(join(dir, 'nope')), /no such directory/);
  await t.rejects(loadImage(join(dir, 'blobs')), /not an OCI image layout/);
});

t.test('layout: digests and sizes are checked', async (t) => {
  const mk = () => layout(t, [[{ path: 'f', data: 'content' }]], { Cmd: ['true'] }, true);
  const blob = (dir: string, d: { digest: string }) => join(dir, 'blobs/sha256', d.digest.slice(7));
  {
    const l = mk();
    const p = blob(l.dir, l.w.config);
    writeFileSync(p, readFileSync(p, 'utf8').replace('true', 'TRUE'));
    await t.rejects(loadImage(l.dir, { cacheDir: l.cache }), /blob sha256:[0-9a-f]+: content does not match its digest/, 'config');
  }
  {
    const l = mk();
    const p = blob(l.dir, l.w.layers[0]!);
    const b = readFileSync(p);
    b[b.length - 9] ^= 0xff; // the gzip trailer's CRC region: same size, other content
    writeFileSync(p, b);
    await t.rejects(loadImage(l.dir, { cacheDir: l.cache }), new RegExp(`blob ${l.w.layers[0]!.digest}: content does not match its digest`), 'layer');
    t.same(cacheEntries(l.cache), [], 'a layer that fails verification is not cached');
  }
  {
    const l = mk();
    writeFileSync(blob(l.dir, l.w.layers[0]!), Buffer.concat([readFileSync(blob(l.dir, l.w.layers[0]!)), Buffer.from('x')]));
    await t.rejects(loadImage(l.dir, { cacheDir: l.cache }), /bytes, its descriptor says/, 'size');
  }
  {
    const l = mk();
    const idx = JSON.parse(readFileSync(join(l.dir, 'index.json'), 'utf8'));
    idx.manifests[0].digest = 'sha512:' + 'a'.repeat(128);
    writeFileSync(join(l.dir, 'index.json'), JSON.stringify(idx));
    await t.rejects(loadImage(l.dir, { cacheDir: l.cache }), /index.json.manifests\[0\].digest: unsupported digest algorithm/);
    idx.manifests[0].digest = 'sha256:../../etc/passwd';
    writeFileSync(join(l.dir, 'index.json'), JSON.stringify(idx));
    await t.rejects(loadImage(l.dir, { cacheDir: l.cache }), /malformed digest/);
  }
  {
    // zstd: Node 20's zlib has none; the error says so rather than guessing.
    const dir = join(tmp(t), 'z');
    const w = writeLayout(dir, [{ layers: [{ tar: makeTar([{ path: 'f' }]) }] }])[0]!;
    const m = JSON.parse(readFileSync(join(dir, 'blobs/sha256', w.manifest.digest.slice(7)), 'utf8'));
    m.layers[0].mediaType = 'application/vnd.oci.image.layer.v1.tar+zstd';
    writeIndex(dir, [writeBlob(dir, Buffer.from(JSON.stringify(m)), 'application/vnd.oci.image.manifest.v1+json')]);
    const hasZstd = typeof (await import('node:zlib') as unknown as Record<string, unknown>).createZstdDecompress === 'function';
    if (!hasZstd) await t.rejects(loadImage(dir, { cacheDir: join(dir, '..', 'zc') }), /tar\+zstd layers are not supported/);
  }
  {
    const l = layout(t, [[{ path: 'f' }]]);
    const idx = JSON.parse(readFileSync(join(l.dir, 'index.json'), 'utf8'));
    writeIndex(l.dir, [{ ...idx.manifests[0], size: idx.manifests[0].size + 1 }]);
    await t.rejects(loadImage(l.dir, { cacheDir: l.cache }), /bytes, its descriptor says/);
  }
});

t.test('config: Entrypoint/Cmd, Env, WorkingDir, User by name through the layers', async (t) => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n';
  const l = layout(t, [
    [
      { path: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\nold:x:5:5::/:/bin/sh\n' },
      { path: 'etc/group', data: 'root:x:0:\nstaff:x:50:\n' },
    ],
    [
      { path: 'etc/.wh.passwd', data: '' },
      { path: 'etc/passwd', data: passwd },
    ],
  ], { Entrypoint: ['/bin/ep', '-x'], Cmd: ['default'], Env: ['A=1', 'PATH=/bin', 'B=2'], WorkingDir: '/work', User: 'app' });
  const img = await loadImage(l.dir, { cacheDir: l.cache });
  t.equal(img.layers.length, 2);
  const p = imageProcess(img);
  t.same(p, { argv: ['/bin/ep', '-x', 'default'], env: { A: '1', PATH: '/bin', B: '2', HOME: '/home/app' }, cwd: '/work', uid: 1000, gid: 1000 });
  const q = imageProcess(img, { command: ['mine'], env: { A: 'over' }, cwd: '/', user: 'app:staff' });
  t.same(q.argv, ['/bin/ep', '-x', 'mine'], 'a command replaces Cmd, not Entrypoint');
  t.equal(q.env.A, 'over');
  t.equal(q.cwd, '/');
  t.same([q.uid, q.gid], [1000, 50], 'group from the lower layer\'s /etc/group');
  t.throws(() => imageProcess(img, { user: 'old' }), /no user "old"/, 'the upper /etc/passwd hides the lower one');
  t.same([imageProcess(img, { user: '7' }).uid, imageProcess(img, { user: '7' }).gid], [7, 0], 'an unlisted uid gets gid 0');
  t.same([imageProcess(img, { user: '1000:3' }).uid, imageProcess(img, { user: '1000:3' }).gid], [1000, 3]);
  t.throws(() => imageProcess(img, { user: 'nobody' }), /--user "nobody": no user "nobody" in the image's \/etc\/passwd/);
  t.throws(() => imageProcess(img, { user: 'app:nogroup' }), /no group "nogroup"/);
  const bare = layout(t, [[{ path: 'f' }]], {});
  const bareImg = await loadImage(bare.dir, { cacheDir: bare.cache });
  t.throws(() => imageProcess(bareImg), ImageError);
  t.throws(() => imageProcess(bareImg), /no Entrypoint or Cmd/);
});
