// `tsvisor run --image DIR[:TAG]` through the real CLI: an OCI layout of two
// layers built from rootfs/busybox (the upper one deletes a file with a
// whiteout and replaces a directory with an opaque one; the lower one is
// gzipped), the image config applied, the layer cache reused, and layouts
// made by umoci and skopeo when they are installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ROOT, runTsvisor } from '../lib/guest.js';
import { makeTar, writeLayout } from '../lib/tar.js';
import { treeHash } from '../lib/tree.js';

function tmp(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'tsvisor-image-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function busybox(dir: string): void {
  execFileSync(join(ROOT, 'rootfs/busybox/build.sh'), [dir]);
}

function has(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
}

/** The cache's layer directories (no temp dirs may remain). */
function cached(cache: string): string[] {
  const d = join(cache, 'sha256');
  return existsSync(d) ? readdirSync(d).sort() : [];
}

t.test('--image: two layers, whiteouts, the config, the cache', (t) => {
  const base = tmp(t);
  const rootfs = join(base, 'rootfs');
  busybox(rootfs);
  appendFileSync(join(rootfs, 'etc/passwd'), 'app:x:1000:1000:app:/home/app:/bin/sh\n');
  appendFileSync(join(rootfs, 'etc/group'), 'app:x:1000:\nstaff:x:50:\n');
  writeFileSync(join(rootfs, 'etc/gone'), 'deleted by the upper layer\n');
  writeFileSync(join(rootfs, 'etc/kept'), 'kept\n');
  mkdirSync(join(rootfs, 'data'));
  writeFileSync(join(rootfs, 'data/old1'), '1');
  writeFileSync(join(rootfs, 'data/old2'), '2');
  const lower = execFileSync('tar', ['--numeric-owner', '-C', rootfs, '-cf', '-', '.'], { maxBuffer: 1 << 30 });
  const upper = makeTar([
    { path: 'etc/.wh.gone', data: '' },
    { path: 'data/', type: '5' },
    { path: 'data/.wh..wh..opq', data: '' },
    { path: 'data/new', data: 'new\n' },
    { path: 'home/app/', type: '5', uid: 1000, gid: 1000 },
    { path: 'app/', type: '5', mode: 0o755 },
    { path: 'app/run.sh', data: 'echo "args:$*"\n', mode: 0o755 },
  ]);
  const layout = join(base, 'layout');
  const cache = join(base, 'cache');
  const layers2 = () => [{ tar: lower, gzip: true }, { tar: upper }];
  // v1 runs a script that echoes its arguments; sh is the same layers with a shell entrypoint, to look around.
  const [img, img2] = writeLayout(layout, [
    { tag: 'v1', layers: layers2(), config: { Entrypoint: ['/bin/sh', '/app/run.sh'], Cmd: ['default', 'cmd'], Env: ['PATH=/bin'], WorkingDir: '/app', User: 'app' } },
    { tag: 'sh', layers: layers2(), config: { Entrypoint: ['/bin/sh', '-c'], Env: ['GREETING=hello', 'PATH=/bin'], WorkingDir: '/app', User: 'app:staff' } },
  ]);
  t.same(img2!.layers.map((l) => l.digest), img!.layers.map((l) => l.digest), 'both images share the layer blobs');
  const cli = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/run.js'), 'run', '--image', `${layout}:v1`, '--image-cache', cache, ...args], { encoding: 'utf8' });
  // Entrypoint + Cmd, with no command given.
  const first = cli([]);
  t.equal(first.stdout, 'args:default cmd\n', first.stderr);
  t.equal(first.status, 0);
  const layers = img!.layers.map((l) => l.digest.slice(7)).sort();
  t.same(cached(cache), layers, 'both layers in the cache, keyed by digest, no temp dirs');
  const cacheHash = treeHash(cache);
  // A command replaces Cmd, not the Entrypoint.
  t.equal(cli(['--', 'x', 'y']).stdout, 'args:x y\n');
  // Env, WorkingDir, User applied; whiteout and opaque directory honoured.
  const script = 'echo "$GREETING $(id -u):$(id -g) $(pwd) $HOME"; cat /etc/gone; cat /etc/kept; ls /data';
  const sh = (argv: string[], flags: string[] = [], c = cache) => runTsvisor(argv, ['--image', `${layout}:sh`, '--image-cache', c, ...flags]);
  const look = sh([script]);
  t.equal(look.stdout, 'hello 1000:50 /app /home/app\nkept\nnew\n', look.stderr);
  t.match(look.stderr, /cat: can't open '\/etc\/gone': No such file or directory/, 'the whiteout deleted /etc/gone');
  const over = sh([script], ['--user', '0', '--cwd', '/data', '--env', 'GREETING=over']);
  t.equal(over.stdout, 'over 0:0 /data /root\nkept\nnew\n', over.stderr);
  const byName = sh(['id -un; id -gn'], ['--user', 'app:app']);
  t.equal(byName.stdout, 'app\napp\n', byName.stderr);
  // Writes go to the sandbox's upper layer, never into the cache.
  const w = sh(['echo x > /etc/kept && cat /etc/kept && rm /data/new'], ['--user', '0']);
  t.equal(w.stdout, 'x\n', w.stderr);
  t.equal(treeHash(cache), cacheHash, 'the cache is unchanged');
  // The cache is used: with the lower layer's blob corrupted (same size), a
  // run that read it would fail the digest check.
  const blob = join(layout, 'blobs/sha256', img!.layers[0]!.digest.slice(7));
  const bytes = readFileSync(blob);
  bytes[100] ^= 0xff;
  writeFileSync(blob, bytes);
  const again = sh(['cat /etc/kept']);
  t.equal(again.stdout, 'kept\n', `second run uses the cache: ${again.stderr}`);
  const fresh = join(base, 'fresh-cache');
  const bad = sh(['true'], [], fresh);
  t.equal(bad.code, 125);
  t.match(bad.stderr, new RegExp(`--image: .*${img!.layers[0]!.digest}: content does not match its digest`));
  t.same(cached(fresh), [], 'nothing half-unpacked left in the cache');
  t.end();
});

t.test('--image: bad input is one line and exit 125', (t) => {
  const base = tmp(t);
  const layout = join(base, 'layout');
  writeLayout(layout, [{ tag: 'a', layers: [{ tar: makeTar([{ path: 'f', data: 'x' }]) }], config: {} }]);
  const cases: [string[], string[], RegExp][] = [
    [['--image', layout, '--rootfs', base], ['true'], /--image: give either --image or --rootfs/],
    [['--image', layout, '--layer', base], ['true'], /--image: give either --image or --layer/],
    [['--image-cache', base], ['true'], /--image-cache needs --image/],
    [['--image', `${layout}:nope`, '--image-cache', join(base, 'c')], ['true'], /--image: .*no image tagged "nope" in index.json \(tags: a\)/],
    [['--image', join(base, 'missing'), '--image-cache', join(base, 'c')], ['true'], /--image: .*no such directory/],
    [['--image', `${layout}:a`, '--image-cache', join(base, 'c')], [], /--image: the image has no Entrypoint or Cmd: give a command/],
    [['--image', `${layout}:a`, '--image-cache', join(base, 'c'), '--user', 'ghost'], ['true'], /--image: --user "ghost": no user "ghost" in the image's \/etc\/passwd/],
  ];
  for (const [flags, argv, err] of cases) {
    const r = runTsvisor(argv, flags);
    t.equal(r.code, 125, flags.join(' '));
    t.match(r.stderr, err);
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  }
  t.end();
});

t.test('--image: a layout made by umoci', { skip: has('umoci') ? false : 'umoci is not installed (apt-get install umoci)' }, (t) => {
  const base = tmp(t);
  const layout = join(base, 'layout');
  const bundle = join(base, 'bundle');
  const umoci = (...a: string[]) => execFileSync('umoci', a, { stdio: ['ignore', 'pipe', 'pipe'] });
  umoci('init', '--layout', layout);
  umoci('new', '--image', `${layout}:bb`);
  umoci('unpack', '--image', `${layout}:bb`, bundle);
  busybox(join(bundle, 'rootfs'));
  // --refresh-bundle: the next repack diffs against this layer, not the empty image.
  umoci('repack', '--refresh-bundle', '--image', `${layout}:bb`, bundle);
  // A second layer that deletes a file umoci records as a whiteout.
  rmSync(join(bundle, 'rootfs/etc/group'));
  umoci('repack', '--image', `${layout}:bb`, bundle);
  umoci('config', '--image', `${layout}:bb`, '--config.entrypoint', '/bin/sh', '--config.entrypoint', '-c', '--config.cmd', 'echo from umoci $FROM in $(pwd)', '--config.env', 'FROM=umoci', '--config.workingdir', '/tmp');
  const cache = join(base, 'cache');
  const r = runTsvisor([], ['--image', `${layout}:bb`, '--image-cache', cache]);
  t.equal(r.stdout, 'from umoci umoci in /tmp\n', r.stderr);
  t.equal(r.code, 0);
  const g = runTsvisor(['test -e /etc/group || echo no group; cat /etc/passwd | head -1'], ['--image', `${layout}:bb`, '--image-cache', cache]);
  t.equal(g.stdout, 'no group\nroot:x:0:0:root:/root:/bin/sh\n', g.stderr);
  t.equal(cached(cache).length, 2, 'two layers, both cached');
  t.end();
});

t.test('--image: a layout made by skopeo', { skip: has('skopeo') ? false : 'skopeo is not installed (apt-get install skopeo)' }, (t) => {
  const base = tmp(t);
  const rootfs = join(base, 'rootfs');
  busybox(rootfs);
  // oci/image-archive.mjs writes an OCI archive; skopeo turns it into a layout.
  const archive = join(base, 'bb.tar');
  execFileSync(process.execPath, [join(ROOT, 'oci/image-archive.mjs'), rootfs, archive, 'busybox:1', 'echo', 'from', 'skopeo']);
  const layout = join(base, 'layout');
  execFileSync('skopeo', ['--insecure-policy', 'copy', '--quiet', '--dest-compress-format', 'gzip', '--dest-compress', `oci-archive:${archive}`, `oci:${layout}:bb`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const idx = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  t.equal(idx.manifests[0].annotations['org.opencontainers.image.ref.name'], 'bb');
  const r = runTsvisor([], ['--image', `${layout}:bb`, '--image-cache', join(base, 'cache')]);
  t.equal(r.stdout, 'from skopeo\n', r.stderr);
  t.equal(r.code, 0);
  t.end();
});
