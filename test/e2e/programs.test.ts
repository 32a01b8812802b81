// Real programs inside the sandbox, in both isolation modes: archive round
// trips, copies, a walk of the whole root, git, sqlite with two writers, a
// Python venv. Each checks its own result; the host is not touched (/tmp is
// the sandbox's).
import t from 'tap';
import { ISOLATIONS, runTsvisor } from '../lib/guest.js';

const sh = (script: string, iso: string) => runTsvisor(['sh', '-c', script], ['--isolation', iso], { timeoutMs: 120000 });

for (const iso of ISOLATIONS) {
  t.test(`${iso}: tar round trip keeps hard links and symlinks`, (t) => {
    const r = sh(
      'set -e; cd /tmp; mkdir -p src/a/b; echo hi > src/a/f; ln src/a/f src/a/hard; ln -s f src/a/sym; ' +
        'tar cf t.tar src; mkdir dst; cd dst; tar xf ../t.tar; ' +
        'stat -c "%h %F" src/a/f src/a/hard src/a/sym; [ "$(stat -c %i src/a/f)" = "$(stat -c %i src/a/hard)" ] && echo same-inode; cat src/a/sym; readlink src/a/sym',
      iso,
    );
    t.equal(r.stdout, '2 regular file\n2 regular file\n1 symbolic link\nsame-inode\nhi\nf\n', r.stderr);
    t.equal(r.code, 0);
    t.end();
  });

  t.test(`${iso}: cp -a of a lower-layer tree keeps modes and links`, (t) => {
    const r = sh('set -e; cp -a /etc/apt /tmp/apt; cd /etc/apt && find . | sort | md5sum > /tmp/a; cd /tmp/apt && find . | sort | md5sum > /tmp/b; cmp /tmp/a /tmp/b && echo same-tree; stat -c %a /etc/apt /tmp/apt | uniq | wc -l', iso);
    t.equal(r.stdout, 'same-tree\n1\n', r.stderr);
    t.end();
  });

  t.test(`${iso}: find / -xdev walks the root without errors`, (t) => {
    const r = sh('find / -xdev -name "*.conf" > /tmp/l 2>/tmp/e; echo $?; test -s /tmp/l && echo found; wc -c < /tmp/e', iso);
    t.equal(r.stdout, '0\nfound\n0\n', r.stderr);
    t.end();
  });

  t.test(`${iso}: git init, add, commit, log`, (t) => {
    const r = sh(
      'set -e; cd /tmp; git init -q r; cd r; git config user.email a@b.c; git config user.name n; ' +
        'echo one > f; git add f; git commit -qm first; echo two >> f; git commit -qam second; git log --format=%s; git status --porcelain | wc -l',
      iso,
    );
    t.equal(r.stdout, 'second\nfirst\n0\n', r.stderr);
    t.end();
  });

  t.test(`${iso}: sqlite written by two processes with locking`, (t) => {
    const r = runTsvisor(
      [
        'python3',
        '-c',
        [
          'import sqlite3, multiprocessing',
          'def w(i):',
          '    c = sqlite3.connect("/tmp/db.sqlite", timeout=30)',
          '    for k in range(50):',
          '        c.execute("insert into t values (?)", (i * 1000 + k,)); c.commit()',
          'c = sqlite3.connect("/tmp/db.sqlite"); c.execute("create table t (x int)"); c.commit()',
          'ps = [multiprocessing.Process(target=w, args=(i,)) for i in range(2)]',
          '[p.start() for p in ps]; [p.join() for p in ps]',
          'print(c.execute("select count(*) from t").fetchone()[0], [p.exitcode for p in ps])',
        ].join('\n'),
      ],
      ['--isolation', iso],
      { timeoutMs: 120000 },
    );
    t.equal(r.stdout, '100 [0, 0]\n', r.stderr);
    t.end();
  });

  t.test(`${iso}: python -m venv and the venv's interpreter`, (t) => {
    const r = sh('python3 -m venv /tmp/v && /tmp/v/bin/python -c "import sys; print(sys.prefix)"', iso);
    t.equal(r.stdout, '/tmp/v\n', r.stderr);
    t.end();
  });
}
