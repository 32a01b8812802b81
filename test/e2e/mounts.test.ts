// Mounts through the real CLI: bind mounts (-v, --mount), --tmpfs with a
// size limit, --upper DIR, --layer, and mount/umount2 inside the sandbox.
// The host cannot be the oracle for what a guest sees inside, so each case
// states what Linux would show, and checks on the host that every change
// landed where it should and nowhere else.
import { spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync,
  statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI, ISOLATIONS, runTsvisor } from '../lib/guest.js';
import { treeHash } from '../lib/tree.js';

const isRoot = process.getuid?.() === 0;

function tmp(t: { teardown(fn: () => void): void }, prefix = 'tsvisor-mounts-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}


/** A small root filesystem: a static busybox with its applets, and some files to break. */
function busyboxRootfs(dir: string): void {
  for (const d of ['bin', 'etc', 'usr/share/doc/pkg', 'var/lib/data', 'home/user/.config', 'srv/deep/er/est']) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync('/usr/bin/busybox', join(dir, 'bin/busybox'));
  chmodSync(join(dir, 'bin/busybox'), 0o755);
  const applets = spawnSync('/usr/bin/busybox', ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const a of applets) if (a !== 'busybox') symlinkSync('busybox', join(dir, 'bin', a));
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\n');
  writeFileSync(join(dir, 'etc/hostname'), 'lower\n');
  writeFileSync(join(dir, 'etc/secret'), 'top secret\n', { mode: 0o600 });
  writeFileSync(join(dir, 'usr/share/doc/pkg/README'), 'docs\n'.repeat(100));
  writeFileSync(join(dir, 'var/lib/data/db'), Buffer.alloc(100000, 7));
  writeFileSync(join(dir, 'home/user/.config/rc'), 'set x\n');
  writeFileSync(join(dir, 'srv/deep/er/est/leaf'), 'leaf\n', { mode: 0o4755 });
  symlinkSync('../../etc/passwd', join(dir, 'var/lib/pw'));
  symlinkSync('/etc/hostname', join(dir, 'home/user/abs'));
  // A hard link pair.
  writeFileSync(join(dir, 'srv/h1'), 'hard\n');
  spawnSync('ln', [join(dir, 'srv/h1'), join(dir, 'srv/h2')]);
}

/** What a guest does all over a tree: delete, rename, chmod, chown, truncate, overwrite, link, touch. */
const VANDAL = `
cd "$1" || exit 1
for f in $(find etc usr var home srv -type f); do
  echo junk >> "$f"; truncate -s 1 "$f"; chmod 0777 "$f"; chown 123:456 "$f"; touch -d @1 "$f"; echo over > "$f"
done
for l in $(find etc usr var home srv -type l); do ln -sfn /nowhere "$l"; done
mv etc/passwd etc/passwd.moved
mv usr/share/doc usr/share/doc2 2>/dev/null || mv usr/share/doc usr/share/doc2
rm -rf var/lib/data srv/deep
ln srv/h1 srv/h3
mkdir -p new/dir && echo fresh > new/dir/file
chmod -R 700 home
chmod 0 etc
touch -d @2 . usr usr/share
rm -f bin/ls bin/cat
echo done
`;

t.test('the lower layer is never touched: a sandbox breaking everything in its rootfs (both isolations)', (t) => {
  const root = tmp(t);
  busyboxRootfs(root);
  const before = treeHash(root);
  for (const iso of ISOLATIONS) {
    const r = runTsvisor(['/bin/sh', '-c', VANDAL, 'sh', '/'], ['--rootfs', root, '--isolation', iso]);
    t.equal(r.code, 0, `${iso}: ${r.stderr}`);
    t.match(r.stdout, /done\n$/);
    t.equal(treeHash(root), before, `${iso}: every file of the rootfs hashes the same afterwards`);
  }
  // And the sandbox did see its own changes.
  const r = runTsvisor(['/bin/sh', '-c', `${VANDAL}\nbusybox cat /srv/h1 /srv/h3 /etc/hostname; busybox ls /var/lib /etc/passwd 2>&1`, 'sh', '/'], ['--rootfs', root]);
  t.equal(r.stdout, 'done\nover\nover\nover\nls: /etc/passwd: No such file or directory\n/var/lib:\npw\n', r.stderr);
  t.end();
});

t.test('a read-only bind: EROFS for every change, and the host tree hashes the same', (t) => {
  const root = tmp(t);
  busyboxRootfs(root);
  const before = treeHash(root);
  const errnos = `
import errno, os
def tr(name, f):
    try:
        f(); print(name, 'ok')
    except OSError as e:
        print(name, errno.errorcode[e.errno])
d = '/ro'
tr('create', lambda: open(d + '/newfile', 'w'))
tr('write', lambda: open(d + '/etc/hostname', 'w'))
tr('append', lambda: open(d + '/etc/hostname', 'a'))
tr('unlink', lambda: os.unlink(d + '/etc/passwd'))
tr('rmdir', lambda: os.rmdir(d + '/usr/share/doc/pkg'))
tr('mkdir', lambda: os.mkdir(d + '/x'))
tr('rename', lambda: os.rename(d + '/etc/passwd', d + '/etc/p2'))
tr('chmod', lambda: os.chmod(d + '/etc/passwd', 0o777))
tr('chown', lambda: os.chown(d + '/etc/passwd', 1, 1))
tr('utime', lambda: os.utime(d + '/etc/passwd', (1, 1)))
tr('truncate', lambda: os.truncate(d + '/etc/passwd', 0))
tr('symlink', lambda: os.symlink('/', d + '/l'))
tr('link', lambda: os.link(d + '/etc/passwd', d + '/l2'))
tr('mkfifo', lambda: os.mkfifo(d + '/f'))
tr('setxattr', lambda: os.setxattr(d + '/etc/passwd', 'user.x', b'1'))
print(open(d + '/etc/hostname').read(), end='')
`;
  for (const iso of ISOLATIONS) {
    const r = runTsvisor(['python3', '-c', errnos], ['-v', `${root}:/ro:ro`, '--isolation', iso]);
    t.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    t.equal(lines.pop(), 'lower', 'reads work');
    t.same(lines, lines.map((l) => `${l.split(' ')[0]} EROFS`), `${iso}: every change is EROFS`);
    t.equal(lines.length, 15);
    // The same tree, vandalised through the bind by a shell: nothing changes on the host.
    const v = runTsvisor(['/bin/sh', '-c', VANDAL, 'sh', '/ro'], ['--mount', `type=bind,src=${root},dst=/ro,ro`, '--isolation', iso]);
    t.match(v.stderr, /Read-only file system/);
    t.equal(treeHash(root), before, `${iso}: the read-only bind's host tree hashes the same`);
  }
  t.end();
});

t.test('a read-write bind: writes appear on the host in that directory and nowhere else', (t) => {
  for (const iso of ISOLATIONS) {
    const base = tmp(t);
    const bound = join(base, 'bound');
    mkdirSync(join(bound, 'sub'), { recursive: true });
    writeFileSync(join(bound, 'a.txt'), 'A\n');
    writeFileSync(join(bound, 'sub/b.txt'), 'B\n');
    writeFileSync(join(base, 'sibling.txt'), 'sibling\n');
    const sibling = statSync(join(base, 'sibling.txt'));
    const target = `/tsvisor-bind-test-${process.pid}`;
    const script = `
cd ${target} || exit 1
echo new > new.txt && mkdir -p d1/d2 && echo deep > d1/d2/f && mv a.txt renamed.txt && ln -s renamed.txt link &&
ln renamed.txt hard && chmod 600 renamed.txt && rm sub/b.txt && rmdir sub && mkfifo fifo && truncate -s 3 new.txt &&
touch -d @1000000000 d1 && stat -c '%a %s %h' renamed.txt && cat new.txt && echo`;
    const r = runTsvisor(['/bin/sh', '-c', script], ['-v', `${bound}:${target}`, '--isolation', iso]);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, '600 2 2\nnew\n');
    t.same(readdirSync(bound).sort(), ['d1', 'fifo', 'hard', 'link', 'new.txt', 'renamed.txt'], `${iso}: the host directory has the guest's changes`);
    t.equal(readFileSync(join(bound, 'new.txt'), 'latin1'), 'new');
    t.equal(readFileSync(join(bound, 'd1/d2/f'), 'latin1'), 'deep\n');
    t.equal(statSync(join(bound, 'renamed.txt')).mode & 0o777, 0o600);
    t.equal(readlinkSync(join(bound, 'link')), 'renamed.txt');
    t.equal(statSync(join(bound, 'hard')).ino, statSync(join(bound, 'renamed.txt')).ino);
    t.ok(lstatSync(join(bound, 'fifo')).isFIFO());
    t.equal(statSync(join(bound, 'd1')).mtimeMs, 1000000000 * 1000);
    t.same(readdirSync(base).sort(), ['bound', 'sibling.txt'], 'nothing next to it');
    const s = statSync(join(base, 'sibling.txt'));
    t.same([s.mtimeMs, s.size, readFileSync(join(base, 'sibling.txt'), 'latin1')], [sibling.mtimeMs, 8, 'sibling\n']);
    t.notOk(existsSync(target), 'the mount point was made inside the sandbox, not on the host');
  }
  t.end();
});

