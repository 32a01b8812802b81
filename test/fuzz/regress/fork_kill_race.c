// cflags: -O1
// Found by the syscall fuzzer: a process SIGKILLed while inside fork(). The
// kernel may drop the parent's PTRACE_EVENT_FORK stop (a fatal signal is
// pending) after the child exists, or the tracer's PTRACE_GETEVENTMSG may
// fail because the parent died just after the stop. The child then waited
// forever for an event that never came, unknown to the sentry, and the
// sandbox never finished; or the sentry learnt of a child with host tid 0
// and later sent kill(0, SIGKILL) to its own process group.
//
// Here: forkers fork in a loop, and we kill them at varying moments, many
// times. Expected: "done" and exit 0, promptly, with tsvisor alive.
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void forker(void) {
  for (;;) {
    pid_t c = fork();
    if (c == 0) _exit(0);
    if (c > 0) waitpid(c, NULL, 0);
  }
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 2000;
  for (int i = 0; i < rounds; i++) {
    pid_t f = fork();
    if (f == 0) forker();
    struct timespec ts = {0, (long)(i % 37) * 50 * 1000};  // 0 to 1.8 ms
    nanosleep(&ts, NULL);
    kill(f, SIGKILL);
    int st;
    while (waitpid(-1, &st, 0) > 0) {
    }
  }
  printf("done\n");
  return 0;
}
