// VFS features the host cannot be the oracle for (they would touch host
// files natively, or depend on what only the sandbox offers): each case
// states what Linux would show and, where the lower layer is involved,
// checks that the host is untouched.
import { existsSync } from 'node:fs';
import t from 'tap';
import { compileSource, ISOLATIONS, runTsvisor } from '../lib/guest.js';

const TMPFILE_LOWER = `
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
  /* /etc is a lower-layer directory: the file is made in the upper layer. */
  int fd = open("/etc", O_TMPFILE | O_RDWR, 0600);
  if (fd < 0) { perror("open"); return 1; }
  struct stat st;
  fstat(fd, &st);
  printf("nlink %lu\\n", (unsigned long)st.st_nlink);
  if (write(fd, "tmp", 3) != 3) return 2;
  if (linkat(fd, "", AT_FDCWD, "/etc/tsvisor-tmpfile-test", AT_EMPTY_PATH) < 0) { perror("linkat"); return 3; }
  fstat(fd, &st);
  printf("nlink %lu\\n", (unsigned long)st.st_nlink);
  char buf[8] = {0};
  int r = open("/etc/tsvisor-tmpfile-test", O_RDONLY);
  printf("read %zd %s\\n", read(r, buf, sizeof buf - 1), buf);
  return 0;
}
`;

for (const iso of ISOLATIONS) {
  t.test(`${iso}: O_TMPFILE in a lower-layer directory, named with linkat; the host is untouched`, (t) => {
    const bin = compileSource('e2e_tmpfile_lower', TMPFILE_LOWER);
    const r = runTsvisor([bin], ['--isolation', iso]);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, 'nlink 0\nnlink 1\nread 3 tmp\n');
    t.notOk(existsSync('/etc/tsvisor-tmpfile-test'), 'no such file on the host');
    t.end();
  });
}

const MAPS_UPPER = `
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
/* The maps line of PATH: does it name PATH with stat's device and inode? */
static void check(const char *what, const char *path, const char *name) {
  static char buf[1 << 16];
  int fd = open("/proc/self/maps", O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  struct stat st;
  stat(path, &st);
  for (char *l = strtok(buf, "\\n"); l; l = strtok(NULL, "\\n")) {
    unsigned ma, mi;
    unsigned long ino;
    int col = 0;
    if (sscanf(l, "%*x-%*x %*s %*x %x:%x %lu %n", &ma, &mi, &ino, &col) < 3 || strcmp(l + col, name)) continue;
    printf("%s: named, dev %d, ino %d\\n", what, makedev(ma, mi) == st.st_dev, ino == st.st_ino);
    return;
  }
  printf("%s: not found\\n", what);
}
int main(int argc, char **argv) {
  /* A file made in a lower-layer directory lives in the upper layer (a memfd on the host). */
  int fd = open("/etc/tsvisor-maps-test", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (write(fd, "0123456789", 10) != 10) return 1;
  void *m = mmap(NULL, 10, PROT_READ, MAP_SHARED, fd, 0);
  check("upper file", "/etc/tsvisor-maps-test", "/etc/tsvisor-maps-test");
  check("program", argv[0], argv[0]);
  munmap(m, 10);
  close(fd);
  unlink("/etc/tsvisor-maps-test");
  return 0;
}
`;

for (const iso of ISOLATIONS) {
  t.test(`${iso}: /proc/self/maps names upper-layer files by their sandbox path, with the sandbox's device and inode`, (t) => {
    const bin = compileSource('e2e_maps_upper', MAPS_UPPER);
    // The program itself runs from a copy in the upper layer.
    const r = runTsvisor(['/bin/sh', '-c', `cp ${bin} /usr/local/bin/maps-test && /usr/local/bin/maps-test`], ['--isolation', iso]);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, 'upper file: named, dev 1, ino 1\nprogram: named, dev 1, ino 1\n');
    t.notOk(existsSync('/usr/local/bin/maps-test'), 'the host is untouched');
    t.end();
  });

  t.test(`${iso}: /proc/PID/cgroup is the root of one cgroup v2 hierarchy`, (t) => {
    const r = runTsvisor(['/bin/cat', '/proc/self/cgroup'], ['--isolation', iso]);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, '0::/\n');
    t.end();
  });
}

