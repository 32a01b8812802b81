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
