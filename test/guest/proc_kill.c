// cflags: -pthread
/* Sending signals: to a process group (kill(-pgid)), to our own group
 * (kill(0)), existence checks (kill(pid, 0) on live, zombie and reaped
 * processes), permission errors, tkill/tgkill to a thread, and sigqueue with
 * a value to an SA_SIGINFO handler. Signals that would kill the top-level
 * process are only ever sent inside children: the program under test is the
 * sandbox's init, natively it is not. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *res(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static void show(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: signaled %s\n", what, sigabbrev_np(WTERMSIG(st)));
}

static void xwrite(int fd, const void *b, size_t n) {
  if (write(fd, b, n) != (ssize_t)n) _exit(100);
}

static volatile sig_atomic_t got;

/* Waits up to two seconds for a flag a signal handler sets: a signal that
 * never comes shows up as a difference in the output, not as a hang. */
static int await_flag(volatile sig_atomic_t *flag) {
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  while (!*flag) {
    sched_yield();
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (t.tv_sec - t0.tv_sec > 2) return 0;
  }
  return 1;
}
static volatile int got_value;
static volatile pid_t got_pid, got_tid;
static void on_sig(int s, siginfo_t *si, void *uc) {
  (void)uc;
  got_value = si->si_value.sival_int;
  got_pid = si->si_pid;
  got_tid = gettid();
  got = s; /* last: the waiting thread reads the others once this is set */
}

static void handle(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sig;
  sa.sa_flags = SA_SIGINFO;
  sigaction(sig, &sa, NULL);
}

/* A process-group test runs in a child that leads its own group. */
static void group_kill(void) {
  int ready[2];
  if (pipe(ready)) _exit(1);
  setpgid(0, 0);
  pid_t kids[3];
  for (int i = 0; i < 3; i++) {
    kids[i] = fork();
    if (kids[i] == 0) {
      xwrite(ready[1], "r", 1);
      for (;;) pause();
    }
  }
  char b;
  for (int i = 0; i < 3; i++) (void)!read(ready[0], &b, 1);
  int same = 1;
  for (int i = 0; i < 3; i++) same &= getpgid(kids[i]) == getpgrp();
  printf("  members share the leader's group: %d\n", same);
  /* The leader protects itself from the group signal by ignoring it. */
  signal(SIGTERM, SIG_IGN);
  printf("  kill(-pgid, SIGTERM): %s\n", res(kill(-getpgrp(), SIGTERM)));
  int dead = 0;
  for (int i = 0; i < 3; i++) {
    int st;
    if (waitpid(kids[i], &st, 0) == kids[i] && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM) dead++;
  }
  printf("  members killed by SIGTERM: %d of 3\n", dead);
  printf("  kill(-pgid) on an empty group except us: %s\n", res(kill(-getpgrp(), 0)));
  fflush(stdout);
  _exit(0);
}

/* kill(0, sig): everyone in our group, including us. */
static void zero_kill(void) {
  int ready[2];
  if (pipe(ready)) _exit(1);
  setpgid(0, 0);
  handle(SIGUSR1);
  pid_t kids[2];
  for (int i = 0; i < 2; i++) {
    kids[i] = fork();
    if (kids[i] == 0) {
      signal(SIGUSR1, SIG_DFL);
      xwrite(ready[1], "r", 1);
      for (;;) pause();
    }
  }
  /* Another child in a different group must survive. */
  pid_t outsider = fork();
  if (outsider == 0) {
    setpgid(0, 0);
    signal(SIGUSR1, SIG_DFL);
    xwrite(ready[1], "r", 1);
    for (;;) pause();
  }
  char b;
  for (int i = 0; i < 3; i++) (void)!read(ready[0], &b, 1);
  got = 0;
  int r = kill(0, SIGUSR1);
  printf("  kill(0, SIGUSR1): %s, our handler ran: %d, sender is us: %d\n", res(r), got == SIGUSR1,
         got_pid == getpid());
  int dead = 0;
  for (int i = 0; i < 2; i++) {
    int st;
    if (waitpid(kids[i], &st, 0) == kids[i] && WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1) dead++;
  }
  printf("  group members killed: %d of 2\n", dead);
  int st;
  printf("  outsider alive: %d\n", waitpid(outsider, &st, WNOHANG) == 0 && kill(outsider, 0) == 0);
  kill(outsider, SIGKILL);
  waitpid(outsider, &st, 0);
  show("  outsider", st);
  fflush(stdout);
  _exit(0);
}

static pid_t worker_tid;
static int worker_pipe[2];
static void *worker(void *arg) {
  (void)arg;
  worker_tid = gettid();
  xwrite(worker_pipe[1], "r", 1);
  for (;;) pause();
  return NULL;
}