t.test('a bind of a file: writes reach that host file; the name cannot be moved or removed', (t) => {
  const base = tmp(t);
  writeFileSync(join(base, 'conf'), 'one\n');
  writeFileSync(join(base, 'other'), 'other\n');
  const r = runTsvisor(
    ['/bin/sh', '-c', 'cat /etc/app.conf && echo two >> /etc/app.conf && mv /etc/app.conf /etc/x 2>&1 | grep -c busy; rm /etc/app.conf 2>&1 | grep -c busy; cat /etc/app.conf; ls /etc/app.conf/.. 2>&1 | grep -c "Not a directory"'],
    ['-v', `${join(base, 'conf')}:/etc/app.conf`],
  );
  t.equal(r.stdout, 'one\n1\n1\none\ntwo\n1\n', r.stderr);
  t.equal(readFileSync(join(base, 'conf'), 'latin1'), 'one\ntwo\n');
  t.equal(readFileSync(join(base, 'other'), 'latin1'), 'other\n', 'its directory is not reachable');
  const ro = runTsvisor(['/bin/sh', '-c', 'echo x >> /cfg'], ['-v', `${join(base, 'conf')}:/cfg:ro`]);
  t.match(ro.stderr, /Read-only file system/);
  t.equal(readFileSync(join(base, 'conf'), 'latin1'), 'one\ntwo\n');
  t.end();
});

