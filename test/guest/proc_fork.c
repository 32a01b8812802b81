/* fork: parent/child relations, getpid/getppid consistency across
 * generations, and exit status propagation (exit codes and deaths by signal).
 * Never prints an absolute pid: only relations between pids. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

struct report {
  pid_t pid, ppid;
};

static void xwrite(int fd, const void *b, size_t n) {
  if (write(fd, b, n) != (ssize_t)n) _exit(100);
}

static void xread(int fd, void *b, size_t n) {
  if (read(fd, b, n) != (ssize_t)n) {
    printf("short read\n");
    exit(1);
  }
}

static void show_status(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
  else
    printf("%s: other 0x%x\n", what, st);
}

/* A child that exits with `code`; returns the wait status. */
static int exit_code_of(int code) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) _exit(code);
  int st;
  pid_t w = waitpid(c, &st, 0);
  if (w != c) printf("waitpid returned another pid\n");
  return st;
}

/* A child that kills itself with `sig` (core dumps off: no files). */
static int self_signal_status(int sig) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(99);
  }
  int st;
  waitpid(c, &st, 0);
  return st;
}

/* A child blocked on a pipe, killed by the parent with `sig`. */
static int parent_kill_status(int sig) {
  int p[2];
  if (pipe(p)) return -1;
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    char b;
    close(p[1]);
    (void)!read(p[0], &b, 1);
    _exit(98);
  }
  close(p[0]);
  kill(c, sig);
  int st;
  waitpid(c, &st, 0);
  close(p[1]);
  return st;
}

int main(void) {
  pid_t me = getpid();
  printf("getpid() > 0: %d\n", me > 0);
  printf("gettid() == getpid() in main thread: %d\n", gettid() == me);

  /* One child reports what it sees. */
  int p[2];
  if (pipe(p)) return 1;
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    struct report r = {getpid(), getppid()};
    xwrite(p[1], &r, sizeof r);
    _exit(0);
  }
  struct report r;
  xread(p[0], &r, sizeof r);
  printf("fork() returned > 0 in parent: %d\n", c > 0);
  printf("child getpid() == fork() return: %d\n", r.pid == c);
  printf("child getppid() == parent getpid(): %d\n", r.ppid == me);
  printf("child pid differs from parent: %d\n", r.pid != me);
  int st;
  printf("waitpid returns the child: %d\n", waitpid(c, &st, 0) == c);
  show_status("reporter", st);
  printf("parent getpid() unchanged: %d\n", getpid() == me);

  /* Three generations: grandchild's parent is the child. */
  fflush(stdout);
  c = fork();
  if (c == 0) {
    pid_t mid = getpid();
    pid_t g = fork();
    if (g == 0) {
      struct report gr = {getpid(), getppid()};
      xwrite(p[1], &gr, sizeof gr);
      _exit(0);
    }
    int gst;
    pid_t w = waitpid(g, &gst, 0);
    struct report mr = {mid, g};
    xwrite(p[1], &mr, sizeof mr);
    _exit(w == g && WIFEXITED(gst) ? 11 : 12);
  }
  struct report gr, mr;
  xread(p[0], &gr, sizeof gr);
  xread(p[0], &mr, sizeof mr);
  printf("grandchild getppid() == child pid: %d\n", gr.ppid == mr.pid);
  printf("grandchild pid == child's fork() return: %d\n", gr.pid == mr.ppid);
  printf("grandchild pid differs from child and parent: %d\n", gr.pid != mr.pid && gr.pid != me);
  waitpid(c, &st, 0);
  show_status("middle", st);

  /* Many children at once: distinct pids, each status comes back. */
  enum { N = 6 };
  pid_t kids[N];
  for (int i = 0; i < N; i++) {
    fflush(stdout);
    kids[i] = fork();
    if (kids[i] == 0) _exit(20 + i);
  }
  int distinct = 1;
  for (int i = 0; i < N; i++)
    for (int j = i + 1; j < N; j++)
      if (kids[i] == kids[j]) distinct = 0;
  printf("%d children have distinct pids: %d\n", N, distinct);
  int sum = 0;
  for (int i = N - 1; i >= 0; i--) {
    if (waitpid(kids[i], &st, 0) != kids[i]) printf("waitpid %d failed\n", i);
    sum += WIFEXITED(st) && WEXITSTATUS(st) == 20 + i;
  }
  printf("statuses matched: %d of %d\n", sum, N);

  /* Exit codes as the parent sees them (only the low 8 bits survive). */
  int codes[] = {0, 1, 42, 127, 255, 256, 257, -1};
  for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
    char what[32];
    snprintf(what, sizeof what, "_exit(%d)", codes[i]);
    show_status(what, exit_code_of(codes[i]));
  }

  /* exit() flushes stdio in the child; _exit() does not. */
  fflush(stdout);
  c = fork();
  if (c == 0) {
    printf("child output via exit()\n");
    exit(5);
  }
  waitpid(c, &st, 0);
  show_status("exit(5)", st);

  /* Deaths by signal. */
  int sigs[] = {SIGTERM, SIGUSR1, SIGHUP, SIGINT, SIGABRT, SIGSEGV};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
    char what[48];
    snprintf(what, sizeof what, "raise(%s)", sigabbrev_np(sigs[i]));
    show_status(what, self_signal_status(sigs[i]));
  }
  int ksigs[] = {SIGKILL, SIGTERM, SIGPIPE, SIGALRM};
  for (size_t i = 0; i < sizeof ksigs / sizeof *ksigs; i++) {
    char what[48];
    snprintf(what, sizeof what, "kill(child, %s)", sigabbrev_np(ksigs[i]));
    show_status(what, parent_kill_status(ksigs[i]));
  }

  /* A child dying of a real fault, not of a sent signal. */
  fflush(stdout);
  c = fork();
  if (c == 0) {
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    volatile int *null = NULL;
    *null = 1;
    _exit(97);
  }
  waitpid(c, &st, 0);
  show_status("null dereference", st);

  printf("no children left: %d\n", wait(NULL) == -1 && errno == ECHILD);
  return 0;
}
