// cflags: -O1
// ftruncate and fallocate on fds with no name in the sandbox: a memfd grows
// and shrinks, a pipe answers EINVAL (found by the syscall fuzzer: ftruncate
// of a memfd failed with EPERM in the strict policy only).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, int r) {
  printf("%s: %d %s\n", what, r, r < 0 ? strerror(errno) : "");
}

static long size_of(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 ? (long)st.st_size : -errno;
}

int main(void) {
  int m = memfd_create("sz", MFD_ALLOW_SEALING);
  printf("ftruncate 8192: %d\n", ftruncate(m, 8192));
  printf("size %ld\n", size_of(m));
  printf("ftruncate 10: %d\n", ftruncate(m, 10));
  printf("size %ld\n", size_of(m));
  show("ftruncate -1", ftruncate(m, -1));
  printf("seal shrink: %d\n", fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK));
  show("ftruncate 5", ftruncate(m, 5));
  printf("ftruncate 20: %d\n", ftruncate(m, 20));
  printf("size %ld\n", size_of(m));
  int p[2];
  pipe(p);
  show("pipe ftruncate", ftruncate(p[1], 0));
  int ro = open("/proc/self/fd/3", O_RDONLY);
  show("read-only reopen ftruncate", ftruncate(ro, 0));
  return 0;
}