t.test('.. and symlinks inside a bind never leave it', (t) => {
  const base = tmp(t);
  const bound = join(base, 'bound');
  mkdirSync(bound);
  writeFileSync(join(base, 'sibling.txt'), 'sibling\n');
  symlinkSync('/', join(bound, 'rootlink'));
  symlinkSync('../sibling.txt', join(bound, 'up'));
  symlinkSync(join(base, 'sibling.txt'), join(bound, 'abs'));
  symlinkSync('../../../../../../../../../..', join(bound, 'deepup'));
  const marker = `tsvisor-marker-${process.pid}`;
  const script = `
echo inside > /${marker}
cat /data/rootlink/${marker}
readlink /data/rootlink
cat /data/up 2>/dev/null || echo up-missing
cat /data/deepup/${marker}
cd /data/.. && pwd && ls -d ${marker}
cd /data/rootlink && pwd -P
echo through > /data/rootlink/tmp/through && cat /tmp/through
{ echo written > /data/abs; } 2>/dev/null || echo abs-dangling-inside
ls /data/deepup/proc/self/ >/dev/null && echo proc-inside
`;
  for (const iso of ISOLATIONS) {
    const r = runTsvisor(['/bin/sh', '-c', script], ['-v', `${bound}:/data`, '--isolation', iso]);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, `inside\n/\nup-missing\ninside\n/\n${marker}\n/\nthrough\nabs-dangling-inside\nproc-inside\n`, `${iso}: symlinks resolve in the sandbox's tree`);
    t.notOk(existsSync(`/${marker}`), 'the host root has no marker');
    t.notOk(existsSync('/tmp/through'), 'nor the host /tmp');
    t.equal(readFileSync(join(base, 'sibling.txt'), 'latin1'), 'sibling\n', 'the host file an absolute symlink names is untouched');
    t.same(readdirSync(bound).sort(), ['abs', 'deepup', 'rootlink', 'up']);
  }
  // With a rootfs of its own, the host's / is not even there to read: "/" inside is the rootfs.
  const root = tmp(t);
  busyboxRootfs(root);
  const r = runTsvisor(['/bin/sh', '-c', `cat /data/rootlink/etc/hostname; cat /data/abs 2>&1 >/dev/null | grep -c 'No such file'`], ['--rootfs', root, '-v', `${bound}:/data:ro`]);
  t.equal(r.stdout, 'lower\n1\n');
  t.end();
});

