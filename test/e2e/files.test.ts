// The overlay root, end to end: what a guest does to the files of the lower
// layer (the host's /) shows inside the sandbox and never reaches the host.
// The host cannot be the oracle here, so each case states what Linux's
// overlayfs would show inside and checks the host is untouched afterwards.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { ISOLATIONS, runTsvisor } from '../lib/guest.js';

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A host directory's state: its entries and, for regular files, their modes and sizes. */
function snapshot(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const st = statSync(`${dir}/${name}`, { throwIfNoEntry: false });
      return st ? `${name} ${st.mode.toString(8)} ${st.isFile() ? st.size : '-'}` : `${name} ?`;
    })
    .join('\n');
}

function sh(script: string, iso: string) {
  return runTsvisor(['/bin/sh', '-c', script], ['--isolation', iso]);
}

for (const iso of ISOLATIONS) {
  t.test(`${iso}: appending to a lower-layer file copies it up; the host file is unchanged`, (t) => {
    const before = sha256('/etc/hostname');
    const hostText = readFileSync('/etc/hostname', 'latin1');
    const hostMode = (statSync('/etc/hostname').mode & 0o7777).toString(8);
    const r = sh(
      'stat -c "%a %s" /etc/hostname; echo appended-inside >> /etc/hostname; cat /etc/hostname; stat -c "%a %s" /etc/hostname',
      iso,
    );
    t.equal(r.code, 0, r.stderr);
    const size = Buffer.byteLength(hostText, 'latin1');
    t.equal(r.stdout, `${hostMode} ${size}\n${hostText}appended-inside\n${hostMode} ${size + 16}\n`);
    t.equal(sha256('/etc/hostname'), before, 'host /etc/hostname unchanged');
    t.end();
  });

  t.test(`${iso}: copy-up keeps the inode number; truncation copies up`, (t) => {
    const before = sha256('/etc/passwd');
    const r = sh(
      'a=$(stat -c %i /etc/passwd); truncate -s 4 /etc/passwd; b=$(stat -c %i /etc/passwd); ' +
        '[ "$a" = "$b" ] && echo same-inode; stat -c %s /etc/passwd; : > /etc/passwd; stat -c %s /etc/passwd',
      iso,
    );
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, 'same-inode\n4\n0\n');
    t.equal(sha256('/etc/passwd'), before, 'host /etc/passwd unchanged');
    t.end();
  });

  t.test(`${iso}: metadata changes copy up too and stay inside`, (t) => {
    const st = statSync('/etc/hostname');
    const r = sh('chmod 600 /etc/hostname && chown 123:456 /etc/hostname && stat -c "%a %u %g" /etc/hostname', iso);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, '600 123 456\n');
    const after = statSync('/etc/hostname');
    t.same([after.mode, after.uid, after.gid, after.mtimeMs], [st.mode, st.uid, st.gid, st.mtimeMs], 'host metadata unchanged');
    t.end();
  });

  t.test(`${iso}: deleting a lower file hides it inside only (whiteout)`, (t) => {
    const before = sha256('/etc/hostname');
    const r = sh(
      'rm /etc/hostname && { test -e /etc/hostname && echo still-there || echo gone; }; ls /etc | grep -cx hostname; ' +
        'cat /etc/hostname 2>/dev/null || echo cat-fails; echo recreated > /etc/hostname && cat /etc/hostname',
      iso,
    );
    t.equal(r.stdout, 'gone\n0\ncat-fails\nrecreated\n', r.stderr);
    t.ok(existsSync('/etc/hostname'), 'host file still exists');
    t.equal(sha256('/etc/hostname'), before, 'host file unchanged');
    t.end();
  });

  t.test(`${iso}: rm -rf of a lower tree hides it inside only; a new directory there is empty`, (t) => {
    const before = snapshot('/usr/share/doc');
    const r = sh(
      'rm -rf /usr/share/doc; echo "rm $?"; ls /usr/share/doc >/dev/null 2>&1; echo "ls $?"; ' +
        'ls /usr/share | grep -cx doc; mkdir /usr/share/doc && ls -A /usr/share/doc | wc -l',
      iso,
    );
    t.equal(r.stdout, 'rm 0\nls 2\n0\n0\n', r.stderr);
    t.equal(snapshot('/usr/share/doc'), before, 'host /usr/share/doc unchanged');
    t.end();
  });

  t.test(`${iso}: renaming a lower directory works inside; the host is untouched`, (t) => {
    const before = snapshot('/etc/apt');
    const listing = readdirSync('/etc/apt').sort().join('\n') + '\n';
    const r = sh(
      'mv /etc/apt /etc/apt-moved && { test -e /etc/apt && echo old-name-exists || echo old-name-gone; } && ' +
        'ls -A /etc/apt-moved | LC_ALL=C sort && echo --- && mv /etc/apt-moved /etc/apt && ls -A /etc/apt | LC_ALL=C sort',
      iso,
    );
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, `old-name-gone\n${listing}---\n${listing}`);
    t.notOk(existsSync('/etc/apt-moved'), 'no /etc/apt-moved on the host');
    t.equal(snapshot('/etc/apt'), before, 'host /etc/apt unchanged');
    t.end();
  });

  t.test(`${iso}: renaming a file over a lower file, and hard links to a lower file`, (t) => {
    const before = sha256('/etc/hostname');
    const r = sh(
      'echo replacement > /tmp/r && mv /tmp/r /etc/r && mv /etc/r /etc/hostname && cat /etc/hostname && ' +
        'ln /etc/hostname /etc/hostname-link && stat -c %h /etc/hostname /etc/hostname-link && ' +
        'echo more >> /etc/hostname-link && cat /etc/hostname',
      iso,
    );
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, 'replacement\n2\n2\nreplacement\nmore\n');
    t.equal(sha256('/etc/hostname'), before, 'host file unchanged');
    t.notOk(existsSync('/etc/hostname-link'), 'no link on the host');
    t.notOk(existsSync('/etc/r'), 'no /etc/r on the host');
    t.end();
  });

  t.test(`${iso}: a copied-up directory lists the merged view once`, (t) => {
    const etc = readdirSync('/etc').sort();
    const r = sh(
      'echo x >> /etc/hostname; touch /etc/tsvisor-new; rm /etc/hosts; ls -A /etc | LC_ALL=C sort; echo ---; ' +
        'rmdir /etc/apt 2>/dev/null || echo rmdir-refused; mv /etc/apt /etc/apt-old && mkdir /etc/apt && ls -A /etc/apt | wc -l',
      iso,
    );
    t.equal(r.code, 0, r.stderr);
    const want = etc.filter((n) => n !== 'hosts').concat('tsvisor-new').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    t.equal(r.stdout, `${want.join('\n')}\n---\nrmdir-refused\n0\n`);
    t.notOk(existsSync('/etc/tsvisor-new'), 'nothing new on the host');
    t.ok(existsSync('/etc/hosts'), 'host /etc/hosts still there');
    t.end();
  });

  t.test(`${iso}: /tmp inside is the sandbox's own, empty at start`, (t) => {
    const marker = `/tmp/tsvisor-e2e-host-${process.pid}-${iso}`;
    writeFileSync(marker, 'host');
    try {
      const inside = `/tmp/tsvisor-e2e-inside-${process.pid}-${iso}`;
      const r = sh(`ls -A /tmp | wc -l; test -e ${marker} && echo sees-host-file || echo no-host-file; echo x > ${inside} && cat ${inside}`, iso);
      t.equal(r.code, 0, r.stderr);
      t.equal(r.stdout, '0\nno-host-file\nx\n');
      t.notOk(existsSync(inside), 'the file made inside is not on the host');
    } finally {
      rmSync(marker, { force: true });
    }
    t.end();
  });

  t.test(`${iso}: each sandbox starts from the lower layer again`, (t) => {
    const first = sh('echo changed > /etc/hostname; rm -rf /usr/share/doc; cat /etc/hostname', iso);
    t.equal(first.stdout, 'changed\n', first.stderr);
    const second = sh('cat /etc/hostname; test -d /usr/share/doc && echo doc-present', iso);
    t.equal(second.stdout, readFileSync('/etc/hostname', 'latin1') + 'doc-present\n', second.stderr);
    t.end();
  });
}
