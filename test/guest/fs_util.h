/* Helpers shared by the fs_*.c differential programs. Each program works in
 * a fresh directory /tmp/fs_test_<name> (natively the host's /tmp, under
 * tsvisor the sandbox's own tmpfs) and prints only deterministic facts:
 * results, errno names, sizes, modes, link counts and equalities. */
#ifndef FS_UTIL_H
#define FS_UTIL_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static __attribute__((unused)) char fs_dir[256];

static __attribute__((unused)) const char *ename(int e) {
  const char *n = e ? strerrorname_np(e) : "0";
  return n ? n : "E?";
}

/* Prints "what: N" for a non-negative result, "what: -1 ENAME" otherwise. */
static __attribute__((unused)) long report(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, ename(errno));
  else printf("%s: %ld\n", what, r);
  fflush(stdout);
  return r;
}

/* Like report, but hides the (nondeterministic) value of a success. */
static __attribute__((unused)) long report_ok(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, ename(errno));
  else printf("%s: ok\n", what);
  fflush(stdout);
  return r;
}

#define R(what, expr) (errno = 0, report((what), (long)(expr)))
#define OK(what, expr) (errno = 0, report_ok((what), (long)(expr)))
#define SAY(...) (printf(__VA_ARGS__), fflush(stdout))

static __attribute__((unused)) int rm_one(const char *p, const struct stat *sb, int type, struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  /* Never chmod here: on a symlink it would change its target (natively, a
   * host directory such as /tmp). Root needs no permission to unlink. */
  if (type == FTW_DP) rmdir(p);
  else unlink(p);
  return 0;
}

static __attribute__((unused)) void rm_rf(const char *p) {
  nftw(p, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

/* Creates /tmp/fs_test_<name> afresh and makes it the working directory. */
static __attribute__((unused)) void fs_setup(const char *name) {
  snprintf(fs_dir, sizeof fs_dir, "/tmp/fs_test_%s", name);
  rm_rf(fs_dir);
  umask(022);
  if (mkdir(fs_dir, 0755) != 0 || chdir(fs_dir) != 0) {
    printf("setup failed: %s\n", ename(errno));
    exit(99);
  }
}

/* fs_dir + "/" + rel, in one of a few rotating buffers. */
static __attribute__((unused)) const char *fs_dir_join(const char *rel) {
  static char bufs[4][512];
  static int next;
  char *b = bufs[next++ % 4];
  snprintf(b, 512, "%s/%s", fs_dir, rel);
  return b;
}

static __attribute__((unused)) void fs_cleanup(void) {
  if (chdir("/") != 0) return;
  rm_rf(fs_dir);
}

/* Writes a whole string to a new file (mode 0644). */
static __attribute__((unused)) void put(const char *path, const char *s) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s)) SAY("put %s failed: %s\n", path, ename(errno));
  if (fd >= 0) close(fd);
}

/* Reads up to n-1 bytes at the current offset into buf, NUL-terminated; prints it. */
static __attribute__((unused)) void show_read(const char *what, int fd, size_t n) {
  char buf[256];
  if (n > sizeof buf - 1) n = sizeof buf - 1;
  errno = 0;
  ssize_t r = read(fd, buf, n);
  if (r < 0) {
    printf("%s: -1 %s\n", what, ename(errno));
  } else {
    buf[r] = 0;
    printf("%s: %zd \"%s\"\n", what, r, buf);
  }
  fflush(stdout);
}

/* Whole content of a file as "N \"text\"". */
static __attribute__((unused)) void show_file(const char *what, const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("%s: open -1 %s\n", what, ename(errno));
    fflush(stdout);
    return;
  }
  show_read(what, fd, 255);
  close(fd);
}

#endif