t.test('--tmpfs: mode, size limit (ENOSPC), statfs', (t) => {
  for (const iso of ISOLATIONS) {
    const r = runTsvisor(
      ['/bin/sh', '-c', `stat -c %a /scratch; df -k /scratch | tail -1 | awk '{print $2}'
dd if=/dev/zero of=/scratch/f bs=64k count=32 2>&1 | grep -o 'No space left on device'
stat -c %s /scratch/f
rm /scratch/f && dd if=/dev/zero of=/scratch/g bs=64k count=8 2>/dev/null && stat -c %s /scratch/g
fallocate -l 2m /scratch/h 2>&1 | grep -o 'No space left on device'
truncate -s 100m /scratch/sparse && stat -c %s /scratch/sparse`],
      ['--tmpfs', '/scratch:size=1m,mode=700', '--isolation', iso],
    );
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, '700\n1024\nNo space left on device\n1048576\n524288\nNo space left on device\n104857600\n', `${iso}: as on a Linux tmpfs of 1 MiB`);
  }
  const m = runTsvisor(['/bin/sh', '-c', 'grep " /scratch " /proc/mounts'], ['--mount', 'type=tmpfs,dst=/scratch,tmpfs-size=2m,tmpfs-mode=1770']);
  t.equal(m.stdout, 'tmpfs /scratch tmpfs rw,nosuid,nodev,relatime,size=2048k,mode=1770 0 0\n');
  t.end();
});

t.test('--upper DIR: the job\'s writes land in DIR as an OCI layer diff; the lower layer is untouched', (t) => {
  const root = tmp(t);
  busyboxRootfs(root);
  const before = treeHash(root);
  const up = tmp(t, 'tsvisor-upper-');
  const r = runTsvisor(
    ['/bin/sh', '-c', `echo a > /etc/new && rm /etc/passwd && echo more >> /etc/group && chmod 4700 /etc/hostname && chown 5:6 /etc/hostname &&
rm -r /usr/share/doc && mkdir /usr/share/doc && echo fresh > /usr/share/doc/only && mv /var/lib/data /var/lib/moved && ls -a /etc /usr/share/doc | grep -c '^\\.wh\\.'`],
    ['--rootfs', root, '--upper', up],
  );
  t.equal(r.stdout, '0\n', `${r.stderr}: DIR's own names are never shown`);
  t.equal(treeHash(root), before, 'the rootfs hashes the same');
  t.equal(readFileSync(join(up, 'etc/new'), 'latin1'), 'a\n');
  t.ok(existsSync(join(up, 'etc/.wh.passwd')), 'a deleted lower file is a .wh. whiteout');
  t.equal(readFileSync(join(up, 'etc/group'), 'latin1'), 'root:x:0:\nmore\n', 'copied up, then appended');
  t.ok(existsSync(join(up, 'usr/share/doc/.wh..wh..opq')), 'a directory made where the lower one was removed is opaque');
  t.equal(statSync(join(up, 'etc/hostname')).mode & 0o7000, 0, 'no set-id bit on the host');
  t.ok(existsSync(join(up, 'var/lib/moved/db')) && existsSync(join(up, 'var/lib/.wh.data')), 'a merged directory moves by copy (EXDEV to mv)');
  // A second run over the same DIR sees the first one's changes.
  const again = runTsvisor(
    ['/bin/sh', '-c', 'cat /etc/new; test -e /etc/passwd || echo passwd-gone; stat -c "%a %u %g" /etc/hostname; ls /usr/share/doc; ls /var/lib'],
    ['--rootfs', root, '--upper', up],
  );
  t.equal(again.stdout, 'a\npasswd-gone\n700 5 6\nonly\nmoved\npw\n');
  t.equal(treeHash(root), before);
  t.end();
});

