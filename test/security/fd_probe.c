// cflags: -O1 -static
// No host fd of the sentry, Node or the terminal is present in a guest, and
// the platform's reserved fds (the loader, O_PATH, and the exec slots at the
// top of the host table) are invisible, cannot be closed, dup'ed over or read.
//
// The guest opens a few fds of its own, then lists /proc/self/fd, and probes
// every fd number up to past the host's RLIMIT_NOFILE with calls that run
// natively in the balanced policy (read, write, lseek, mmap, poll, epoll_ctl,
// fsync) and trapped ones (fstat, fcntl F_GETFD): any number that answers and
// is not one of its own is a leaked host fd.
#include "escape.h"

#include <dirent.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define MAXFD 70000
static unsigned char mine[MAXFD];

/** Whether fd `n` answers any call: 1 when the host or the sentry knows it. */
static int answers(int n, char *how, size_t cap) {
  char b[1];
  struct stat st;
  errno = 0;
  if (lseek(n, 0, SEEK_CUR) >= 0 || errno != EBADF) return snprintf(how, cap, "lseek: %s", strerrorname_np(errno)), 1;
  if (read(n, b, 0) >= 0 || errno != EBADF) return snprintf(how, cap, "read: %s", strerrorname_np(errno)), 1;
  if (write(n, b, 0) >= 0 || errno != EBADF) return snprintf(how, cap, "write: %s", strerrorname_np(errno)), 1;
  if (fsync(n) >= 0 || errno != EBADF) return snprintf(how, cap, "fsync: %s", strerrorname_np(errno)), 1;
  if (fstat(n, &st) >= 0 || errno != EBADF) return snprintf(how, cap, "fstat: %s", strerrorname_np(errno)), 1;
  if (fcntl(n, F_GETFD) >= 0 || errno != EBADF) return snprintf(how, cap, "F_GETFD: %s", strerrorname_np(errno)), 1;
  return 0;
}

/** The slower probes, for the numbers near the top only. */
static int answers_more(int n, int ep, char *how, size_t cap) {
  void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, n, 0);
  if (m != MAP_FAILED || errno != EBADF) return snprintf(how, cap, "mmap: %s", m != MAP_FAILED ? "mapped" : strerrorname_np(errno)), 1;
  struct pollfd p = {n, POLLIN | POLLOUT, 0};
  if (poll(&p, 1, 0) != 1 || !(p.revents & POLLNVAL)) return snprintf(how, cap, "poll: revents %x", p.revents), 1;
  struct epoll_event ev = {EPOLLIN, {0}};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, n, &ev) == 0 || errno != EBADF) return snprintf(how, cap, "epoll_ctl: %s", strerrorname_np(errno)), 1;
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", n);
  int r = open(path, O_RDONLY);
  if (r >= 0 || errno != ENOENT) return snprintf(how, cap, "open /proc/self/fd/%d: %s", n, r >= 0 ? "opened" : strerrorname_np(errno)), 1;
  return 0;
}