int main(void) {
  pid_t me = getpid();
  int st;

  printf("process group kill:\n");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) group_kill();
  waitpid(c, &st, 0);
  show("  leader", st);

  printf("kill(0, ...):\n");
  fflush(stdout);
  c = fork();
  if (c == 0) zero_kill();
  waitpid(c, &st, 0);
  show("  sender", st);

  /* Existence checks. */
  printf("kill(self, 0): %s\n", res(kill(me, 0)));
  int p[2];
  if (pipe(p)) return 1;
  fflush(stdout);
  c = fork();
  if (c == 0) {
    char b;
    close(p[1]);
    (void)!read(p[0], &b, 1);
    _exit(0);
  }
  close(p[0]);
  printf("kill(live child, 0): %s\n", res(kill(c, 0)));
  close(p[1]);
  siginfo_t si;
  waitid(P_PID, c, &si, WEXITED | WNOWAIT);
  printf("kill(zombie, 0): %s\n", res(kill(c, 0)));
  printf("kill(zombie, SIGKILL): %s\n", res(kill(c, SIGKILL)));
  waitpid(c, &st, 0);
  show("zombie after SIGKILL", st);
  printf("kill(reaped, 0): %s\n", res(kill(c, 0)));
  printf("kill(-reaped group, 0): %s\n", res(kill(-c, 0)));
  printf("kill(huge pid, 0): %s\n", res(kill(4000000, 0)));
  printf("kill(INT_MIN, 0): %s\n", res(kill(-2147483647 - 1, 0)));
  printf("kill(self, -1): %s\n", res(kill(me, -1)));
  printf("kill(self, 65): %s\n", res(kill(me, 65)));

  /* Permission: an unprivileged child may not signal a root process. */
  fflush(stdout);
  c = fork();
  if (c == 0) {
    if (setresuid(1000, 1000, 1000)) _exit(2);
    printf("unprivileged: kill(root parent, 0): %s\n", res(kill(getppid(), 0)));
    printf("unprivileged: kill(root parent, SIGUSR1): %s\n", res(kill(getppid(), SIGUSR1)));
    printf("unprivileged: kill(self, 0): %s\n", res(kill(getpid(), 0)));
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, &st, 0);
  show("unprivileged sender", st);

  /* tkill / tgkill to a thread; the handler runs in that thread. */
  handle(SIGUSR2);
  if (pipe(worker_pipe)) return 1;
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  char b;
  (void)!read(worker_pipe[0], &b, 1);
  got = 0;
  printf("tgkill(pid, tid, SIGUSR2): %s\n", res(syscall(SYS_tgkill, me, worker_tid, SIGUSR2)));
  if (!await_flag(&got)) printf("  (no signal)\n");
  printf("  handled in the target thread: %d\n", got_tid == worker_tid);
  got = 0;
  printf("tkill(tid, SIGUSR2): %s\n", res(syscall(SYS_tkill, worker_tid, SIGUSR2)));
  if (!await_flag(&got)) printf("  (no signal)\n");
  printf("  handled in the target thread: %d\n", got_tid == worker_tid);
  printf("tgkill(wrong tgid, tid): %s\n", res(syscall(SYS_tgkill, me + 1000000, worker_tid, SIGUSR2)));
  printf("tgkill(pid, 0): %s\n", res(syscall(SYS_tgkill, me, 0, SIGUSR2)));
  printf("tkill(-1): %s\n", res(syscall(SYS_tkill, -1, SIGUSR2)));
  printf("tgkill(pid, tid, 0): %s\n", res(syscall(SYS_tgkill, me, worker_tid, 0)));
  printf("tgkill(pid, main tid, 0): %s\n", res(syscall(SYS_tgkill, me, me, 0)));

  /* sigqueue with a value. */
  handle(SIGRTMIN + 2);
  got = 0;
  union sigval v = {.sival_int = 31337};
  printf("sigqueue(self): %s\n", res(sigqueue(me, SIGRTMIN + 2, v)));
  if (!await_flag(&got)) printf("  (no signal)\n");
  printf("  value %d, pid==self %d\n", got_value, got_pid == me);
  got = 0;
  v.sival_int = -5;
  printf("pthread_sigqueue(thread): %s\n", res(pthread_sigqueue(t, SIGRTMIN + 2, v)));
  if (!await_flag(&got)) printf("  (no signal)\n");
  printf("  value %d, in that thread %d\n", got_value, got_tid == worker_tid);

  /* sigqueue from a child to us. */
  fflush(stdout);
  got = 0;
  c = fork();
  if (c == 0) {
    union sigval cv = {.sival_int = 99};
    _exit(sigqueue(getppid(), SIGRTMIN + 2, cv) == 0 ? 0 : 1);
  }
  waitpid(c, &st, 0);
  if (!await_flag(&got)) printf("  (no signal)\n");
  printf("sigqueue from child: value %d, pid==child %d\n", got_value, got_pid == c);
  return 0;
}