t.test('--upper DIR is hidden from the other trees: no other name reaches its contents', (t) => {
  const root = tmp(t);
  busyboxRootfs(root);
  mkdirSync(join(root, 'scratch/up'), { recursive: true });
  const r = runTsvisor(
    ['/bin/sh', '-c', 'echo x > /etc/mine; ls -a /scratch; cat /scratch/up/etc/mine 2>/dev/null || echo hidden; ls /bound/scratch'],
    ['--rootfs', root, '--upper', join(root, 'scratch/up'), '-v', `${root}:/bound:ro`],
  );
  t.equal(r.stdout, '.\n..\nhidden\n', r.stderr);
  t.equal(readFileSync(join(root, 'scratch/up/etc/mine'), 'latin1'), 'x\n');
  const bad = runTsvisor(['true'], ['--rootfs', join(root, 'scratch/up'), '--upper', root]);
  t.equal(bad.code, 125, 'a rootfs inside the upper directory is refused');
  t.match(bad.stderr, /upper/);
  t.end();
});

t.test('--layer: image layers merged with whiteouts and opaque directories', (t) => {
  const base = tmp(t);
  const l1 = join(base, 'l1');
  const l2 = join(base, 'l2');
  const l3 = join(base, 'l3');
  busyboxRootfs(l1);
  const file = (l: string, p: string, c = p) => {
    mkdirSync(join(l, p, '..'), { recursive: true });
    writeFileSync(join(l, p), c);
  };
  for (const p of ['a/one', 'a/two', 'b/x', 'c', 'd/deep/f', 'e/keep']) file(l1, p, `l1:${p}`);
  file(l2, 'a/.wh.one', '');
  file(l2, 'a/three', 'l2:a/three');
  file(l2, '.wh.b', '');
  file(l2, 'c/in', 'l2:c/in');
  file(l2, 'd/.wh..wh..opq', '');
  file(l2, 'd/new', 'l2:d/new');
  file(l3, 'a/one', 'l3:a/one');
  file(l3, '.wh.e', '');
  file(l3, 'b/y', 'l3:b/y');
  const before = [l1, l2, l3].map(treeHash);
  const r = runTsvisor(
    ['/bin/sh', '-c', 'find /a /b /c /d /e 2>&1 | sort; cat /a/one; echo; ls -a /a /d | grep -c wh; rm /a/three; echo n > /d/new2; ls /a /d'],
    ['--layer', l1, '--layer', l2, '--layer', l3],
  );
  t.equal(
    r.stdout,
    '/a\n/a/one\n/a/three\n/a/two\n/b\n/b/y\n/c\n/c/in\n/d\n/d/new\nfind: /e: No such file or directory\nl3:a/one\n0\n/a:\none\ntwo\n\n/d:\nnew\nnew2\n',
    r.stderr,
  );
  t.same([l1, l2, l3].map(treeHash), before, 'no layer changed');
  const both = runTsvisor(['true'], ['--rootfs', l1, '--layer', l2]);
  t.equal(both.code, 125);
  t.match(both.stderr, /--layer/);
  t.end();
});