t.test('strict: writes to /proc files are checked as Linux checks them (the sentry sees each write)', (t) => {
  const r = runTsvisor(
    ['/bin/sh', '-c', 'for v in 2000 x -1000 " 12 "; do echo "$v" > /proc/self/oom_score_adj && echo ok || echo fail; done; cat /proc/self/oom_score_adj'],
    ['--isolation', 'strict'],
  );
  t.equal(r.code, 0, r.stderr);
  // Root inside has CAP_SYS_RESOURCE: -1000 is allowed.
  t.equal(r.stdout, 'fail\nfail\nok\nok\n12\n');
  t.end();
});

t.test('/sys/fs/cgroup: a cgroup2 mount whose limits are those the host puts on the sandbox', async (t) => {
  const { hostLimits } = await import('../../src/fs/sys/sysfs.js');
  const l = hostLimits();
  const max = (v: number) => (v === Infinity ? 'max' : String(v));
  const r = runTsvisor(['/bin/sh', '-c', 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max; grep -c " /sys/fs/cgroup .* - cgroup2 " /proc/self/mountinfo; echo 1 > /sys/fs/cgroup/pids.max || echo refused']);
  t.equal(r.stdout, `${max(l.memoryMax)}\n${max(l.pidsMax)}\n${max(l.cpuQuota)} ${l.cpuPeriod}\n1\nrefused\n`, r.stderr);
  t.end();
});

const INOTIFY_E2E = `
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>
static int ifd;
static void drain(const char *what) {
  char buf[4096] __attribute__((aligned(8)));
  printf("%s:", what);
  ssize_t n;
  while ((n = read(ifd, buf, sizeof buf)) > 0)
    for (char *p = buf; p < buf + n;) {
      struct inotify_event *e = (struct inotify_event *)p;
      printf(" %x%s%s", e->mask, e->len ? ":" : "", e->len ? e->name : "");
      p += sizeof *e + e->len;
    }
  printf("\\n");
}
int main(int argc, char **argv) {
  ifd = inotify_init1(IN_NONBLOCK);
  /* A lower-layer directory: its changes live in the upper layer. */
  inotify_add_watch(ifd, "/etc", IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_ACCESS | IN_MODIFY);
  int fd = open("/etc/tsvisor-inotify-test", O_RDWR | O_CREAT, 0644);
  write(fd, "abc", 3);
  pread(fd, (char[4]){0}, 3, 0);
  close(fd);
  unlink("/etc/tsvisor-inotify-test");
  drain("lower dir");
  errno = 0;
  ssize_t w = write(ifd, "x", 1);
  printf("write to the inotify fd: %zd %s\\n", w, w < 0 ? strerrorname_np(errno) : "ok");
  return 0;
}
`;

t.test('inotify on a lower-layer directory; strict sees each read and write, balanced the write at close', (t) => {
  const bin = compileSource('e2e_inotify', INOTIFY_E2E);
  const strict = runTsvisor([bin], ['--isolation', 'strict']);
  t.equal(strict.code, 0, strict.stderr);
  // IN_CREATE, IN_MODIFY (write), IN_ACCESS (pread), IN_CLOSE_WRITE, IN_DELETE; writing the fd is EBADF.
  t.equal(strict.stdout, 'lower dir: 100:tsvisor-inotify-test 2:tsvisor-inotify-test 1:tsvisor-inotify-test 8:tsvisor-inotify-test 200:tsvisor-inotify-test\nwrite to the inotify fd: -1 EBADF\n');
  const balanced = runTsvisor([bin], ['--isolation', 'balanced']);
  t.equal(balanced.code, 0, balanced.stderr);
  // The native pread is not seen; the native write is reported at the close (docs/differences.md).
  t.match(balanced.stdout, /^lower dir: 100:tsvisor-inotify-test 2:tsvisor-inotify-test 8:tsvisor-inotify-test 200:tsvisor-inotify-test\n/);
  t.notOk(existsSync('/etc/tsvisor-inotify-test'), 'the host is untouched');
  t.end();
});