int main(void) {
  // Some fds of its own, of several kinds.
  int p[2];
  pipe(p);
  int own[] = {p[0], p[1], open("/etc/passwd", O_RDONLY), open("/", O_RDONLY | O_DIRECTORY), open("/tmp", O_PATH),
               epoll_create1(0), dup2(0, 200), fcntl(1, F_DUPFD, 1000)};
  for (unsigned i = 0; i < sizeof own / sizeof *own; i++)
    if (own[i] >= 0) mine[own[i]] = 1;
  mine[0] = mine[1] = mine[2] = 1;
  int ep = own[5];

  // /proc/self/fd lists exactly those.
  DIR *d = opendir("/proc/self/fd");
  int listed = 0, strangers = 0, dirfd_ = dirfd(d);
  struct dirent *e;
  char who[64] = "";
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    int n = atoi(e->d_name);
    listed++;
    if (n != dirfd_ && (n >= MAXFD || !mine[n])) strangers++, snprintf(who, sizeof who, "%d", n);
  }
  closedir(d);
  report(strangers > 0, "/proc/self/fd lists only the guest's fds", "%d listed, %d strangers%s%s", listed, strangers, *who ? ", e.g. " : "", who);

  // Every number up to past the host's limit.
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  int answered = 0, first = -1;
  char how[128] = "";
  for (int n = 0; n < MAXFD; n++) {
    if (mine[n]) continue;
    char h[128];
    if (answers(n, h, sizeof h)) {
      if (first < 0) first = n, snprintf(how, sizeof how, "%s", h);
      answered++;
    }
  }
  report(answered > 0, "probe 0..70000 with lseek/read/write/fsync/fstat/F_GETFD", "%d foreign fds answer%s%s", answered, first >= 0 ? ", first " : "", first >= 0 ? how : "");
  answered = 0, first = -1;
  long top = (long)rl.rlim_max;
  for (long n = top - 16; n < top + 16; n++) {
    char h[128];
    if (n >= 0 && n < MAXFD && !mine[n] && answers_more((int)n, ep, h, sizeof h)) {
      if (first < 0) first = (int)n, snprintf(how, sizeof how, "fd %ld %s", n, h);
      answered++;
    }
  }
  report(answered > 0, "the reserved range: mmap, poll, epoll_ctl, /proc/self/fd/N", "%d answer%s%s", answered, first >= 0 ? ": " : "", first >= 0 ? how : "");

  // The reserved fds cannot be closed, replaced or duplicated onto.
  int closed = 0, duped = 0;
  for (long n = top - 4; n < top + 8; n++) {
    if (close((int)n) == 0) closed++;
    if (dup2(0, (int)n) >= 0) duped++;
    if (syscall(SYS_dup3, 0, (int)n, 0) >= 0) duped++;
    if (fcntl(0, F_DUPFD, (int)n) >= 0) duped++;
  }
  report(closed > 0, "close() on the reserved range", "%d closed", closed);
  report(duped > 0, "dup2/dup3/F_DUPFD onto the reserved range", "%d duplicated", duped);
  must_fail("close_range over the reserved range, then exec", ({
              pid_t c = fork();
              if (c == 0) {
                syscall(SYS_close_range, 3, ~0U, 0);
                char *argv[] = {(char *)"true", NULL};
                execv("/bin/true", argv);
                _exit(99);
              }
              int st;
              waitpid(c, &st, 0);
              errno = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? EBADF : 0;
              WIFEXITED(st) && WEXITSTATUS(st) == 0 ? -1 : 0;
            }), EBADF);
  must_fail("close_range(top-4, ~0, CLOSE_RANGE_CLOEXEC), then exec", ({
              pid_t c = fork();
              if (c == 0) {
                syscall(SYS_close_range, (unsigned)(top - 4), ~0U, 4);
                char *argv[] = {(char *)"true", NULL};
                execv("/bin/true", argv);
                _exit(99);
              }
              int st;
              waitpid(c, &st, 0);
              errno = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? EBADF : 0;
              WIFEXITED(st) && WEXITSTATUS(st) == 0 ? -1 : 0;
            }), EBADF);
  // RLIMIT_NOFILE ends below them; raising it (root may) opens no way in.
  report(0, "RLIMIT_NOFILE hard limit", "%ld", top);
  rl.rlim_cur = rl.rlim_max = top + 4096;
  int raised = setrlimit(RLIMIT_NOFILE, &rl) == 0;
  duped = 0;
  for (long n = top; n < top + 8; n++) {
    if (dup2(0, (int)n) >= 0) duped++;
    int r = fcntl(0, F_DUPFD, (int)n);
    if (r >= 0) duped++;
  }
  int below = fcntl(0, F_DUPFD, (int)top - 1);  // the last one below: allowed
  int past = fcntl(0, F_DUPFD, (int)top - 1);   // the next would be reserved: EMFILE
  report(duped > 0 || below != top - 1 || past >= 0, "dup2/F_DUPFD onto the reserved range after raising RLIMIT_NOFILE",
         "%s, %d duplicated; F_DUPFD(%ld) = %d, then %d", raised ? "raised" : "not raised", duped, top - 1, below, past);
  return finish();
}