t.test('mount and umount inside the sandbox', (t) => {
  const script = `
mkdir -p /mnt/t /a /b /mnt/p
mount -t tmpfs -o size=1m,mode=700 scratch /mnt/t && stat -c %a /mnt/t && grep ' /mnt/t ' /proc/mounts
dd if=/dev/zero of=/mnt/t/f bs=64k count=32 2>&1 | grep -o 'No space left on device'
cd /mnt/t && { umount /mnt/t 2>/dev/null || echo busy-cwd; }
cd / && exec 3</mnt/t/f && { umount /mnt/t 2>/dev/null || echo busy-open; }
exec 3<&- && umount /mnt/t && echo umounted && grep -c ' /mnt/t ' /proc/mounts
echo hi > /a/f && mount --bind /a /b && cat /b/f
mount -o remount,bind,ro /b && { echo x > /b/g; } 2>&1 | grep -o 'Read-only file system'
echo ok > /a/g && cat /b/g
mount -t tmpfs none /b/x 2>/dev/null || echo no-mountpoint
mkdir /a/sub && mount -t tmpfs none /a/sub && { umount /a 2>/dev/null || echo busy-submount; }
mount --rbind /a /mnt/p && grep -c ' /mnt/p' /proc/mounts
umount /a/sub /mnt/p/sub /mnt/p /b && echo unbound
mount -t proc proc /mnt/p && test -e /mnt/p/self/status && echo proc && umount /mnt/p
mount -t sysfs sys /mnt/p 2>&1 | grep -o 'permission denied'
mkdir /mnt/lazy && mount -t tmpfs none /mnt/lazy && cd /mnt/lazy && umount -l /mnt/lazy && echo still > f && cat f && cd /
mkdir /mnt/r && mount --rbind / /mnt/r && ls /mnt/r/mnt/r | wc -l && test -e /mnt/r/proc/self/status && umount -l /mnt/r && echo rbind-root
`;
  for (const iso of ISOLATIONS) {
    const r = runTsvisor(['/bin/sh', '-c', script], ['--isolation', iso]);
    t.equal(
      r.stdout,
      '700\nscratch /mnt/t tmpfs rw,relatime,size=1024k,mode=700 0 0\nNo space left on device\nbusy-cwd\nbusy-open\numounted\n0\nhi\n' +
        'Read-only file system\nok\nno-mountpoint\nbusy-submount\n2\nunbound\nproc\npermission denied\nstill\n0\nrbind-root\n',
      `${iso}: ${r.stderr}`,
    );
  }
  const user = runTsvisor(['/bin/sh', '-c', 'mount -t tmpfs none /tmp 2>&1 | grep -c "must be superuser\\|permission denied"; umount /proc 2>&1 | grep -c "must be superuser\\|not permitted\\|permission denied"'], ['--user', '1000']);
  t.equal(user.stdout, '1\n1\n', 'not root inside: EPERM');
  t.end();
});

