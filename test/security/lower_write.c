// cflags: -O1 -static -pthread
// Writing to the lower layer: every way to change a file or directory of the
// rootfs. Inside, changes land in the sandbox's upper layer (or fail); the
// harness checks the rootfs on the host is byte-for-byte unchanged. Writes
// through fds opened read-only on the lower file, natively in the balanced
// policy (write, pwrite, fallocate, ftruncate, mmap, sendfile, splice,
// copy_file_range) must fail.
#include "escape.h"

#include <pthread.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/xattr.h>

static void fails_on(const char *name, int fd, long r) {
  (void)fd;
  must_fail(name, r, 0);
}

static void *writer(void *arg) {
  (void)arg;
  for (int i = 0; i < 200; i++) {
    int fd = open("/data/lower.txt", O_RDWR | O_APPEND);
    if (fd >= 0) write(fd, "T", 1), close(fd);
    truncate("/data/lower.txt", i % 7);
    rename("/data/lower.txt", "/data/lower2.txt");
    rename("/data/lower2.txt", "/data/lower.txt");
  }
  return NULL;
}

int main(void) {
  char b[64];
  // Read-only descriptions of the lower file: the host's own fd, natively in balanced.
  int ro = open("/data/lower.txt", O_RDONLY);
  fails_on("write on an O_RDONLY lower fd", ro, write(ro, "X", 1));
  fails_on("pwrite on an O_RDONLY lower fd", ro, pwrite(ro, "X", 1, 0));
  fails_on("ftruncate on an O_RDONLY lower fd", ro, ftruncate(ro, 0));
  fails_on("fallocate on an O_RDONLY lower fd", ro, fallocate(ro, 0, 0, 4096));
  fails_on("fallocate PUNCH_HOLE on an O_RDONLY lower fd", ro, fallocate(ro, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096));
  void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
  must_fail("mmap MAP_SHARED|PROT_WRITE of an O_RDONLY lower fd", m == MAP_FAILED ? -1 : 0, 0);
  m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
  must_fail("mprotect(PROT_WRITE) of a read-only shared mapping", m == MAP_FAILED ? 0 : mprotect(m, 4096, PROT_READ | PROT_WRITE), 0);
  int zero = open("/dev/zero", O_RDONLY);
  off_t off = 0;
  fails_on("sendfile into an O_RDONLY lower fd", ro, sendfile(ro, zero, NULL, 16));
  int p[2];
  pipe(p);
  write(p[1], "XXXX", 4);
  fails_on("splice into an O_RDONLY lower fd", ro, splice(p[0], NULL, ro, &off, 4, 0));
  fails_on("copy_file_range into an O_RDONLY lower fd", ro, copy_file_range(zero, NULL, ro, &off, 16, 0));
  int op = open("/data/lower.txt", O_PATH);
  fails_on("write on an O_PATH fd", op, write(op, "X", 1));
  fcntl(ro, F_SETFL, O_RDWR | O_APPEND);
  fails_on("write after F_SETFL O_RDWR", ro, write(ro, "X", 1));
  must_fail("fchmod through O_PATH", fchmod(op, 0777), 0);

  // Through the sentry: these change the sandbox's view only.
  int rw = open("/data/lower.txt", O_RDWR);
  write(rw, "UPPER", 5);
  fallocate(rw, 0, 0, 1 << 16);
  ftruncate(rw, 3);
  m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
  if (m != MAP_FAILED) memcpy(m, "MMAP", 3), msync(m, 4096, MS_SYNC);
  snprintf(b, sizeof b, "/proc/self/fd/%d", ro);
  int re = open(b, O_RDWR);
  if (re >= 0) write(re, "REOPEN", 6);
  int tr = open("/data/readonly.txt", O_RDWR | O_TRUNC);
  if (tr >= 0) write(tr, "TRUNC", 5);
  chmod("/data/readonly.txt", 0777);
  chown("/data/readonly.txt", 1234, 1234);
  utimensat(AT_FDCWD, "/data/readonly.txt", NULL, 0);
  setxattr("/data/readonly.txt", "user.x", "y", 1, 0);
  rename("/data/readonly.txt", "/data/moved.txt");
  unlink("/data/moved.txt");
  link("/data/lower.txt", "/data/hard");
  symlink("/etc/passwd", "/data/sym");
  mkdir("/data/newdir", 0755);
  rmdir("/data");
  unlink("/bin/busybox");
  rename("/etc", "/etc2");
  int ap = open("/etc2/passwd", O_WRONLY | O_APPEND);
  if (ap >= 0) write(ap, "evil::0:0::/:/bin/sh\n", 21);
  pthread_t th[4];
  for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, writer, NULL);
  for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
  // The sandbox sees its own changes.
  int chk = open("/etc2/passwd", O_RDONLY);
  ssize_t n = chk >= 0 ? read(chk, b, sizeof b - 1) : -1;
  report(n <= 0, "the sandbox sees its own changes", "%s", n > 0 ? "yes (the host is checked outside)" : "no");
  return finish();
}
