// Shared by the escape programs (test/security/*.c): each attempt prints
// "ok - NAME: how it failed" or "ESCAPE - NAME: what happened"; the program
// ends with "done N attempts, M escapes" and exits 0 only without escapes.
// test/security/escape.test.ts runs them under tsvisor in both isolation
// modes with a rootfs of their own, and checks the host side too (the secret
// file outside the rootfs, a host process, the lower layer).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int attempts, escapes;

// These programs attack their host (kill(-1, SIGKILL), fork bombs, writes to
// /etc...): they run only as the init of a sandbox (pid 1), never on a host,
// where a mistaken run would kill every process the user may signal.
__attribute__((constructor)) static void sandbox_only(void) {
  if (getpid() != 1) {
    static const char msg[] = "refusing to run: not pid 1 of a sandbox (these programs attack their host)\n";
    write(2, msg, sizeof msg - 1);
    _exit(2);
  }
}

static void report(int escaped, const char *name, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  attempts++;
  if (escaped) escapes++;
  printf("%s - %s: %s\n", escaped ? "ESCAPE" : "ok", name, msg);
  fflush(stdout);
}

/** A call that must fail: r == -1 (any errno, or one of `want` when non-zero). */
static void must_fail(const char *name, long r, int want) {
  int e = errno;
  if (r != -1) report(1, name, "returned %ld", r);
  else if (want && e != want) report(1, name, "failed with %s, expected %s", strerrorname_np(e), strerrorname_np(want));
  else report(0, name, "%s", strerrorname_np(e));
}

/** The environment the harness passes (SECRET_PATH, HOST_PID, ...). */
static const char *env(const char *name) {
  const char *v = getenv(name);
  if (!v) {
    fprintf(stderr, "missing %s\n", name);
    exit(2);
  }
  return v;
}

/** Whether `buf` holds the host secret's marker. */
static int is_secret(const char *buf, size_t n) { return memmem(buf, n, "HOST-SECRET", 11) != NULL; }

/** Tries to read `path` (from dirfd): fails, or reads something that is not the host's secret. */
static void try_read(const char *name, int dirfd, const char *path, int flags) {
  int fd = openat(dirfd, path, O_RDONLY | flags);
  if (fd < 0) {
    report(0, name, "open: %s", strerrorname_np(errno));
    return;
  }
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  if (n > 0 && is_secret(buf, (size_t)n)) report(1, name, "read the host secret through %s", path);
  else report(0, name, "opened a file of the sandbox's own (%zd bytes)", n);
}

static int finish(void) {
  printf("done %d attempts, %d escapes\n", attempts, escapes);
  return escapes ? 1 : 0;
}