t.test('bad mount flags: one line naming the flag, exit 125', (t) => {
  const cases: [string[], RegExp][] = [
    [['--mount', 'type=nfs,src=/tmp,dst=/x'], /^ › {3}Error: --mount: type=nfs/],
    [['--mount', 'type=bind,src=/tmp'], /--mount: missing the path inside/],
    [['--mount', 'type=bind,src=/tmp,dst=/x,bogus=1'], /--mount: unknown option "bogus"/],
    [['-v', '/tmp'], /--volume: expected HOST:GUEST/],
    [['-v', '/tmp:relative'], /--volume: relative: .*absolute/],
    [['-v', '/tmp:/x:rx'], /--volume: unknown option "rx"/],
    [['-v', '/nonexistent-tsvisor:/x'], /--volume: \/nonexistent-tsvisor: no such file/],
    [['--tmpfs', '/x:size=lots'], /--tmpfs: size=lots/],
    [['--tmpfs', '/x:mode=999'], /--tmpfs: mode=999/],
    [['--tmpfs', 'x'], /--tmpfs: x: .*absolute/],
    [['--upper', '/nonexistent-tsvisor'], /--upper/],
    [['--layer', '/nonexistent-tsvisor'], /--layer/],
    [['-v', '/tmp:/'], /--volume: mount target \/: cannot mount over \//],
    [['--tmpfs', '/proc/tsvisor-x'], /--tmpfs: cannot create the mount point \/proc\/tsvisor-x: Read-only file system/],
    [['-v', '/etc/hostname:/etc'], /--volume: mount target \/etc: a directory \(the source is a file\)/],
  ];
  for (const [flags, msg] of cases) {
    const r = runTsvisor(['true'], flags);
    t.equal(r.code, 125, flags.join(' '));
    t.match(r.stderr, msg, flags.join(' '));
    t.equal(r.stderr.trim().split('\n').length, 1, `${flags.join(' ')}: one line`);
  }
  t.end();
});

t.test('unprivileged host user: binds, --upper and --tmpfs', { skip: !isRoot && 'needs root to switch to uid 65534' }, (t) => {
  const user = ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all'];
  const probe = spawnSync('setpriv', [...user, 'test', '-r', CLI], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    t.fail(`setpriv and a checkout readable by uid 65534 are needed: ${probe.error?.message ?? probe.status}`);
    t.end();
    return;
  }
  const base = tmp(t);
  chmodSync(base, 0o755);
  const bound = join(base, 'bound');
  const up = join(base, 'up');
  mkdirSync(bound);
  mkdirSync(up);
  writeFileSync(join(bound, 'f'), 'f\n');
  chownSync(bound, 65534, 65534);
  chownSync(join(bound, 'f'), 65534, 65534);
  chownSync(up, 65534, 65534);
  const run = (flags: string[], script: string) =>
    spawnSync('setpriv', [...user, process.execPath, CLI, 'run', ...flags, '--', '/bin/sh', '-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/' } });
  const a = run(['-v', `${bound}:/data`], 'echo w > /data/new && chown 5:5 /data/new 2>&1 | grep -o "Operation not permitted"; stat -c "%u" /data/new');
  t.equal(a.stdout, 'Operation not permitted\n65534\n', `${a.stderr}: a non-root host user cannot chown: EPERM, as Linux for an unprivileged owner`);
  t.equal(statSync(join(bound, 'new')).uid, 65534);
  // Linux lets the open that creates a file write it whatever its mode (git writes its objects so, 0444).
  const ro = run(['-v', `${bound}:/data`], `python3 -c "import os; fd = os.open('/data/ro', os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o444); os.write(fd, b'x'); os.close(fd)" && stat -c '%a %s' /data/ro`);
  t.equal(ro.stdout, '444 1\n', ro.stderr);
  t.equal(statSync(join(bound, 'ro')).mode & 0o777, 0o444, 'and the host file gets its mode');
  const git = run(
    ['-u', '65534:65534', '-v', `${bound}:/data`, '-w', '/data', '-e', 'HOME=/data'],
    'git init -q . && git config user.email a@b && git config user.name n && git add f && git commit -qm init && git log --oneline | wc -l',
  );
  t.equal(git.stdout, '1\n', `git in a bind: ${git.stderr}`);
  const b = run(['--upper', up], 'echo x > /etc/tsvisor-up && chown 5:6 /etc/tsvisor-up && chmod 4711 /etc/tsvisor-up && stat -c "%u %g %a" /etc/tsvisor-up && rm /etc/hostname && echo ok');
  t.equal(b.stdout, '5 6 4711\nok\n', b.stderr);
  const hs = statSync(join(up, 'etc/tsvisor-up'));
  t.same([hs.uid, hs.mode & 0o7777], [65534, 0o711], 'the host file is the host user\'s, without set-id bits');
  t.ok(existsSync(join(up, 'etc/.wh.hostname')));
  t.ok(existsSync('/etc/hostname'), 'the host / is untouched');
  const again = run(['--upper', up], 'stat -c "%u %g %a" /etc/tsvisor-up');
  t.equal(again.stdout, '5 6 4711\n', 'owners and modes kept across runs');
  const c = run(['--tmpfs', '/scratch:size=1m'], 'dd if=/dev/zero of=/scratch/f bs=64k count=32 2>&1 | grep -o "No space left on device"; stat -c %s /scratch/f');
  t.equal(c.stdout, 'No space left on device\n1048576\n', 'the limit holds for native writes without root too');
  t.end();
});
