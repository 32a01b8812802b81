/* signalfd: blocked signals read through the fd, its mask changed in place,
 * poll/epoll readiness, a forked child reading its own signals, errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SAY(...) (printf(__VA_ARGS__), fflush(stdout))

static const char *ename(int e) {
  const char *n = e ? strerrorname_np(e) : "0";
  return n ? n : "E?";
}

static void r(const char *what, long v) {
  if (v < 0) SAY("%s: -1 %s\n", what, ename(errno));
  else SAY("%s: %ld\n", what, v);
}

/* One read of the signalfd: the signal, its code and value, or the errno.
 * The code is shown for sigqueue only: a signal another sandboxed process
 * sent with kill/tgkill reads as SI_QUEUE through a signalfd
 * (docs/differences.md, Signals). */
static void rd_code(const char *what, int fd, int show_code) {
  struct signalfd_siginfo si;
  errno = 0;
  ssize_t n = read(fd, &si, sizeof si);
  if (n < 0) SAY("%s: -1 %s\n", what, ename(errno));
  else if (show_code) SAY("%s: %zd bytes, signo %s, code %d, int %d\n", what, n, sigabbrev_np(si.ssi_signo), si.ssi_code, si.ssi_int);
  else SAY("%s: %zd bytes, signo %s, int %d\n", what, n, sigabbrev_np(si.ssi_signo), si.ssi_int);
}
static void rd(const char *what, int fd) { rd_code(what, fd, 0); }

static int ready(int fd) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

int main(void) {
  sigset_t block, m;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigaddset(&block, SIGUSR2);
  sigaddset(&block, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &block, NULL);

  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  int sfd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
  SAY("signalfd ok: %d\n", sfd >= 0);
  SAY("F_GETFL: %o, F_GETFD: %d\n", fcntl(sfd, F_GETFL) & ~0100000, fcntl(sfd, F_GETFD));
  rd("read, nothing pending", sfd);
  SAY("ready with nothing pending: %d\n", ready(sfd));

  r("kill(self, SIGUSR1)", kill(getpid(), SIGUSR1));
  SAY("ready: %d\n", ready(sfd));
  rd("read", sfd);
  SAY("ready after the read: %d\n", ready(sfd));

  r("raise(SIGUSR1)", raise(SIGUSR1));
  rd("read raise", sfd);

  union sigval v = {.sival_int = 4242};
  r("sigqueue(self, SIGUSR1, 4242)", sigqueue(getpid(), SIGUSR1, v));
  rd_code("read sigqueue", sfd, 1);

  /* A signal outside the mask stays pending, unseen. */
  r("kill(self, SIGUSR2)", kill(getpid(), SIGUSR2));
  rd("read with SIGUSR2 pending", sfd);

  /* A new mask for the same fd. */
  sigaddset(&m, SIGUSR2);
  r("signalfd(sfd, USR1|USR2) returns sfd", signalfd(sfd, &m, 0) == sfd);
  rd("read after the mask grew", sfd);
  SAY("F_GETFL unchanged: %o\n", fcntl(sfd, F_GETFL) & ~0100000);

  /* Short buffers, bad arguments. */
  char small[16];
  r("kill(self, SIGUSR1)", kill(getpid(), SIGUSR1));
  errno = 0;
  r("read 16 bytes", read(sfd, small, sizeof small));
  rd("the signal is still there", sfd);
  r("sizemask 4", syscall(SYS_signalfd4, -1, &m, 4, 0));
  r("bad flags", syscall(SYS_signalfd4, -1, &m, 8, 1));
  r("fd -2", syscall(SYS_signalfd4, -2, &m, 8, 0));
  r("fd 999", syscall(SYS_signalfd4, 999, &m, 8, 0));
  r("fd of a pipe", ({
      int p[2];
      pipe(p);
      syscall(SYS_signalfd4, p[0], &m, 8, 0);
    }));
  r("bad mask pointer", syscall(SYS_signalfd4, -1, (void *)8, 8, 0));
  r("bad flags before bad pointer", syscall(SYS_signalfd4, -1, (void *)8, 8, 1));

  /* epoll. */
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 77}, out;
  r("epoll_ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev));
  r("epoll_wait, nothing", epoll_wait(ep, &out, 1, 0));
  r("kill(self, SIGUSR2)", kill(getpid(), SIGUSR2));
  int n = epoll_wait(ep, &out, 1, 1000);
  SAY("epoll_wait: %d, data %u\n", n, n == 1 ? out.data.u32 : 0);
  rd("read", sfd);

  /* A blocking signalfd: a child signals us while we wait in read. */
  int bfd = signalfd(-1, &m, SFD_CLOEXEC);
  pid_t me = getpid(), k = fork();
  if (k == 0) {
    usleep(100000);
    kill(me, SIGUSR2);
    _exit(0);
  }
  rd("blocking read", bfd);
  waitpid(k, NULL, 0);

  /* After fork the child reads its own signals through the inherited fd. */
  int go[2];
  pipe(go);
  pid_t c = fork();
  if (c == 0) {
    char b;
    read(go[0], &b, 1);
    rd("child read", sfd);
    rd("child read again", sfd);
    _exit(0);
  }
  r("kill(child, SIGUSR1)", kill(c, SIGUSR1));
  write(go[1], "x", 1);
  int st;
  waitpid(c, &st, 0);
  SAY("child exited: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  rd("parent read (nothing for the parent)", sfd);

  /* Real-time signals queue. */
  sigaddset(&m, SIGRTMIN);
  signalfd(sfd, &m, 0);
  for (int i = 1; i <= 3; i++) {
    v.sival_int = i;
    sigqueue(getpid(), SIGRTMIN, v);
  }
  for (int i = 0; i < 3; i++) {
    struct signalfd_siginfo si;
    if (read(sfd, &si, sizeof si) == sizeof si) SAY("rt %d: int %d\n", i, si.ssi_int);
  }
  rd("rt drained", sfd);
  r("close", close(sfd));
  return 0;
}
