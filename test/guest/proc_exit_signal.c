// cflags: -O1
// Exit signals chosen by a child's creator reach only that creator (found by
// the syscall fuzzer: a worker's clone(CLONE_PARENT | SIGKILL) killed the
// sandbox's init when the sibling exited). Linux: a CLONE_PARENT sibling
// inherits its creator's exit signal, and an orphan adopted by a subreaper
// (or init) signals it with SIGCHLD.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, usr2, chld;

static void on_sig(int sig) {
  if (sig == SIGUSR1) usr1++;
  if (sig == SIGUSR2) usr2++;
  if (sig == SIGCHLD) chld++;
}

static void settle(void) {
  struct timespec ts = {0, 100 * 1000 * 1000};
  nanosleep(&ts, NULL);
}

// Reaps every child (any exit signal) and prints their exit codes in order.
static void reap_all(const char *what) {
  int codes[8], n = 0, st;
  while (n < 8 && waitpid(-1, &st, __WALL) > 0) codes[n++] = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (codes[j] < codes[i]) {
        int t = codes[i];
        codes[i] = codes[j];
        codes[j] = t;
      }
  printf("%s: exits", what);
  for (int i = 0; i < n; i++) printf(" %d", codes[i]);
  printf("\n");
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigaction(SIGCHLD, &sa, NULL);
  setvbuf(stdout, NULL, _IONBF, 0);

  // 1. A sibling made with CLONE_PARENT | SIGUSR1 signals us with SIGCHLD
  //    (its creator's exit signal), and is an ordinary (non-__WCLONE) child.
  pid_t m = fork();
  if (m == 0) {
    long g = syscall(SYS_clone, CLONE_PARENT | SIGUSR1, 0, 0, 0, 0);
    if (g == 0) _exit(7);
    _exit(g > 0 ? 0 : 1);
  }
  settle();
  int st, codes = 0;
  for (int i = 0; i < 2; i++)
    if (waitpid(-1, &st, 0) > 0 && WIFEXITED(st)) codes += WEXITSTATUS(st);
  printf("clone-parent: two ordinary children, exit codes sum %d\n", codes);
  reap_all("clone-parent: others");
  settle();
  printf("clone-parent: SIGUSR1 %d, SIGCHLD %s\n", (int)usr1, chld > 0 ? "yes" : "no");

  // 2. An orphan made with exit signal SIGUSR2 signals its adoptive parent
  //    (us, a subreaper) with SIGCHLD.
  usr1 = usr2 = chld = 0;
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  m = fork();
  if (m == 0) {
    long g = syscall(SYS_clone, SIGUSR2, 0, 0, 0, 0);
    if (g == 0) {
      settle();
      _exit(9);
    }
    _exit(0);
  }
  settle();
  settle();
  reap_all("orphan");
  settle();
  printf("orphan: SIGUSR2 %d, SIGCHLD %s\n", (int)usr2, chld > 0 ? "yes" : "no");
  return 0;
}
