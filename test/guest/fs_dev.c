/* /dev/null, /dev/zero, /dev/full, /dev/urandom, /dev/random, /dev/std*, /dev/fd. */
#include "fs_util.h"
#include <sys/mman.h>
#include <sys/sysmacros.h>

static void dev(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    SAY("%s: stat -1 %s\n", path, ename(errno));
    return;
  }
  SAY("%s: chr %d major %u minor %u perm %o\n", path, S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev),
      (unsigned)(st.st_mode & 07777));
}

int main(void) {
  fs_setup("dev");
  char buf[256];
  dev("/dev/null");
  dev("/dev/zero");
  dev("/dev/full");
  dev("/dev/random");
  dev("/dev/urandom");

  int fd = R("open /dev/null rdwr", open("/dev/null", O_RDWR));
  R("read /dev/null", read(fd, buf, sizeof buf));
  R("write /dev/null", write(fd, "discard me", 10));
  R("pwrite /dev/null", pwrite(fd, "x", 1, 100));
  R("lseek /dev/null", lseek(fd, 123, SEEK_SET));
  R("read /dev/null again", read(fd, buf, sizeof buf));
  R("ftruncate /dev/null", ftruncate(fd, 0));
  close(fd);
  R("truncate /dev/null path", truncate("/dev/null", 0));
  fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  SAY("open /dev/null O_CREAT|O_TRUNC: %s\n", fd >= 0 ? "ok" : ename(errno));
  close(fd);

  fd = R("open /dev/zero", open("/dev/zero", O_RDONLY));
  memset(buf, 0x55, sizeof buf);
  R("read /dev/zero", read(fd, buf, sizeof buf));
  int allzero = 1;
  for (size_t i = 0; i < sizeof buf; i++)
    if (buf[i]) allzero = 0;
  SAY("all zero: %d\n", allzero);
  void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  SAY("mmap /dev/zero: %s, zero: %d\n", m == MAP_FAILED ? ename(errno) : "ok", m != MAP_FAILED && ((char *)m)[4096] == 0);
  close(fd);
  fd = open("/dev/zero", O_WRONLY);
  R("write /dev/zero", write(fd, "x", 1));
  close(fd);

  fd = R("open /dev/full", open("/dev/full", O_RDWR));
  R("write /dev/full", write(fd, "x", 1));
  R("write /dev/full 0 bytes", write(fd, "x", 0));
  R("read /dev/full", read(fd, buf, 16));
  SAY("reads zeros: %d\n", buf[0] == 0 && buf[15] == 0);
  close(fd);

  fd = R("open /dev/urandom", open("/dev/urandom", O_RDONLY));
  unsigned char r1[64], r2[64];
  R("read 64 bytes", read(fd, r1, sizeof r1));
  R("read 64 more", read(fd, r2, sizeof r2));
  int nonzero = 0;
  for (size_t i = 0; i < sizeof r1; i++)
    if (r1[i]) nonzero = 1;
  SAY("not all zero: %d, differ: %d\n", nonzero, memcmp(r1, r2, sizeof r1) != 0);
  close(fd);
  fd = R("open /dev/random nonblocking", open("/dev/random", O_RDONLY | O_NONBLOCK));
  R("read /dev/random", read(fd, r1, 16));
  close(fd);

  /* /dev/fd and /dev/std* lead to the descriptors themselves. */
  struct stat a, b;
  put("f", "via dev fd");
  fd = open("f", O_RDONLY);
  char p[64];
  snprintf(p, sizeof p, "/dev/fd/%d", fd);
  R("stat /dev/fd/N", stat(p, &a));
  fstat(fd, &b);
  SAY("same file: %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
  show_file("read /dev/fd/N", p);
  lstat("/dev/fd", &a);
  SAY("/dev/fd is a symlink: %d\n", S_ISLNK(a.st_mode));
  close(fd);
  R("stat /dev/fd/N after close", stat(p, &a));
  int out = R("open /dev/stdout", open("/dev/stdout", O_WRONLY));
  dprintf(out, "written to /dev/stdout\n");
  close(out);
  fstat(1, &a);
  stat("/dev/stdout", &b);
  SAY("/dev/stdout is fd 1: %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
  stat("/dev/stdin", &b);
  fstat(0, &a);
  SAY("/dev/stdin is fd 0: %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);

  fs_cleanup();
  return 0;
}
